"""``mlprov local-aws``: serves in the foreground, prints how to use it, seeds configs, stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.aws.cli_support import run_cli

REPO = Path(__file__).resolve().parents[2]
STARTER = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """``mlprov local-aws --port 0 ARGS`` in a subprocess (no AWS_* variables), with the lines it prints up to its
    "Ctrl-C stops it." line; killed afterwards if the test left it running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.Popen([sys.executable, "-m", "mlprov", "local-aws", "--port", "0", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Ctrl-C stops it."):
                break
        yield proc, lines
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_serves_until_ctrl_c() -> None:
    with serving("--seed", STARTER) as (proc, lines):
        endpoint = re.fullmatch(r"local AWS on (http://127\.0\.0\.1:\d+) \(moto server, in memory: everything is lost when it stops\)",
                                lines[0])
        assert endpoint, lines
        url = endpoint.group(1)
        assert lines[1].startswith("CloudFormation models added for: AWS::CloudWatch::Alarm, AWS::CodeBuild::Project, ")
        bootstrap = "mlprov-templates-123456789012-us-east-1 (the bootstrap's template bucket)"
        assert lines[2:5] == [f"seeded for {STARTER}: S3 bucket {bootstrap}",
                              f"seeded for {STARTER}: S3 bucket sagemaker-us-east-1-123456789012",
                              f"seeded for {STARTER}: S3 bucket startupco-ml-source-123456789012"]
        assert f"  export AWS_ENDPOINT_URL={url}" in lines
        creds = "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
        assert f"{creds}   # dummy credentials: only this endpoint accepts them" in lines
        import boto3

        s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [
            "mlprov-templates-123456789012-us-east-1", "sagemaker-us-east-1-123456789012", "startupco-ml-source-123456789012"]
        source = "startupco-ml-source-123456789012"  # the s3 source as the forecast expects it (MLPROV-F008)
        assert s3.get_bucket_versioning(Bucket=source)["Status"] == "Enabled"
        assert "EventBridgeConfiguration" in s3.get_bucket_notification_configuration(Bucket=source)
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert rest.splitlines()[-1] == "local AWS stopped"


def test_a_port_out_of_range_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(monkeypatch, "local-aws", "--port", "70000") == 2
    assert capsys.readouterr().err.splitlines() == ["--port 70000: not a port number", "hint: give 1-65535, or 0 for any free port"]


DIRECT = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"


@pytest.mark.slow
def test_strict_serves_the_rules_and_seeds_a_direct_configs_own_network() -> None:
    with serving("--strict", "--seed", DIRECT) as (proc, lines):
        url = lines[0].split()[3]
        assert lines[2] == ("strict: refusing what AWS refuses (access-log-target, artifact-store, codecommit-closed, "
                            "endpoint-service-zones, endpoint-subnet-zones, endpoint-vpc-dns, existing-name, expected-owner, "
                            "import-existing, named-replacement, private-dns, private-dns-zone, retain, template-size)")
        assert f"seeded for {DIRECT}: VPC vpc-0a1b2c3d4e5f67890 (the config's own id)" in lines
        assert f"seeded for {DIRECT}: subnet subnet-0a1b2c3d4e5f67891 (the config's own id)" in lines
        import boto3
        from botocore.exceptions import ClientError

        cfn = boto3.client("cloudformation", endpoint_url=url, region_name="eu-west-1", aws_access_key_id="testing",
                           aws_secret_access_key="testing")
        with pytest.raises(ClientError, match="Member must have length less than or equal to 51200"):
            cfn.validate_template(TemplateBody='{"Resources": {}, "Description": "' + "x" * 51_200 + '"}')
        proc.send_signal(signal.SIGINT)
        _rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
