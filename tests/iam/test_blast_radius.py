"""Blast radius, per shipped example: every attack of the corpus is denied for the deployer, plan and drift
roles and for every role the deployer can pass (the product's CloudFormation service role)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mlprov.deploypath import product_service_role_arn

from tests.conftest import PRODUCTS
from tests.iam.access_fixtures import failures, principals, product, run, template
from tests.iam.attacks import corpus
from tests.iam.oracle import evaluate


def _boundary(path: Path) -> tuple[str | None, dict[str, Any] | None]:
    res = template(path)["Resources"].get("PermissionBoundaryPolicy")
    if not res:
        return None, None
    prod = product(path)
    arn = f"arn:{prod.partition}:iam::{prod.account_id}:policy/mlprov/{prod.names.boundary_policy}"
    return arn, res["Properties"]["PolicyDocument"]


def _corpus(path: Path) -> list[Any]:
    prod = product(path)
    return corpus(prod, enterprise_boundary=_boundary(path)[0], own_role=product_service_role_arn(prod))


@pytest.mark.parametrize("kind", ["deployer", "cloudformation-service-role", "plan", "drift"])
@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_attack_is_denied(path: Path, kind: str) -> None:
    attacks = _corpus(path)
    assert len(attacks) >= 30
    results = run(principals(path)[kind], attacks)
    assert failures(results, want_allowed=False) == []
    assert all(not d.detail.startswith("invalid request") for _label, d in results), "an attack the simulator rejects proves nothing"


@pytest.mark.parametrize("path", [p for p in PRODUCTS if "standalone" in p.stem][:2], ids=lambda p: p.stem)
def test_the_corpus_is_not_vacuous_an_admin_policy_allows_it(path: Path) -> None:
    admin = {"arn": "arn:aws:iam::123456789012:role/x", "policies": [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}
    attacks = _corpus(path)
    denied = [label for label, d in run(admin, attacks) if not d.allowed]
    # Only the cross-account stack is out of reach even for an administrator of this account.
    assert denied == ["another account's stack"]


@pytest.mark.parametrize("path", [p for p in PRODUCTS if "existing-ssm" in p.stem][:1], ids=lambda p: p.stem)
def test_the_enterprise_boundary_caps_an_inline_admin_policy_on_a_product_role(path: Path) -> None:
    """PutRolePolicy on the product's roles is needed (the SageMaker role's inline policy); in enterprise what such
    a policy can grant is capped by the boundary, which the service role can neither remove nor rewrite."""
    _arn, boundary = _boundary(path)
    assert boundary is not None
    admin = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
    prod = product(path)
    escalations = [a.request for a in corpus(prod, enterprise_boundary=None, own_role=product_service_role_arn(prod))
                   if a.request.action.startswith(("iam:", "kms:", "cloudformation:", "sts:"))]
    decisions = evaluate(admin, escalations, boundary=boundary)
    assert [d.request.action for d in decisions if d.allowed] == []
