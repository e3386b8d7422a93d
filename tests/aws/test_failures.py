"""Failure paths: change set that fails to create, a resource that fails on execute, throttling answered by
retries, a stack in ROLLBACK_COMPLETE, no terminal, missing template, enterprise pre-flight, name clashes."""

from __future__ import annotations

import http.server
import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from mlprov.aws import stack
from mlprov.aws.deploy import Options, deploy
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.errors import AwsError, FindingsError

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install, write_template

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
STACK = "startupco-dev-s001-use1-fraud-detection-ml"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
EXISTING_SSM = "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm"


def _stubbed(region: str = "us-east-1") -> tuple[Aws, Stubber]:
    aws = Aws(Target(region=region, endpoint_url="http://127.0.0.1:9"))
    stubber = Stubber(aws.cfn)
    stubber.activate()
    return aws, stubber


def test_change_set_that_fails_to_create(scratch: Path, tmp_path: Path) -> None:
    product = load_product(install(scratch, STARTER))
    aws, stub = _stubbed()
    stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")
    stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")
    cs_id = f"arn:aws:cloudformation:us-east-1:123456789012:changeSet/x/{'0' * 8}"
    stub.add_response("create_change_set", {"Id": cs_id, "StackId": "arn:stack"})
    reason = "Template format error: Unresolved resource dependencies [Nope]"
    stub.add_response("describe_change_set", {"Status": "FAILED", "StatusReason": reason, "ChangeSetName": "x", "StackName": STACK})
    stub.add_response("delete_change_set", {})
    stub.add_response("describe_stacks", {"Stacks": []})
    stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")  # protections
    with pytest.raises(AwsError) as err:
        deploy(aws, product, "{}", {"Resources": {}}, opts=Options(force=True, skip_forecast=True), out=io.StringIO(),
               reports_dir=tmp_path)
    assert err.value.lines() == [
        f"stack {STACK}: the change set failed: Template format error: Unresolved resource dependencies [Nope]",
        "hint: run `mlprov validate-prov-template CONFIG` to check the template",
    ]
    stub.assert_no_pending_responses()


def test_resource_that_fails_on_execute(endpoint: str, scratch: Path, tmp_path: Path) -> None:
    # A template no config renders (the CLI refuses it as stale): through the library, as a broken engine would.
    config = install(scratch, STARTER, {"app_id": "s901"}, as_name=STARTER.replace("s001", "s901"))
    product = load_product(config)

    def bad_bucket(t: dict[str, Any]) -> None:
        t["Resources"]["BrokenBucket"] = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "x"}}

    template = write_template(config, bad_bucket)
    aws = Aws(Target(region="us-east-1", endpoint_url=endpoint))
    with pytest.raises(AwsError) as err:  # deploy() itself: the hand-edited template is stale on purpose
        deploy(aws, product, json.dumps(template), template, opts=Options(force=True), out=io.StringIO(),
               reports_dir=tmp_path, err=io.StringIO())
    # the strict endpoint rolls the first create back, as AWS does (ExecuteChangeSet itself succeeds)
    assert err.value.lines() == [
        "deploy of startupco-dev-s901-use1-fraud-detection-ml failed: stack is ROLLBACK_COMPLETE",
        "  BrokenBucket (AWS::S3::Bucket): CREATE_FAILED: The specified bucket is not valid. (Service: InvalidBucketName)",
        f"hint: the creation was rolled back; `mlprov deploy-product {product.path} --force` deletes and recreates it"]


class _Throttler(http.server.BaseHTTPRequestHandler):
    """Answers the first ``budget`` requests with a Throttling error, then forwards to moto."""

    target = ""
    budget = 0
    seen = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen += 1
        if type(self).budget > 0:
            type(self).budget -= 1
            payload = (b'<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>'
                       b'</Error><RequestId>r</RequestId></ErrorResponse>')
            self.send_response(400)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "content-length"}}
        req = urllib.request.Request(self.target, data=body, headers=headers, method="POST")
        try:
            resp = urllib.request.urlopen(req)
        except urllib.error.HTTPError as exc:  # moto's 4xx answers are forwarded as they are
            resp = exc
        with resp:
            data = resp.read()
            self.send_response(resp.status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def throttler(endpoint: str) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Throttler)
    _Throttler.target, _Throttler.budget, _Throttler.seen = endpoint, 2, 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_throttling_is_answered_by_adaptive_retries(throttler: str) -> None:
    aws = Aws(Target(region="us-east-1", endpoint_url=throttler))
    assert stack.describe(aws.cfn, "no-such-stack-anywhere") is None
    assert _Throttler.seen == 3  # two throttled, the third answered


def test_rollback_complete_is_explained_and_refused_without_force(scratch: Path, tmp_path: Path) -> None:
    product = load_product(install(scratch, STARTER))
    aws, stub = _stubbed()
    stub.add_response("describe_stacks", {"Stacks": [{"StackName": STACK, "StackStatus": "ROLLBACK_COMPLETE",
                                                      "CreationTime": "2026-01-01T00:00:00Z"}]})
    with pytest.raises(FindingsError) as err:
        deploy(aws, product, "{}", {"Resources": {}}, opts=Options(skip_forecast=True), out=io.StringIO(), reports_dir=tmp_path)
    assert err.value.lines() == [
        f"stack {STACK} is in ROLLBACK_COMPLETE: its first creation failed and was rolled back, so it cannot be updated",
        "hint: see why with `aws cloudformation describe-stack-events`; then `mlprov deploy-product CONFIG --force` "
        "deletes the empty stack and creates it again",
    ]


