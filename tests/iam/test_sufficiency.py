"""Sufficiency, per shipped example: every request of the deploy path is allowed for the principal that makes it.

- the service role: every filtered handler permission of every resource (create, read, update, delete), every
  dependent action and service-side KMS use, for the product and for a test copy (which uses the product's role);
- the deployer: every call the tool makes (deploy, test-deploy, show-changes, check-drift, delete-product,
  pre-flight), the service role's PassRole to CloudFormation, change sets only with that RoleArn;
- plan and drift: their read-only calls, change-set creation (plan) and drift detection with the resources'
  read permissions (drift).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.access import iamref
from mlprov.access.accountroles import tool_actions
from mlprov.access.servicerole import STACK_HANDLERS
from mlprov.deploypath import product_service_role_arn

from tests.conftest import PRODUCTS
from tests.iam.access_fixtures import TEST_SUFFIX, failures, principals, product, run, template
from tests.iam.model import Labeled, resource_requests, tool_requests
from tests.iam.oracle import Request

# The enterprise boundary's versions are frozen for the service role (docs/access.md): a change of the boundary
# document is an administrator's (re-bootstrap), so these update requests are expected to be denied.
FROZEN = ("PermissionBoundaryPolicy update iam:CreatePolicyVersion", "PermissionBoundaryPolicy update iam:DeletePolicyVersion",
          "PermissionBoundaryPolicy delete iam:DeletePolicyVersion")


def _service_role_requests(path: Path) -> list[Labeled]:
    prod = product(path)
    own = list(resource_requests(prod, template(path), STACK_HANDLERS))
    copy = [Labeled(f"test-copy {x.label}", x.request)
            for x in resource_requests(prod.for_test(TEST_SUFFIX), template(path, TEST_SUFFIX), STACK_HANDLERS)]
    return [x for x in own + copy if not any(f in x.label for f in FROZEN)]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_service_role_allows_every_handler_dependent_and_kms_request(path: Path) -> None:
    requests = _service_role_requests(path)
    assert len(requests) > 100
    results = run(principals(path)["cloudformation-service-role"], requests)
    assert failures(results, want_allowed=True) == []


@pytest.mark.parametrize("kind", ["deployer", "plan", "drift"])
@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_account_roles_allow_every_call_the_tool_makes(path: Path, kind: str) -> None:
    prod = product(path)
    sources = kind == "deployer"  # only deploy-product / test-deploy seed absent S3 source keys
    requests = list(tool_requests(prod, template(path), tool_actions(kind), seed_sources=sources))
    requests += [Labeled(f"test-copy {x.label}", x.request)
                 for x in tool_requests(prod.for_test(TEST_SUFFIX), template(path, TEST_SUFFIX), tool_actions(kind),
                                        seed_sources=sources)]
    if kind in ("deployer", "plan"):
        requests.append(Labeled("pass the service role", Request(
            "iam:PassRole", product_service_role_arn(prod), {"iam:PassedToService": "cloudformation.amazonaws.com"})))
    if kind == "drift":
        # CloudFormation reads the live resources with the caller's credentials (the read handlers' Read/List actions).
        requests += [x for x in resource_requests(prod, template(path), ("read",)) if iamref.is_read_only(x.request.action)]
    results = run(principals(path)[kind], requests)
    assert failures(results, want_allowed=True) == []


@pytest.mark.parametrize("path", [p for p in PRODUCTS if "existing" in p.stem][:1], ids=lambda p: p.stem)
def test_the_model_is_not_vacuous_an_empty_policy_denies_everything(path: Path) -> None:
    empty = {"arn": "arn:aws:iam::123456789012:role/x", "policies": [{"Version": "2012-10-17", "Statement": []}]}
    requests = _service_role_requests(path)[:60]
    assert len(failures(run(empty, requests), want_allowed=True)) == len(requests)
