"""The deployer policy of every shipped example: no wildcards, within IAM's size limit, every resource type's
handler permissions covered, resources scoped wherever IAM allows it, PassRole limited and conditioned."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from mlprov.config.loader import load_product
from mlprov.errors import UserError
from mlprov.policy import actions, registry
from mlprov.policy.deployer import NO_RESOURCE_SID, build_statements, stack_arns
from mlprov.policy.documents import MANAGED_POLICY_LIMIT, deployer_documents, iam_size, pack
from mlprov.render.engine import render

from tests.conftest import PRODUCTS


@cache
def _template(path: Path) -> dict[str, Any]:
    return render(load_product(path))[1]


def _statements(path: Path) -> list[dict[str, Any]]:
    return [st for doc in deployer_documents(_template(path)) for st in doc["Statement"]]


def _actions(st: dict[str, Any]) -> list[str]:
    return st["Action"] if isinstance(st["Action"], list) else [st["Action"]]


def _resources(st: dict[str, Any]) -> list[str]:
    return st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_no_wildcard_actions(path: Path) -> None:
    for st in _statements(path):
        for action in _actions(st):
            assert action != "*" and not action.endswith(":*"), (st["Sid"], action)
            assert "*" not in action, (st["Sid"], action)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_document_fits_an_iam_managed_policy(path: Path) -> None:
    docs = deployer_documents(_template(path))
    assert docs
    assert all(iam_size(d) <= MANAGED_POLICY_LIMIT for d in docs)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_resource_type_is_covered(path: Path) -> None:
    granted = {a for st in _statements(path) for a in _actions(st)}
    for rtype in {r["Type"] for r in _template(path)["Resources"].values()}:
        for handler, perms in registry.handler_permissions(rtype).items():
            missing = set(perms) - granted
            assert not missing, f"{rtype} {handler}: {sorted(missing)}"


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_resource_level_actions_are_never_on_star(path: Path) -> None:
    for st in _statements(path):
        if _resources(st) == ["*"]:
            assert st["Sid"] == NO_RESOURCE_SID
            for action in _actions(st):
                assert actions.arn_formats(action) == (), action
        else:
            meta = _template(path)["Metadata"]["MlProvisioner"]
            for arn in _resources(st):
                assert arn.startswith("arn:aws:"), arn
                if ":s3:::" in arn:
                    continue  # bucket ARNs carry neither region nor account; ours are named
                region, account = arn.split(":")[3:5]
                assert account == meta["AccountId"], arn
                assert region in (meta["Region"], ""), arn


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_pass_role_only_on_the_stacks_roles_and_conditioned(path: Path) -> None:
    (st,) = [s for s in _statements(path) if "iam:PassRole" in _actions(s)]
    roles = [a for a in stack_arns(_template(path)) if ":role/" in a]
    assert len(roles) == 4
    assert sorted(_resources(st)) == sorted(roles)
    services = st["Condition"]["StringEquals"]["iam:PassedToService"]
    assert {"sagemaker.amazonaws.com", "codebuild.amazonaws.com", "events.amazonaws.com"} <= set(services)
    assert all(s.endswith(".amazonaws.com") for s in services)


def test_scoping_uses_concrete_names() -> None:
    path = next(p for p in PRODUCTS if p.name.startswith("techcorp-prod-a001") and "-wl-" not in p.name)
    (st,) = [s for s in _statements(path) if "codebuild:CreateProject" in _actions(s)]
    assert _resources(st) == [
        "arn:aws:codebuild:us-west-2:123456789012:project/techcorp-prod-a001-usw2-customer-churn-ml-build",
        "arn:aws:codebuild:us-west-2:123456789012:project/techcorp-prod-a001-usw2-customer-churn-ml-deploy",
    ]


def test_unknown_resource_type_is_a_user_error() -> None:
    template = copy.deepcopy(_template(PRODUCTS[0]))
    template["Resources"]["Odd"] = {"Type": "AWS::Nope::Thing", "Properties": {}}
    with pytest.raises(UserError) as info:
        build_statements(template)
    assert info.value.message == (
        "resource type AWS::Nope::Thing: not in the CloudFormation registry schemas shipped by cfn-lint"
    )


def test_pack_splits_in_order_and_refuses_an_oversized_statement() -> None:
    st = [{"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "x" * 2000} for i in range(5)]
    docs = pack(st, limit=4500)
    assert [[s["Sid"] for s in d["Statement"]] for d in docs] == [["S0", "S1"], ["S2", "S3"], ["S4"]]
    with pytest.raises(ValueError, match="statement S0 alone exceeds 100 characters"):
        pack(st, limit=100)


def test_codebuild_project_permissions_are_derived_when_the_schema_has_none() -> None:
    assert registry.handler_permissions("AWS::CodeBuild::Project") == {
        "create": ["codebuild:CreateProject"], "read": ["codebuild:BatchGetProjects"],
        "update": ["codebuild:UpdateProject"], "delete": ["codebuild:DeleteProject"], "list": ["codebuild:ListProjects"],
    }


def test_create_only_properties_from_the_registry() -> None:
    assert "BucketName" in registry.create_only_properties("AWS::S3::Bucket")
    assert registry.create_only_properties("AWS::SageMaker::ModelPackageGroup") == [
        "ModelPackageGroupDescription", "ModelPackageGroupName",
    ]
