"""The account roles of an account holding every shipped example (all 27 in 123456789012), through the IAM oracle.

- sufficiency: every request of each product's sufficiency corpus for the deploy, plan and drift roles (the tool's
  calls on the product and on a test copy, the service role's PassRole, drift's live reads) is allowed by the
  bootstrap's compressed, merged account role: the full set, no sampling;
- blast radius: each product's attack corpus (tests/iam/attacks.py) is denied, except the attacks on its workload
  sibling, which lies in the product's name space (documented superset, docs/access.md); plus near misses whose names
  share no product's prefix (``<prefix>x``, a shorter prefix, another app id, region code, region or account), and
  the kept exact grants (PassRole of only ``<stack>-cfn`` to CloudFormation, change sets only with the stack's own
  service role).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from mlprov.access import iamref
from mlprov.access.accountroles import tool_actions
from mlprov.access.bootstrap import account_policies
from mlprov.access.namespace import compress_arn
from mlprov.config.model import Product
from mlprov.deploypath import account_role_arn, product_service_role_arn

from tests.conftest import PRODUCTS
from tests.iam.access_fixtures import TEST_SUFFIX, failures, product, template
from tests.iam.attacks import corpus
from tests.iam.model import Labeled, resource_requests, tool_requests
from tests.iam.oracle import Decision, Request, evaluate

pytestmark = pytest.mark.slow  # about 2.5 min on 2 shared cores: 29,776 sufficiency and 3 x 2,514 attack requests

ACCOUNT = "123456789012"
KINDS = ["deployer", "plan", "drift"]
SID = "0b7f2c1e-9a8d-4e6f-b5c4-3d2e1f0a9b8c"


@cache
def policies() -> dict[str, list[dict[str, Any]]]:
    return account_policies(ACCOUNT, [(product(p), template(p)) for p in PRODUCTS])


def _run(kind: str, labeled: list[Labeled]) -> list[tuple[str, Decision]]:
    decisions = evaluate(policies()[kind], [x.request for x in labeled], principal=account_role_arn(ACCOUNT, kind),
                         account=ACCOUNT)
    return [(x.label, d) for x, d in zip(labeled, decisions, strict=True)]


def _sufficiency(kind: str) -> list[Labeled]:
    out: list[Labeled] = []
    for path in PRODUCTS:
        prod, tpl = product(path), template(path)
        requests = list(tool_requests(prod, tpl, tool_actions(kind)))
        requests += [Labeled(f"test-copy {x.label}", x.request)
                     for x in tool_requests(prod.for_test(TEST_SUFFIX), template(path, TEST_SUFFIX), tool_actions(kind))]
        if kind in ("deployer", "plan"):
            requests.append(Labeled("pass the service role", Request(
                "iam:PassRole", product_service_role_arn(prod), {"iam:PassedToService": "cloudformation.amazonaws.com"})))
        if kind == "drift":
            requests += [x for x in resource_requests(prod, tpl, ("read",)) if iamref.is_read_only(x.request.action)]
        out += [Labeled(f"{path.stem}: {x.label}", x.request) for x in requests]
    return out


def test_all_27_examples_fit_one_account_within_iam_limits() -> None:
    assert len(PRODUCTS) == 27
    for kind, docs in policies().items():
        assert 1 <= len(docs) <= 10, kind
        assert all(len(_compact(d)) <= 6144 for d in docs), kind


def _compact(doc: dict[str, Any]) -> str:
    import json

    return json.dumps(doc, separators=(",", ":"))


@pytest.mark.parametrize("kind", KINDS)
def test_every_sufficiency_request_of_every_product_is_allowed(kind: str) -> None:
    requests = _sufficiency(kind)
    assert len(requests) > 27 * 20  # every product contributes its corpus
    results = _run(kind, requests)
    assert failures(results, want_allowed=True) == []
    assert all(not d.detail.startswith("invalid request") for _label, d in results)




def _base_in_account(path: Path) -> bool:
    """A workload product ``P-blue`` whose base product ``P`` is also in the account."""
    return "-wl-blue-" in path.stem and path.with_name(path.stem.replace("-wl-blue-", "-", 1) + ".yaml") in PRODUCTS

SIBLING = {"delete the sibling product's stack", "change the sibling product's stack", "delete the sibling's pipeline",
           "delete the sibling's repository", "delete the sibling's model registry"}


def _in_some_name_space(resource: str) -> bool:
    """Whether the resource is named in the name space of one of the account's products (same region and account)."""
    for path in PRODUCTS:
        prod = product(path)
        if resource.split(":")[3:5] == [prod.region, prod.account_id] and compress_arn(resource, prod.names.stack) != resource:
            return True
    return False


def _attacks(prod: Product) -> list[Labeled]:
    boundary = None
    if prod.tier == "enterprise":
        boundary = f"arn:{prod.partition}:iam::{prod.account_id}:policy/mlprov/{prod.names.boundary_policy}"
    return corpus(prod, enterprise_boundary=boundary, own_role=product_service_role_arn(prod))


