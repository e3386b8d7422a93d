"""The contract of every shipped example: four principals, scoped statements, within IAM's limits, exact names."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from mlprov.access import arns, principals
from mlprov.access.grants import Grants, PolicyError
from mlprov.access.principals import MANAGED_POLICY_LIMIT, MAX_POLICIES, iam_size, pack
from mlprov.access.trust import TrustSettings
from mlprov.config.loader import load_product
from mlprov.errors import UserError
from mlprov.render.engine import render

from tests.conftest import PRODUCTS

KINDS = ["deployer", "cloudformation-service-role", "plan", "drift"]
IAM_READS = ("iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListRolePolicies")


@cache
def _contract(path: Path) -> dict[str, Any]:
    product = load_product(path)
    return principals.contract(product, render(product)[1])


def _statements(principal: dict[str, Any]) -> list[dict[str, Any]]:
    return [st for doc in principal["policies"] for st in doc["Statement"]]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_contract_shape_and_limits(path: Path) -> None:
    c = _contract(path)
    assert c["product"] == load_product(path).names.stack
    assert [p["kind"] for p in c["principals"]] == KINDS
    for p in c["principals"]:
        assert set(p) == {"name", "kind", "arn", "trust", "boundary", "policies"}
        assert p["arn"].startswith("arn:aws:iam::123456789012:role/mlprov/") and p["arn"].endswith(p["name"])
        assert 1 <= len(p["policies"]) <= MAX_POLICIES
        assert all(iam_size(d) <= MANAGED_POLICY_LIMIT for d in p["policies"])
    service = c["principals"][1]
    assert service["trust"]["Statement"][0]["Principal"] == {"Service": "cloudformation.amazonaws.com"}


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_no_wildcard_actions_and_star_only_where_iam_has_no_resource_level(path: Path) -> None:
    from mlprov.access import iamref

    for p in _contract(path)["principals"]:
        for st in _statements(p):
            assert st["Effect"] == "Allow" and "NotAction" not in st and "NotResource" not in st
            for action in _list(st["Action"]):
                assert "*" not in action and iamref.exists(action), (p["kind"], action)
                if st["Resource"] == "*":
                    assert not iamref.resource_types(action), (p["kind"], st["Sid"], action)


def _sibling(path: Path) -> Path | None:
    stack = load_product(path).names.stack
    want = stack.removesuffix("-blue") if stack.endswith("-blue") else f"{stack}-blue"
    return next((p for p in PRODUCTS if load_product(p).names.stack == want), None)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_no_name_pattern_reaches_the_sibling_product_or_its_test_copies(path: Path) -> None:
    """``<prefix>*`` would match the workload sibling ``<prefix>-blue``: every scoped (ARN-named, unconditioned)
    resource pattern is checked against the sibling's concrete ARNs and those of a test copy of it."""
    sibling_path = _sibling(path)
    if sibling_path is None:  # the connection examples ship without a -wl-blue sibling: derive it (workload blue)
        product = load_product(path)
        assert product.source == "connection" and not product.config.get("workload")
        sibling = replace(product, config={**product.config, "workload": "blue"})
    else:
        sibling = load_product(sibling_path)
    theirs = [a for copy in (sibling, sibling.for_test("t1a2b3c"))
              for arn_list in arns.resource_arns(render(copy)[1]).values() for a in arn_list]
    theirs = [a.replace("/*", "/x").replace(":*", ":x") for a in theirs]
    for p in _contract(path)["principals"]:
        for st in _statements(p):
            if st["Resource"] == "*" or "Tag/" in json.dumps(st.get("Condition", {})):
                continue
            for res in _list(st["Resource"]):
                hits = [a for a in theirs if fnmatch.fnmatchcase(a, res)]
                assert hits == [], (p["kind"], st["Sid"], res)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_the_deployer_calls_only_cloudformation_on_its_stacks_and_passes_only_the_service_role(path: Path) -> None:
    c = _contract(path)
    deployer, service = c["principals"][0], c["principals"][1]
    stacks = arns.stack_names(load_product(path))
    prefix = load_product(path).prefix
    for st in _statements(deployer):
        acts = _list(st["Action"])
        writes = [a for a in acts if a.startswith("cloudformation:") and not a.split(":")[1].startswith(("Describe", "Get", "List"))]
        if writes:
            assert all(any(f":stack/{s}/" in r for s in stacks) for r in _list(st["Resource"])), st
        if "iam:PassRole" in acts:
            assert st["Resource"] == service["arn"]
            assert st["Condition"] == {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}
        if "cloudformation:CreateChangeSet" in acts:
            assert st["Condition"] == {"StringEquals": {"cloudformation:RoleArn": service["arn"]}}
        # IAM reads of check-drift's live checks (role, inline and managed policy documents): the product's own only.
        assert not [a for a in acts if a.startswith("iam:") and a not in ("iam:PassRole", *IAM_READS)], st
        if [a for a in acts if a in IAM_READS]:
            assert not [r for r in _list(st["Resource"]) if prefix not in r], st
    # The only object writes: the template upload to the bootstrap bucket's templates/ and, for CodeCommit sources,
    # the seed archives to its seeds/ (deployer and plan previews); for an S3 source, the deployer's conditional
    # creation of the two source keys (never an overwrite: If-None-Match required).
    product = load_product(path)
    bucket = f"arn:aws:s3:::mlprov-templates-{product.account_id}-{product.region}"
    ours = [f"{bucket}/seeds/*", f"{bucket}/templates/*"] if product.source == "codecommit" else f"{bucket}/templates/*"
    src = product.config["source"]
    for kind, principal in (("deployer", deployer), ("plan", c["principals"][2]), ("drift", c["principals"][3])):
        puts = [(st["Resource"], st.get("Condition")) for st in _statements(principal) if "s3:PutObject" in _list(st["Action"])]
        expected = [] if kind == "drift" else [(ours, None)]
        if kind == "deployer" and src["type"] == "s3":
            expected.append(([f"arn:aws:s3:::{src['bucket']}/{src[k]}" for k in ("build_key", "deploy_key")],
                             {"Null": {"s3:if-none-match": "false"}}))
        assert sorted(puts, key=str) == sorted(expected, key=str), kind
    plan_actions = {a for st in _statements(c["principals"][2]) for a in _list(st["Action"])}
    assert "cloudformation:ExecuteChangeSet" not in plan_actions and "cloudformation:DeleteStack" not in plan_actions
    drift_actions = {a for st in _statements(c["principals"][3]) for a in _list(st["Action"])}
    assert "cloudformation:DetectStackDrift" in drift_actions
    assert not [a for a in drift_actions if not a.split(":")[1].startswith(("Describe", "Get", "List", "BatchGet", "Detect"))]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_service_role_iam_conditions(path: Path) -> None:
    service = _contract(path)["principals"][1]
    enterprise = "globalbank" in path.stem
    by_action: dict[str, list[dict[str, Any]]] = {}
    for st in _statements(service):
        for a in _list(st["Action"]):
            by_action.setdefault(a, []).append(st)
    assert not [a for a in by_action if a.startswith("iam:") and ("User" in a or "Group" in a)]
    assert "iam:DeleteRolePermissionsBoundary" not in by_action
    for st in by_action.get("iam:AttachRolePolicy", []):
        assert list(st["Condition"]) == ["ArnLike"] and "iam:PolicyARN" in st["Condition"]["ArnLike"]
        assert not [p for p in st["Condition"]["ArnLike"]["iam:PolicyARN"] if "boundary" in p or ":aws:policy/" in p]
    if enterprise:
        for st in by_action["iam:CreateRole"] + by_action["iam:PutRolePermissionsBoundary"]:
            assert st["Condition"]["StringLike"]["iam:PermissionsBoundary"][0].endswith("-boundary")
        for st in by_action.get("iam:CreatePolicyVersion", []):
            assert not [r for r in _list(st["Resource"]) if r.endswith("-boundary")]
    for st in by_action["iam:PassRole"]:
        assert "iam:PassedToService" in st["Condition"]["StringEquals"]


