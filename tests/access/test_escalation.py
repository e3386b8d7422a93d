"""Privilege-escalation scan (cloudsplaining's methods) of every generated IAM document: none found."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.access.escalation import scan, scan_document
from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.render.engine import render

from tests.conftest import PRODUCTS


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_no_escalation_in_any_generated_document(path: Path) -> None:
    product = load_product(path)
    template = render(product)[1]
    assert [f.line() for f in scan(contract(product, template), template)] == []


def test_the_scan_flags_the_old_deployer_patterns() -> None:
    old = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:PutGroupPolicy"], "Resource": "arn:aws:iam::123456789012:user/*"},
        {"Effect": "Allow", "Action": ["iam:CreatePolicyVersion"], "Resource": "*"}]}
    lines = [f.line() for f in scan_document("deployer policy 1", old)]
    assert "deployer policy 1: escalation-on-*: CreateNewPolicyVersion" in lines
    assert "deployer policy 1: permissions-management-on-*: iam:CreatePolicyVersion" in lines
    assert "deployer policy 1: user-or-group-method: AttachUserPolicy" in lines
    assert "deployer policy 1: user-or-group-method: PutGroupPolicy" in lines
