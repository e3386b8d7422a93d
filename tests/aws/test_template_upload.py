"""Templates over the 51,200-byte inline limit go through the bootstrap's bucket: content-addressed key, SSE,
TemplateURL; without the bucket the forecast refuses before any change."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from mlprov.aws import stack

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
BUCKET = "mlprov-templates-123456789012-eu-west-1"  # deploypath.template_bucket_name, made by `mlprov bootstrap`
TAGS = {f"cost-allocation-{i:02d}": f"finance-dept-value-{i:02d}" for i in range(15)}


def _config(scratch: Path, endpoint: str, app: str) -> Path:
    network = enterprise_network(endpoint, "eu-west-1")
    return install(scratch, ENTERPRISE, {"app_id": app, "tags": {"data-classification": "confidential", **TAGS}},
                   network=network, as_name=ENTERPRISE.replace("b002", app))


@pytest.mark.slow
def test_fifteen_extra_tags_deploy_through_s3(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(scratch, endpoint, "b971")
    s3 = client(endpoint, "s3", "eu-west-1")  # install made BUCKET as the bootstrap does; other tests' templates too
    before = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    out = capsys.readouterr().out
    name = "globalbank-prod-b971-euw1-demand-forecasting-ml"
    assert f"stack {name}: CREATE_COMPLETE" in out
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    keys = {k for k in keys if k.startswith("templates/")}  # the repositories' seed archives go to seeds/
    assert len(keys - before) == 1  # this template, once
    (key,) = keys - before
    body = s3.get_object(Bucket=BUCKET, Key=key)
    data = body["Body"].read()
    assert len(data) > 51_200
    assert key == f"templates/{hashlib.sha256(data).hexdigest()}.json"  # content-addressed
    assert body["ServerSideEncryption"] == "AES256"
    deployed = client(endpoint, "cloudformation", "eu-west-1").get_template(StackName=name)["TemplateBody"]
    assert (deployed if isinstance(deployed, dict) else json.loads(deployed)) == json.loads(data)
    # a second deploy without edits: the same object, no upload, no changes
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    assert f"no changes: stack {name} is up to date" in capsys.readouterr().out
    assert {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"] if o["Key"].startswith("templates/")} == keys


def test_without_the_bucket_the_forecast_refuses(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, ENTERPRISE, {"app_id": "b972", "region": "eu-central-1",
                                           "tags": {"data-classification": "confidential", **TAGS}},
                     network=enterprise_network(endpoint, "eu-central-1"),
                     as_name=ENTERPRISE.replace("b002-eu-west-1", "b972-eu-central-1"), template_bucket=False)
    assert run_cli(monkeypatch, "forecast", str(config), "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("  MLPROV-F002 blocker: template bucket mlprov-templates-123456789012-eu-central-1 does not "
                             "exist, and the template (")
    assert err[0].endswith("bytes) can only be sent through S3 (fix: run `mlprov bootstrap` for this account and region)")
    name = "globalbank-prod-b972-euc1-demand-forecasting-ml"
    # forced past the forecast, the upload itself says why
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 2
    hint = "hint: run `mlprov bootstrap` for this account and region (it creates the bucket)"
    assert capsys.readouterr().err.splitlines()[-1] == hint
    assert stack.describe(client(endpoint, "cloudformation", "eu-central-1"), name) is None


def test_create_template_tells_the_truth_about_the_size(scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, ENTERPRISE, {"app_id": "b973", "tags": TAGS}, as_name=ENTERPRISE.replace("b002", "b973"))
    assert run_cli(monkeypatch, "create-prov-template", str(config)) == 0
    note = capsys.readouterr().out.splitlines()[-1]
    assert note.startswith("note: over the 51,200-byte inline limit as written; deploys send it through S3 as TemplateURL "
                           "s3://mlprov-templates-123456789012-eu-west-1/templates/")