def test_test_copy_patterns_are_exact_length_and_cover_hashed_names() -> None:
    product = load_product(next(p for p in PRODUCTS if "wl-blue-codecommit-standalone-direct" in p.stem))
    found = arns.product_arns(product)
    for logical, patterns in found.tests.items():
        for suffix in ("t1a2b3c", "tfedcba", "t000001"):
            copy = arns.resource_arns(render(product.for_test(suffix))[1])[logical]
            assert all(fnmatch.fnmatchcase(c, pat.replace("[", "[[]")) for c, pat in zip(copy, patterns, strict=True)), logical
        assert all("*" not in pat.removesuffix("/*").removesuffix(":*").split(":")[-1].split("/")[-1] for pat in patterns)
    assert arns.tag_values(product)[1] == product.prefix + "-t??????"


def test_pack_refuses_more_than_ten_managed_policies() -> None:
    big = [{"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject",
            "Resource": [f"arn:aws:s3:::b{i}-{'x' * 40}/{j}" for j in range(60)]} for i in range(12)]
    with pytest.raises(PolicyError) as err:
        pack(big, "deployer of x")
    assert err.value.message == "deployer of x: 12 managed policies, over IAM's 10 per role"


def test_grants_refuse_wildcard_actions() -> None:
    with pytest.raises(PolicyError, match=r"refusing to grant wildcard actions \['s3:\*'\]"):
        Grants().add(["s3:*"], ["arn:aws:s3:::b"])


def test_trust_of_the_account_roles() -> None:
    path = PRODUCTS[0]
    product = load_product(path)
    settings = TrustSettings(github_repository="acme/ml-products", deploy_environments=("ml-prod",),
                             codebuild_role_arn="arn:aws:iam::123456789012:role/ci/codebuild")
    c = principals.contract(product, render(product)[1], settings)
    deployer, plan, drift = c["principals"][0], c["principals"][2], c["principals"][3]
    gh = deployer["trust"]["Statement"][0]
    assert gh["Principal"] == {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}
    assert gh["Condition"]["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/ml-products:environment:ml-prod"]}
    assert plan["trust"]["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == \
        ["repo:acme/ml-products:pull_request"]
    assert drift["trust"]["Statement"][1] == {"Sid": "CodeBuildCiProject", "Effect": "Allow",
                                              "Principal": {"AWS": "arn:aws:iam::123456789012:role/ci/codebuild"},
                                              "Action": "sts:AssumeRole"}
    assert _contract(path)["principals"][0]["trust"] is None  # the committed files: no repository known


@pytest.mark.parametrize("bad", ["acme", "acme/ml products", "../x/y"])
def test_trust_settings_refuse_bad_repositories(bad: str) -> None:
    with pytest.raises(UserError, match="expected OWNER/NAME"):
        TrustSettings(github_repository=bad)


def test_committed_access_files_are_the_contract() -> None:
    path = PRODUCTS[-1]
    folder = path.with_suffix("") / "access"
    for p in _contract(path)["principals"]:
        assert json.loads((folder / f"{p['kind']}.json").read_text()) == p