def _near_misses(prod: Product) -> list[Labeled]:
    """Names that share no product's prefix, and the exact grants the compression keeps."""
    a, r, p, stack = prod.account_id, prod.region, prod.partition, prod.names.stack
    cfn, role = f"arn:{p}:cloudformation:{r}:{a}:stack", f"arn:{p}:iam::{a}:role/mlprov"
    other_app = stack.replace(stack.split("-")[2], "z999", 1)
    other_region = stack.replace(stack.split("-")[3], "apse2", 1)
    names = {"the prefix plus a letter": f"{stack}x", "a shorter prefix": stack[:-1], "another app id": other_app,
             "another region code": other_region, "a prefix-free name": "payments-ledger"}
    out: list[Labeled] = []
    for what, name in names.items():
        if _in_some_name_space(f"{cfn}/{name}-x/{SID}"):
            continue  # e.g. P-blue plus a letter is in P's name space when P is in the account: not a near miss
        out += [Labeled(f"{what}: {label}", Request(action, arn, ctx)) for label, action, arn, ctx in [
            ("delete its stack", "cloudformation:DeleteStack", f"{cfn}/{name}/{SID}", {}),
            ("execute a change set", "cloudformation:ExecuteChangeSet", f"{cfn}/{name}-build/{SID}", {}),
            ("a change set with the product's role", "cloudformation:CreateChangeSet", f"{cfn}/{name}/{SID}",
             {"cloudformation:RoleArn": product_service_role_arn(prod)}),
            ("read its parameter", "ssm:GetParameter", f"arn:{p}:ssm:{r}:{a}:parameter/mlprov/{name}/KmsKeyArn", {}),
            ("read its role", "iam:GetRole", f"{role}/{name}-codebuild", {}),
            ("read its bucket policy", "s3:GetBucketPolicy", f"arn:{p}:s3:::{name}-12345678-abcdef", {}),
            ("read its project", "codebuild:BatchGetProjects", f"arn:{p}:codebuild:{r}:{a}:project/{name}-build", {}),
            ("pass its service role", "iam:PassRole", f"{role}/{name}-cfn", {"iam:PassedToService": "cloudformation.amazonaws.com"}),
        ]]
    out += [
        Labeled("pass the product's CodeBuild role to CloudFormation", Request(
            "iam:PassRole", f"{role}/{prod.names.codebuild_role}", {"iam:PassedToService": "cloudformation.amazonaws.com"})),
        Labeled("pass the product's service role to CodeBuild", Request(
            "iam:PassRole", product_service_role_arn(prod), {"iam:PassedToService": "codebuild.amazonaws.com"})),
        Labeled("a change set on the product's stack with another product's role", Request(
            "cloudformation:CreateChangeSet", f"{cfn}/{stack}/{SID}", {"cloudformation:RoleArn": f"{role}/{other_app}-cfn"})),
        Labeled("a change set without a role", Request("cloudformation:CreateChangeSet", f"{cfn}/{stack}/{SID}", {})),
        Labeled("the product's stack in another region", Request(
            "cloudformation:DeleteStack", f"arn:{p}:cloudformation:ap-southeast-2:{a}:stack/{stack}/{SID}", {})),
        Labeled("the product's stack in another account", Request(
            "cloudformation:DeleteStack", f"arn:{p}:cloudformation:{r}:210987654321:stack/{stack}/{SID}", {})),
    ]
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_the_blast_radius_corpus_and_near_misses_are_denied(kind: str) -> None:
    labeled: list[Labeled] = []
    skipped: set[str] = set()
    for path in PRODUCTS:
        prod = product(path)
        for x in _attacks(prod):
            if x.label in SIBLING and _in_some_name_space(x.request.resource):
                skipped.add(x.label)  # the workload sibling's resources: in the product's name space
                continue
            labeled.append(Labeled(f"{path.stem}: {x.label}", x.request))
        misses = _near_misses(prod)
        # every name is a near miss for a product without its workload base in the account; for P-blue two are in P's
        assert len(misses) == 6 + 8 * (3 if _base_in_account(path) else 5), path.stem
        labeled += [Labeled(f"{path.stem}: {x.label}", x.request) for x in misses]
    assert skipped == SIBLING
    assert len(labeled) > 27 * 90
    results = _run(kind, labeled)
    assert failures(results, want_allowed=False) == []
    assert all(not d.detail.startswith("invalid request") for _label, d in results)


def test_the_name_space_is_a_superset_a_workload_sibling_stack_is_in_it() -> None:
    """Documented: an account role that holds ``P`` may change-set ``P-blue`` (with P's own service role only)."""
    prod = product(next(p for p in PRODUCTS if p.stem.startswith("globalbank-prod-b010")))
    stack = prod.names.stack
    cfn = f"arn:{prod.partition}:cloudformation:{prod.region}:{prod.account_id}:stack"
    [(_label, decision)] = _run("deployer", [Labeled("sibling", Request(
        "cloudformation:CreateChangeSet", f"{cfn}/{stack}-blue/{SID}", {"cloudformation:RoleArn": product_service_role_arn(prod)}))])
    assert decision.allowed


def test_the_near_misses_are_not_vacuous_an_admin_allows_them() -> None:
    prod = product(PRODUCTS[0])
    admin = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
    misses = _near_misses(prod)
    decisions = evaluate(admin, [x.request for x in misses], principal=account_role_arn(ACCOUNT, "deployer"), account=ACCOUNT)
    assert [x.label for x, d in zip(misses, decisions, strict=True) if not d.allowed] == ["the product's stack in another account"]
