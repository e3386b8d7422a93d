"""A change set without changes is deleted exactly once, however often callers clean up."""

from __future__ import annotations

import boto3
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
