"""A change set without changes is deleted exactly once, however often callers clean up."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import ANY, Stubber
from mlprov.aws import changeset
from mlprov.aws.stack import Poller

CS_ARN = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/mlprov-x/abc"


def test_no_changes_set_is_deleted_once() -> None:
    cfn = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(cfn) as stub:
        stub.add_response("create_change_set", {"Id": CS_ARN, "StackId": "sid"},
                          {"StackName": "st", "ChangeSetName": ANY, "ChangeSetType": "UPDATE", "TemplateBody": "{}",
                           "Capabilities": ANY, "Tags": [], "Description": "created by mlprov",
                           "ImportExistingResources": True})
        stub.add_response("describe_change_set", {
            "ChangeSetName": "mlprov-x", "StackName": "st", "Status": "FAILED", "ExecutionStatus": "UNAVAILABLE",
            "StatusReason": "The submitted information didn't contain changes. Submit different information to create a change set.",
        }, {"ChangeSetName": CS_ARN, "StackName": "st"})
        stub.add_response("delete_change_set", {}, {"ChangeSetName": CS_ARN, "StackName": "st"})
        cs = changeset.create(cfn, "st", "{}", {}, "UPDATE", poller=Poller(local=True, sleep=lambda _s: None))
        assert cs.no_changes and cs.deleted
        changeset.delete(cfn, cs)  # the caller's own clean-up: no second DeleteChangeSet call
        stub.assert_no_pending_responses()


def test_the_change_set_names_the_service_role() -> None:
    cfn = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    role = "arn:aws:iam::123456789012:role/mlprov/st-cfn"
    with Stubber(cfn) as stub:
        stub.add_response("create_change_set", {"Id": CS_ARN, "StackId": "sid"},
                          {"StackName": "st", "ChangeSetName": ANY, "ChangeSetType": "CREATE", "TemplateBody": "{}",
                           "Capabilities": ANY, "Tags": [], "Description": "created by mlprov", "RoleARN": role,
                           "ImportExistingResources": True})
        stub.add_response("describe_change_set", {"ChangeSetName": "mlprov-x", "StackName": "st", "Status": "CREATE_COMPLETE",
                                                  "ExecutionStatus": "AVAILABLE", "Changes": []},
                          {"ChangeSetName": CS_ARN, "StackName": "st"})
        cs = changeset.create(cfn, "st", "{}", {}, "CREATE", poller=Poller(local=True, sleep=lambda _s: None), role_arn=role)
        assert cs.id == CS_ARN
        stub.assert_no_pending_responses()


def test_plan_passes_the_products_service_role_also_for_a_test_copy() -> None:
    from mlprov.config.loader import load_product
    from mlprov.deploypath import product_service_role_arn

    from tests.conftest import PRODUCTS

    product = load_product(next(p for p in PRODUCTS if p.stem.startswith("startupco-dev-s002") and "blue" not in p.stem))
    arn = "arn:aws:iam::123456789012:role/mlprov/startupco-dev-s002-use1-fraud-detection-ml-cfn"
    assert product_service_role_arn(product) == arn
    assert product_service_role_arn(product.for_test("t1a2b3c")) == arn


def test_the_plan_role_may_leave_the_empty_review_stack() -> None:
    cfn = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(cfn) as stub:
        stub.add_response("delete_change_set", {}, {"ChangeSetName": CS_ARN, "StackName": "st"})
        stub.add_response("describe_stacks", {"Stacks": [{"StackName": "st", "StackStatus": "REVIEW_IN_PROGRESS",
                                                          "CreationTime": "2026-01-01T00:00:00Z"}]}, {"StackName": "st"})
        stub.add_client_error("delete_stack", "AccessDenied", "not authorized to perform: cloudformation:DeleteStack")
        changeset.delete(cfn, changeset.ChangeSet(id=CS_ARN, stack_name="st", change_type="CREATE"))
        stub.assert_no_pending_responses()


def test_other_delete_stack_errors_still_raise() -> None:
    from botocore.exceptions import ClientError

    cfn = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(cfn) as stub:
        stub.add_response("delete_change_set", {}, {"ChangeSetName": CS_ARN, "StackName": "st"})
        stub.add_response("describe_stacks", {"Stacks": [{"StackName": "st", "StackStatus": "REVIEW_IN_PROGRESS",
                                                          "CreationTime": "2026-01-01T00:00:00Z"}]}, {"StackName": "st"})
        stub.add_client_error("delete_stack", "Throttling", "slow down")
        with pytest.raises(ClientError):
            changeset.delete(cfn, changeset.ChangeSet(id=CS_ARN, stack_name="st", change_type="CREATE"))
