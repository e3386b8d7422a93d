"""Must show, for the external buckets and CodeCommit: `mlprov forecast` predicts the broken prerequisite with its
exact code and line before any change set exists; forced past the forecast the strict local AWS fails the same way
where AWS fails (at the create, or, for the S3 source bucket, at the pipeline's first execution); the healthy setup
deploys."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from mlprov.aws import stack
from mlprov.local_aws.strict import codecommit

from tests.aws.cli_support import run_cli
from tests.aws.conftest import REPO, client, install
from tests.aws.prereq_support import deploys, forced, predicted

PRO = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
STARTER_S3 = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"
W2, E1 = "us-west-2", "us-east-1"


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _bucket(endpoint: str, name: str, region: str) -> None:
    s3 = client(endpoint, "s3", region)
    s3.create_bucket(Bucket=name, **({} if region == E1 else {"CreateBucketConfiguration": {"LocationConstraint": region}}))


def _logging_policy(endpoint: str, name: str, region: str) -> None:
    client(endpoint, "s3", region).put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{name}/*", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}))


# --- the access-log bucket (professional, enterprise: ArtifactsBucket's LoggingConfiguration) -----------------------
@pytest.mark.parametrize(("case", "app"), [("missing", "a981"), ("other region", "a983"), ("other account", "a984")])
def test_access_log_bucket(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str], case: str, app: str) -> None:
    logs = _unique("prereq-access-logs")
    config = install(scratch, PRO, {"app_id": app, "access_log_bucket": logs}, as_name=PRO.replace("a001", app))
    name = f"techcorp-prod-{app}-usw2-customer-churn-ml"
    s3 = client(endpoint, "s3", W2)
    s3.delete_bucket_policy(Bucket=logs)
    s3.delete_bucket(Bucket=logs)
    if case == "missing":
        line = (f"MLPROV-F006 blocker: access_log_bucket: bucket {logs} does not exist "
                f"(fix: create it in {W2} first, or fix `access_log_bucket`)")
        reason = "The target bucket for logging does not exist (Service: InvalidTargetBucketForLogging)"
    elif case == "other region":
        _bucket(endpoint, logs, E1)
        _logging_policy(endpoint, logs, E1)
        line = f"MLPROV-F006 blocker: access_log_bucket: bucket {logs} is in {E1}, not in {W2} (fix: use a bucket in {W2})"
        reason = "Cross S3 location logging not allowed (Service: CrossLocationLoggingProhibited)"
    else:
        monkeypatch.setenv("MOTO_ACCOUNT_ID", "210987654321")
        _bucket(endpoint, logs, W2)
        monkeypatch.delenv("MOTO_ACCOUNT_ID")
        line = (f"MLPROV-F006 blocker: access_log_bucket: bucket {logs} is not readable by account 123456789012: it "
                "belongs to another account (fix: use a bucket of account 123456789012)")
        reason = ("The owner for the bucket to be logged and the target bucket must be the same "
                  "(Service: InvalidTargetBucketForLogging)")
    assert predicted(monkeypatch, capsys, endpoint, config, name, W2) == [line]
    assert forced(monkeypatch, capsys, endpoint, config, name) == [
        f"ArtifactsBucket (AWS::S3::Bucket): CREATE_FAILED: {reason}"]
    if case == "missing":  # the healthy setup: the bucket, with the policy the logging service needs
        _bucket(endpoint, logs, W2)
        _logging_policy(endpoint, logs, W2)
        deploys(monkeypatch, capsys, endpoint, config)
        bucket = client(endpoint, "cloudformation", W2).describe_stack_resource(
            StackName=name, LogicalResourceId="ArtifactsBucket")["StackResourceDetail"]["PhysicalResourceId"]
        assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]["TargetBucket"] == logs


def test_access_log_bucket_without_the_logging_policy(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The forecast refuses it (no log would ever be delivered); AWS does not: with ACLs disabled (bucket owner
    enforced, the default) PutBucketLogging checks no permission, the logs just never arrive (S3 User Guide,
    Troubleshoot server access logging: delivery failures). The forced deploy succeeds, as on AWS."""
    logs = _unique("prereq-access-logs")
    config = install(scratch, PRO, {"app_id": "a982", "access_log_bucket": logs}, as_name=PRO.replace("a001", "a982"))
    name = "techcorp-prod-a982-usw2-customer-churn-ml"
    client(endpoint, "s3", W2).delete_bucket_policy(Bucket=logs)
    assert predicted(monkeypatch, capsys, endpoint, config, name, W2) == [
        f"MLPROV-F006 blocker: access_log_bucket: bucket {logs} has no policy statement allowing logging.s3.amazonaws.com "
        f"s3:PutObject, so no access log is delivered (fix: add a bucket policy statement: Allow Service "
        f"logging.s3.amazonaws.com s3:PutObject on arn:aws:s3:::{logs}/* with aws:SourceAccount 123456789012)"]
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 0
    capsys.readouterr()
    found = stack.describe(client(endpoint, "cloudformation", W2), name)
    assert found is not None and found["StackStatus"] == "CREATE_COMPLETE"


