"""The tool's own AWS calls are collected from the code; a call with no IAM action fails."""

from __future__ import annotations

import pytest
from mlprov.access import toolcalls
from mlprov.access.toolcalls import UnmappedCallError, scan_source


def test_the_scan_finds_the_deploy_paths_calls() -> None:
    calls = toolcalls.scan()
    found = {(c.module, c.action) for c in calls}
    assert ("aws/changeset.py", "cloudformation:CreateChangeSet") in found
    assert ("aws/deploy.py", "cloudformation:ExecuteChangeSet") in found
    assert ("aws/outputs.py", "ssm:GetParameter") in found  # the output verification (issue 10: was missing)
    assert ("aws/preflight.py", "ssm:GetParameter") in found  # the SSM pre-flight
    assert ("aws/livecheck/storage.py", "s3:ListBucket") in found  # head_bucket is authorized as ListBucket
    # passed to a helper as a bound method (_or_none(client.get_bucket_encryption, ...)): a call all the same
    assert ("aws/livecheck/storage.py", "s3:GetEncryptionConfiguration") in found
    assert not [c for c in calls if c.module.startswith("local_aws/")]


def test_every_call_has_an_iam_action() -> None:
    assert [c for c in toolcalls.scan() if c.action is None and c.operation != "GetCallerIdentity"] == []


def test_client_forms_the_scan_understands() -> None:
    source = '''
def f(aws, cfn, ctx):
    aws.client("kms").describe_key(KeyId="k")
    logs = aws.client("logs")
    logs.describe_log_groups()
    cfn.get_paginator("list_stack_resources").paginate(StackName="s")
    ctx.aws.ssm.get_parameter(Name="/x")
    aws.cfn.execute_change_set(ChangeSetName="c")
    logs.mkdir()  # not an operation of the service: ignored
    retry(logs.describe_log_streams, logGroupName="g")
'''
    assert [(c.line, c.action) for c in scan_source(source, "m.py")] == [
        (3, "kms:DescribeKey"), (5, "logs:DescribeLogGroups"), (6, "cloudformation:ListStackResources"),
        (7, "ssm:GetParameter"), (8, "cloudformation:ExecuteChangeSet"), (10, "logs:DescribeLogStreams")]


def test_a_call_whose_operation_has_no_iam_action_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(toolcalls.OVERRIDES, "s3:HeadBucket")
    with pytest.raises(UnmappedCallError) as err:
        scan_source('def f(aws):\n    aws.client("s3").head_bucket(Bucket="b")\n', "m.py")
    assert err.value.message == "boto3 s3.HeadBucket: no IAM action 's3:HeadBucket'; add it to toolcalls.OVERRIDES"


def test_operations_with_another_iam_name_are_mapped() -> None:
    assert toolcalls.action_for("s3", "GetBucketEncryption") == "s3:GetEncryptionConfiguration"
    assert toolcalls.action_for("sts", "GetCallerIdentity") is None
