"""The account guard: a config's account_id and region against the caller (sts:GetCallerIdentity) and the client,
refused with exit 2 before any other AWS call in every AWS action; the prompt and the log name the target."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from mlprov.aws import stack
from mlprov.aws.deploy import Options, deploy
from mlprov.aws.identity import guard
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.render.engine import render

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
# moto's caller on the embedded endpoint (its default account; the examples' account_id is the same)
CALLER = "arn:aws:sts::123456789012:user/moto"
ACTIONS = (("show-changes",), ("deploy-product", "--force"), ("test-deploy",), ("delete-product", "--force"),
           ("check-drift",), ("forecast",))


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_another_account_is_refused_before_anything(action: tuple[str, ...], endpoint: str, scratch: Path,
                                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s951", "account_id": "210987654321"},
                     as_name=STARTER.replace("s001", "s951"))
    assert run_cli(monkeypatch, action[0], str(config), *action[1:], "--endpoint-url", endpoint) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{config}: account_id is 210987654321 in the config but the credentials are for account 123456789012 ({CALLER})",
        "hint: use credentials of account 210987654321 (--profile or AWS_PROFILE), or fix `account_id` in the config "
        "and re-render with `mlprov render`"]
    cfn = client(endpoint, "cloudformation", "us-east-1")
    assert stack.describe(cfn, "startupco-dev-s951-use1-fraud-detection-ml") is None  # nothing was created


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_another_region_is_refused(action: tuple[str, ...], endpoint: str, scratch: Path,
                                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s952"}, as_name=STARTER.replace("s001", "s952"))
    argv = [action[0], str(config), *action[1:], "--region", "eu-west-1", "--endpoint-url", endpoint]
    assert run_cli(monkeypatch, *argv) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{config}: region is us-east-1 in the config but the AWS client targets eu-west-1",
        "hint: drop --region (the config's region us-east-1 is used), or change `region` in the config and re-render "
        "with `mlprov render`"]


def test_moto_account_id_selects_the_local_account(endpoint: str, scratch: Path) -> None:
    """moto answers GetCallerIdentity for MOTO_ACCOUNT_ID (read per request; the server runs in this process), so a
    config of another account passes the guard locally only where the server really is that account."""
    config = install(scratch, STARTER, {"app_id": "s954", "account_id": "210987654321"},
                     as_name=STARTER.replace("s001", "s954"), seed_buckets_too=False)
    prod = load_product(config)
    monkey = pytest.MonkeyPatch()
    monkey.setenv("MOTO_ACCOUNT_ID", "210987654321")
    try:
        who = guard(Aws(Target(region="us-east-1", endpoint_url=endpoint)), prod)
    finally:
        monkey.undo()
    assert who.line() == "account 210987654321, region us-east-1, caller arn:aws:sts::210987654321:user/moto"


def test_prompt_and_log_name_account_region_and_caller(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s953"}, as_name=STARTER.replace("s001", "s953"))
    prod = load_product(config)
    aws = Aws(Target(region="us-east-1", endpoint_url=endpoint))
    assert guard(aws, prod).line() == f"account 123456789012, region us-east-1, caller {CALLER}"
    asked: list[str] = []

    def no(prompt: str) -> bool:
        asked.append(prompt)
        return False

    text, template = render(prod)
    code = deploy(aws, prod, text, template, opts=Options(confirm=no), out=io.StringIO(), reports_dir=scratch / "r")
    assert code == 1
    assert asked == ["execute this change set on startupco-dev-s953-use1-fraud-detection-ml "
                     f"(account 123456789012, region us-east-1, caller {CALLER})? [y/N] "]
    assert run_cli(monkeypatch, "show-changes", str(config), "--endpoint-url", endpoint) == 0
    capsys.readouterr()
    logs = sorted((Path(os.environ["MLPROV_REPORTS_DIR"]) / "logs").glob("*-show-changes.log"))
    assert f"AWS target: account 123456789012, region us-east-1, caller {CALLER}" in logs[-1].read_text()
