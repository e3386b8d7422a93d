"""The bootstrap stacks: roles per account, template bucket per region, IAM's limits, committed and cfn-lint clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mlprov.access.bootstrap import region_stack, stacks
from mlprov.access.trust import TrustSettings
from mlprov.cli import main
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.errors import UserError
from mlprov.render.engine import render

from tests.conftest import PRODUCTS, REPO

COMMITTED = ["startupco-dev-s002-us-east-1-fraud-detection-ml-s3", "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
             "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm"]


def _pairs(names: list[str]) -> list[tuple[Product, dict[str, Any]]]:
    out: list[tuple[Product, dict[str, Any]]] = []
    for name in names:
        product = load_product(REPO / "products" / f"{name}.yaml")
        out.append((product, render(product)[1]))
    return out


def test_one_account_stack_and_one_bucket_stack_per_region() -> None:
    rendered = stacks(_pairs(COMMITTED), TrustSettings(github_repository="acme/ml"))
    assert [s.folder for s in rendered] == ["123456789012", "123456789012-eu-west-1", "123456789012-us-east-1",
                                            "123456789012-us-west-2"]
    account = rendered[0].template["Resources"]
    roles = {r["Properties"]["RoleName"] for r in account.values() if r["Type"] == "AWS::IAM::Role"}
    assert roles == {"mlprov-deploy", "mlprov-plan", "mlprov-drift", "startupco-dev-s002-use1-fraud-detection-ml-cfn",
                     "techcorp-prod-a001-usw2-customer-churn-ml-cfn", "globalbank-prod-b003-euw1-demand-forecasting-ml-cfn"}
    for res in account.values():
        if res["Type"] == "AWS::IAM::Role":
            assert res["Properties"]["Path"] == "/mlprov/" and 1 <= len(res["Properties"]["ManagedPolicyArns"]) <= 10
    deploy = account["MlprovDeploy"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert deploy["Action"] == "sts:AssumeRoleWithWebIdentity"


def test_the_template_bucket_is_private_encrypted_versioned_and_tls_only() -> None:
    t = region_stack("123456789012", "eu-west-1").template["Resources"]
    props = t["TemplateBucket"]["Properties"]
    assert props["BucketName"] == "mlprov-templates-123456789012-eu-west-1"
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    [deny] = t["TemplateBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})


def test_an_account_over_the_managed_policy_limit_is_refused_with_the_figure() -> None:
    with pytest.raises(UserError) as err:
        stacks([(load_product(p), render(load_product(p))[1]) for p in PRODUCTS], TrustSettings())
    assert err.value.message.startswith("account 123456789012: mlprov-deploy of account 123456789012: ")
    assert err.value.message.endswith(" managed policies, over IAM's 10 per role")


def test_committed_bootstrap_templates_are_current_and_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    configs = [str(REPO / "products" / f"{n}.yaml") for n in COMMITTED]
    assert main(["bootstrap", *configs, "--check"]) == 0
    assert capsys.readouterr().out.strip() == "4 bootstrap template(s) current"
    from cfnlint.api import lint_all

    for path in sorted((REPO / "bootstrap").glob("*/template.yaml")):
        # Errors and warnings, as the gate reports them (informational I-rules are not findings).
        assert [str(m) for m in lint_all(Path(path).read_text()) if m.rule.id[0] in "EW"] == [], path