# --- the starter's existing artifact bucket (the pipelines' artifact store) -------------------------------------------
def test_starter_artifact_bucket_missing(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    artifacts = _unique("prereq-artifacts")
    config = install(scratch, STARTER, {"app_id": "s982", "artifact_bucket": artifacts}, as_name=STARTER.replace("s001", "s982"))
    name = "startupco-dev-s982-use1-fraud-detection-ml"
    client(endpoint, "s3", E1).delete_bucket(Bucket=artifacts)
    assert predicted(monkeypatch, capsys, endpoint, config, name, E1) == [
        f"MLPROV-F007 blocker: artifact_bucket: bucket {artifacts} does not exist "
        f"(fix: create it in {E1} first, or fix `artifact_bucket`)"]
    (failed,) = forced(monkeypatch, capsys, endpoint, config, name)
    lid = failed.split(" ", 1)[0]
    assert lid in {"BuildPipeline", "DeployPipeline"}
    assert failed == (f"{lid} (AWS::CodePipeline::Pipeline): CREATE_FAILED: An error occurred while validating the artifact "
                      f"bucket '{artifacts}': No bucket with the name {artifacts} was found. Choose a valid artifact bucket "
                      f"in '{E1}', or create a new artifact bucket to use in your pipeline. (Service: InvalidStructureException)")
    _bucket(endpoint, artifacts, E1)
    deploys(monkeypatch, capsys, endpoint, config)


# --- the S3 source bucket: AWS accepts the pipelines, the first execution's Source action fails ----------------------
def _run_build_pipeline(endpoint: str, name: str) -> tuple[str, str]:
    pipeline = client(endpoint, "cloudformation", E1).describe_stack_resource(
        StackName=name, LogicalResourceId="BuildPipeline")["StackResourceDetail"]["PhysicalResourceId"]
    cp = client(endpoint, "codepipeline", E1)
    run = cp.start_pipeline_execution(name=pipeline)["pipelineExecutionId"]
    found = cp.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId=run)["pipelineExecution"]
    return str(found["status"]), str(found["statusSummary"])


