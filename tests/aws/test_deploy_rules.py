"""Issue 12, "Stale or ungated deploys": show-changes, deploy-product, test-deploy and validate-prov-template refuse
a stale rendering (exit 2, naming `mlprov render NAME`); deploy-product refuses open gate findings unless
--skip-gate (logged, shown in the preview). Reproduces: after a config edit without render, show-changes said
"no changes" and deploy-product deployed the old template; --force deployed a product whose gate failed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from mlprov.aws import stack
from mlprov.commands import _gate_check
from mlprov.gates.model import Finding, GateResult, Severity, Tool

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
NOWHERE = ["--endpoint-url", "http://127.0.0.1:9"]  # never reached: the rule refuses first


@pytest.mark.parametrize("argv", [["show-changes"], ["deploy-product", "--force"], ["test-deploy"],
                                  ["validate-prov-template"]])
def test_a_stale_rendering_is_refused_by_every_deploy_path(scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    config = install(scratch, STARTER)
    data = yaml.safe_load(config.read_text())
    data["owner"] = "edited-without-render@example.com"  # the committed template still has the old owner tag
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    action, *flags = argv
    extra = NOWHERE if action != "validate-prov-template" else []
    assert run_cli(monkeypatch, action, str(config), *flags, *extra) == 2
    template = config.with_suffix("") / "template.yaml"
    assert capsys.readouterr().err.splitlines() == [
        f"{template}: stale rendering: it differs from what `mlprov render {config}` writes now",
        f"hint: run `mlprov render {config}`, review and commit the result, then rerun"]
    assert run_cli(monkeypatch, "render", str(config)) == 0  # the fix the message names
    capsys.readouterr()
    if action == "validate-prov-template":
        return
    monkeypatch.setattr(_gate_check, "gate_runner", lambda: None)  # what runs next is past the stale rule
    code = run_cli(monkeypatch, action, str(config), *flags, *extra)
    assert "stale rendering" not in capsys.readouterr().err and code != 0  # (nowhere to connect to)


def _findings(product: str) -> GateResult:
    template = f"products/{product}/template.yaml"
    return GateResult([product], findings=[
        Finding(Tool.CHECKOV, "CKV_AWS_21", Severity.MEDIUM, product, "ArtifactsBucket", "versioning is off", "enable it",
                template),
        Finding(Tool.CFN_GUARD, "MLPROV_KMS_ROTATION", Severity.HIGH, product, "KmsKey", "rotation is off", "enable it",
                template, pack="mlprov"),
    ])


@pytest.mark.slow
def test_open_gate_findings_refuse_the_deploy_unless_skip_gate(endpoint: str, scratch: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s954"}, as_name=STARTER.replace("s001", "s954"))
    name = "startupco-dev-s954-use1-fraud-detection-ml"
    gated: list[str] = []

    def runner(product: object) -> GateResult:
        gated.append(str(getattr(product, "name", "")))
        return _findings(config.stem)

    monkeypatch.setattr(_gate_check, "gate_runner", lambda: runner)
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"refusing to deploy {name}: the gate has 2 open finding(s)",
        "  checkov CKV_AWS_21 ArtifactsBucket: versioning is off",
        "  cfn-guard MLPROV_KMS_ROTATION KmsKey: rotation is off",
        f"hint: fix or waive them (`mlprov validate-prov-template {config}` shows them); "
        "--skip-gate deploys anyway, logged and shown in the preview"]
    assert gated == [config.stem]
    cfn = client(endpoint, "cloudformation", "us-east-1")
    assert stack.describe(cfn, name) is None  # nothing was created, not even a change set

    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-gate", *aws) == 0
    out = capsys.readouterr().out.splitlines()
    note = "GATE SKIPPED (--skip-gate): this deploy was not checked by cfn-lint, cfn-guard, checkov and iam-escalation"
    assert out[out.index(note) + 1].startswith("preview written to ")  # shown with the preview
    assert gated == [config.stem]  # not run again
    log = sorted((Path(os.environ["MLPROV_REPORTS_DIR"]) / "logs").glob("*-deploy-product.log"))[-1].read_text()
    assert f"WARNING mlprov: {name}: {note}" in log
    assert '"flags": ["--force", "--skip-gate"]' in log
    assert stack.describe(cfn, name)["StackStatus"] == "CREATE_COMPLETE"
    assert run_cli(monkeypatch, "delete-product", str(config), "--force", *aws) == 0
