"""The bootstrap stacks: roles per account, template bucket per region, IAM's limits, committed and cfn-lint clean."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from mlprov.access import bootstrap
from mlprov.access.bootstrap import account_policies, region_stack, service_role_stack, stacks
from mlprov.access.packing import pack_statements
from mlprov.access.principals import contract
from mlprov.access.trust import TrustSettings
from mlprov.cli import main
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.deploypath import service_role_stack_name
from mlprov.errors import UserError
from mlprov.render.engine import render

from tests.conftest import REPO

COMMITTED = ["startupco-dev-s002-us-east-1-fraud-detection-ml-s3", "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
             "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm"]


def _pairs(names: list[str]) -> list[tuple[Product, dict[str, Any]]]:
    out: list[tuple[Product, dict[str, Any]]] = []
    for name in names:
        product = load_product(REPO / "products" / f"{name}.yaml")
        out.append((product, render(product)[1]))
    return out


def test_region_stacks_then_a_service_role_stack_per_product_then_the_account_stack() -> None:
    rendered = stacks(_pairs(COMMITTED), TrustSettings(github_repository="acme/ml"))
    assert [(s.name, s.folder, s.region) for s in rendered] == [
        ("mlprov-bootstrap-123456789012-eu-west-1", "123456789012-eu-west-1", "eu-west-1"),
        ("mlprov-bootstrap-123456789012-us-east-1", "123456789012-us-east-1", "us-east-1"),
        ("mlprov-bootstrap-123456789012-us-west-2", "123456789012-us-west-2", "us-west-2"),
        ("mlprov-bootstrap-globalbank-prod-b003-euw1-demand-forecasting-ml",
         "123456789012/service-roles/globalbank-prod-b003-euw1-demand-forecasting-ml", "eu-west-1"),
        ("mlprov-bootstrap-startupco-dev-s002-use1-fraud-detection-ml",
         "123456789012/service-roles/startupco-dev-s002-use1-fraud-detection-ml", "us-east-1"),
        ("mlprov-bootstrap-techcorp-prod-a001-usw2-customer-churn-ml",
         "123456789012/service-roles/techcorp-prod-a001-usw2-customer-churn-ml", "us-west-2"),
        ("mlprov-bootstrap-123456789012", "123456789012", "eu-west-1")]
    account = rendered[-1].template["Resources"]
    roles = {r["Properties"]["RoleName"] for r in account.values() if r["Type"] == "AWS::IAM::Role"}
    assert roles == {"mlprov-deploy", "mlprov-plan", "mlprov-drift"}
    for res in account.values():
        if res["Type"] == "AWS::IAM::Role":
            assert res["Properties"]["Path"] == "/mlprov/" and 1 <= len(res["Properties"]["ManagedPolicyArns"]) <= 10
    deploy = account["MlprovDeploy"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert deploy["Action"] == "sts:AssumeRoleWithWebIdentity"


def test_a_service_role_stack_holds_exactly_the_contracts_service_role() -> None:
    [(product, template)] = _pairs(COMMITTED[2:])
    boot = service_role_stack(product, template)
    [principal] = [p for p in contract(product, template)["principals"] if p["kind"] == "cloudformation-service-role"]
    res = boot.template["Resources"]
    role = res.pop("GlobalbankProdB003Euw1DemandForecastingMlCfn")["Properties"]
    assert role["RoleName"] == "globalbank-prod-b003-euw1-demand-forecasting-ml-cfn"
    assert role["AssumeRolePolicyDocument"] == principal["trust"]
    assert {"Key": "mlprov:product", "Value": product.prefix} in role["Tags"]
    assert [res[r["Ref"]]["Properties"]["PolicyDocument"] for r in role["ManagedPolicyArns"]] == principal["policies"]
    assert boot.account == "123456789012"


def test_every_bootstrap_stack_name_is_within_cloudformations_128_characters() -> None:
    long_stack = "a" * 120
    assert len(service_role_stack_name(long_stack)) == 128
    assert service_role_stack_name(long_stack).startswith("mlprov-bootstrap-aaaa")
    assert service_role_stack_name("acme-dev-a001-use1-churn") == "mlprov-bootstrap-acme-dev-a001-use1-churn"


def test_the_account_roles_are_the_products_statements_in_their_name_spaces() -> None:
    """Compressed: the deploy role names P-* per service and resource type, not each resource."""
    pairs = _pairs(COMMITTED)
    docs = account_policies("123456789012", pairs)["deployer"]
    resources = {r for d in docs for st in d["Statement"]
                 for r in (st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]])}
    assert "arn:aws:codebuild:eu-west-1:123456789012:project/globalbank-prod-b003-euw1-demand-forecasting-ml-*" in resources
    assert not any(r.endswith("-ml-build") for r in resources)
    # kept exact: the service roles passed to CloudFormation, the template bucket's objects
    passes = [st for d in docs for st in d["Statement"] if st["Action"] == "iam:PassRole"]
    assert passes == [{"Sid": "IamConditioned", "Effect": "Allow", "Action": "iam:PassRole", "Resource": sorted(
        f"arn:aws:iam::123456789012:role/mlprov/{p.names.stack}-cfn" for p, _t in pairs),
        "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}}]
    assert "arn:aws:s3:::mlprov-templates-123456789012-eu-west-1/templates/*" in resources


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


def test_an_account_over_the_managed_policy_limit_is_refused_with_the_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bootstrap, "pack_statements", partial(pack_statements, max_policies=1))
    with pytest.raises(UserError) as err:
        stacks(_pairs(COMMITTED), TrustSettings())
    assert err.value.message.startswith("account 123456789012: mlprov-deploy of account 123456789012: ")
    assert err.value.message.endswith(" managed policies, over IAM's 1 per role")
    assert err.value.hint.startswith("bootstrap fewer products per account (at most 10 managed policies per role)")


def test_committed_bootstrap_templates_are_current_and_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bootstrap", "--check"]) == 0  # every product: 3 regions, 27 service roles, the account
    assert capsys.readouterr().out.strip() == "31 bootstrap template(s) current"
    from cfnlint.api import lint_all

    for path in sorted((REPO / "bootstrap").glob("**/template.yaml")):
        # Errors and warnings, as the gate reports them (informational I-rules are not findings).
        assert [str(m) for m in lint_all(Path(path).read_text()) if m.rule.id[0] in "EW"] == [], path