def test_rollback_complete_with_force_deletes_then_recreates(scratch: Path, tmp_path: Path) -> None:
    product = load_product(install(scratch, STARTER))
    aws, stub = _stubbed()
    rolled_back = {"StackName": STACK, "StackStatus": "ROLLBACK_COMPLETE", "CreationTime": "2026-01-01T00:00:00Z"}
    stub.add_response("describe_stacks", {"Stacks": [rolled_back]})
    stub.add_response("delete_stack", {})
    stub.add_response("describe_stack_events", {"StackEvents": []})
    stub.add_response("describe_stack_events", {"StackEvents": []})
    stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")
    stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")
    stub.add_client_error("create_change_set", "ValidationError", "stop here")
    stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")  # protections
    out = io.StringIO()
    with pytest.raises(AwsError, match="the change set could not be created: stop here"):
        deploy(aws, product, "{}", {"Resources": {}}, opts=Options(force=True, skip_forecast=True), out=out, reports_dir=tmp_path)
    assert f"stack {STACK} is in ROLLBACK_COMPLETE: deleting it to create it again (--force)" in out.getvalue()
    stub.assert_no_pending_responses()


def test_refused_without_a_terminal_unless_forced(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run_cli(monkeypatch, "deploy-product", str(config), "--endpoint-url", endpoint) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"refusing to deploy {STACK} without confirmation: no terminal to ask on",
                   "hint: review the preview above, then rerun with --force"]
    assert stack.describe(client(endpoint, "cloudformation", "us-east-1"), STACK) is None  # nothing left behind


def test_template_missing(scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER)
    (config.with_suffix("") / "template.yaml").unlink()
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", "http://127.0.0.1:9") == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{config.with_suffix('')}/template.yaml: template missing",
                   f"hint: run `mlprov create-prov-template {config}` first"]


def test_enterprise_preflight_lists_what_is_missing(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    direct = install(scratch, ENTERPRISE)
    assert run_cli(monkeypatch, "deploy-product", str(direct), "--force", "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{direct}: 3 network prerequisite(s) missing in eu-west-1",
                   "  missing: VPC vpc-0a1b2c3d4e5f67890 (network.vpc_id/subnet_ids) does not exist",
                   "  missing: subnet subnet-0a1b2c3d4e5f67891 (network.vpc_id/subnet_ids) does not exist",
                   "  missing: subnet subnet-0a1b2c3d4e5f67892 (network.vpc_id/subnet_ids) does not exist",
                   "hint: create them (or fix the ids under network:) before deploying"]
    via_ssm = install(scratch, EXISTING_SSM)
    assert run_cli(monkeypatch, "deploy-product", str(via_ssm), "--force", "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[1:4] == [
        "  missing: SSM parameter /network/prod/vpc-id (network.vpc_id_parameter) does not exist",
        "  missing: SSM parameter /network/prod/private-subnet-ids (network.subnet_ids_parameter) does not exist",
        "  missing: CloudFormation export sg-provisioner-prod-SecurityGroupId (network.security_group_export) does not exist: "
        "deploy the security-group provisioner stack first",
    ]


def test_test_deploy_coexists_with_the_product(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s777"}, as_name=STARTER.replace("s001", "s777"))
    real = "startupco-dev-s777-use1-fraud-detection-ml"
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    assert run_cli(monkeypatch, "test-deploy", str(config), "--suffix", "t0a1b2c", *aws) == 0
    out = capsys.readouterr().out
    assert f"test stack: {real}-t0a1b2c" in out
    cfn, ssm = client(endpoint, "cloudformation", "us-east-1"), client(endpoint, "ssm", "us-east-1")
    assert stack.describe(cfn, real)["StackStatus"] == "CREATE_COMPLETE"
    assert stack.describe(cfn, f"{real}-t0a1b2c")["StackStatus"] == "CREATE_COMPLETE"
    assert ssm.get_parameter(Name=f"/mlprov/{real}-t0a1b2c/ModelPackageGroupArn")
    assert ssm.get_parameter(Name=f"/mlprov/{real}/ModelPackageGroupArn")
    # the same suffix again: the stack exists
    assert run_cli(monkeypatch, "test-deploy", str(config), "--suffix", "t0a1b2c", *aws) == 2
    assert capsys.readouterr().err.splitlines() == [  # the hint names the copy, never the product's own stack
        f"stack {real}-t0a1b2c already exists",
        f"hint: remove it with `mlprov delete-product {config} --stack-name {real}-t0a1b2c --force`, "
        "or test-deploy with another --suffix",
    ]
    assert run_cli(monkeypatch, "delete-product", str(config), "--stack-name", "someone-elses-stack", "--force", *aws) == 2
    assert run_cli(monkeypatch, "delete-product", str(config), "--stack-name", f"{real}-t0a1b2c", "--force", *aws) == 0
    assert stack.describe(cfn, f"{real}-t0a1b2c") is None
    assert stack.describe(cfn, real)["StackStatus"] == "CREATE_COMPLETE"