@pytest.mark.parametrize(("case", "app"), [("unversioned", "s983"), ("missing", "s984")])
def test_s3_source_bucket(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str], case: str, app: str) -> None:
    source = yaml.safe_load((REPO / "products" / f"{STARTER_S3}.yaml").read_text())["source"]
    bucket = _unique("prereq-source")
    config = install(scratch, STARTER_S3, {"app_id": app, "source": {**source, "bucket": bucket}},
                     as_name=STARTER_S3.replace("s002", app))
    name = f"startupco-dev-{app}-use1-fraud-detection-ml"
    s3 = client(endpoint, "s3", E1)
    if case == "unversioned":
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
        line = (f"MLPROV-F008 blocker: source.bucket: bucket {bucket} is not versioned; the CodePipeline S3 source action "
                f"requires versioning (fix: aws s3api put-bucket-versioning --bucket {bucket} "
                "--versioning-configuration Status=Enabled)")
        why = f"The S3 bucket {bucket} is not versioned; the Amazon S3 source action requires a versioned bucket"
    else:
        s3.delete_bucket(Bucket=bucket)
        line = (f"MLPROV-F008 blocker: source.bucket: bucket {bucket} does not exist "
                f"(fix: create it in {E1} first, or fix `source.bucket`)")
        why = "The specified bucket does not exist"
    assert predicted(monkeypatch, capsys, endpoint, config, name, E1) == [line]
    if case == "missing":
        # With the seed code on (the default), the deploy's seeding of the source keys stops at the missing bucket
        # before the change set is executed: nothing is created.
        assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 2
        err = capsys.readouterr().err
        assert f"bucket {bucket} does not exist: source.build_key (model-build seed) goes there" in err
        before = stack.describe(client(endpoint, "cloudformation", E1), name)
        assert before is None or before["StackStatus"] == "REVIEW_IN_PROGRESS"
        # Without it (source.seed: false) the pipelines are what AWS sees.
        config = install(scratch, STARTER_S3, {"app_id": app, "source": {**source, "bucket": bucket, "seed": False}},
                         as_name=STARTER_S3.replace("s002", app), seed_buckets_too=False)
    # CreatePipeline does not look at a source action's bucket: the stack is created, as on AWS ...
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 0
    capsys.readouterr()
    found = stack.describe(client(endpoint, "cloudformation", E1), name)
    assert found is not None and found["StackStatus"] == "CREATE_COMPLETE"
    # ... and the first execution fails at its Source action
    assert _run_build_pipeline(endpoint, name) == ("Failed", f"Stage Source, action Source failed: {why}")
    if case == "missing":  # the healthy setup: the bucket, versioned, with the source zip
        _bucket(endpoint, bucket, E1)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
        s3.put_object(Bucket=bucket, Key=source["build_key"], Body=b"zip")
        deploys(monkeypatch, capsys, endpoint, config)
        assert _run_build_pipeline(endpoint, name) == (
            "InProgress", "Source stage succeeded; later stages are not run by the local endpoint")


# --- CodeCommit in an account new to it -----------------------------------------------------------------------------
@pytest.fixture
def new_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh account of the local endpoint (moto reads MOTO_ACCOUNT_ID per request) marked new to CodeCommit."""
    account = f"{uuid.uuid4().int % 10**12:012d}"
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account)
    codecommit.close(account)
    try:
        yield account
    finally:
        codecommit.reopen(account)


def test_codecommit_in_an_account_new_to_it(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], new_account: str) -> None:
    config = install(scratch, STARTER, {"app_id": "s985", "account_id": new_account, "artifact_bucket": _unique("prereq-art")},
                     as_name=STARTER.replace("s001", "s985"))
    name = "startupco-dev-s985-use1-fraud-detection-ml"
    assert run_cli(monkeypatch, "forecast", str(config), "--endpoint-url", endpoint) == 0  # a warning: it cannot know
    out = capsys.readouterr().out.splitlines()
    assert (f"MLPROV-F005 warning: account {new_account} has no CodeCommit repository in {E1}: CodeCommit is closed to new "
            "customers, so an account that never used it cannot create the repositories (fix: use an account that already "
            "uses CodeCommit, or switch the product to `source: {type: s3, ...}`)") in out
    assert stack.describe(client(endpoint, "cloudformation", E1), name) is None
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"deploy of {name} failed: stack is ROLLBACK_COMPLETE"
    (failed,) = [line.strip() for line in err if ": CREATE_FAILED: " in line]
    lid = failed.split(" ", 1)[0]
    assert lid in {"ModelBuildRepository", "ModelDeployRepository"}
    assert failed == (f"{lid} (AWS::CodeCommit::Repository): CREATE_FAILED: CreateRepository request is not allowed because "
                      "there is no existing repository in this AWS account or AWS Organization "
                      "(Service: OperationNotAllowedException)")
    codecommit.reopen(new_account)  # an existing customer now (AWS support enabled it)
    deploys(monkeypatch, capsys, endpoint, config)
    assert run_cli(monkeypatch, "forecast", str(config), "--endpoint-url", endpoint) == 0
    assert f"MLPROV-F005 info: CodeCommit in use in {E1} (2 repositories)" in capsys.readouterr().out.splitlines()
