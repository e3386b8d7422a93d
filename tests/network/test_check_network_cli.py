"""``mlprov check-network``: the reachability proof from the command line (exit 0 / 1)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from mlprov.cli import main
from mlprov.commands import check_network
from mlprov.config.model import Product
from mlprov.render import engine

from tests.conftest import REPO

STANDALONE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"


def test_every_enterprise_example_is_reachable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-network"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "network reachable: 17 enterprise product(s), every build reaches s3, logs, kms and sts"
    assert f"{STANDALONE}: BuildProject -> logs: endpoint LogsEndpoint" in out
    assert not [line for line in out if "UNREACHABLE" in line]


def test_other_tiers_are_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-network", "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"]) == 0
    assert capsys.readouterr().out == "no enterprise product among the configs: nothing runs in a VPC\n"


def test_a_broken_rule_exits_1_naming_the_file_project_and_service(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(product: Product) -> tuple[str, dict[str, Any]]:
        text, template = engine.render(product)
        template = copy.deepcopy(template)
        template["Resources"].pop("KmsEndpoint")
        return text, template

    monkeypatch.setattr(check_network, "render", broken)
    assert main(["check-network", STANDALONE]) == 1
    captured = capsys.readouterr()
    path = REPO / "products" / f"{STANDALONE}.yaml"
    assert f"{STANDALONE}: BuildProject -> kms: UNREACHABLE" in captured.out
    assert f"{path}: DeployProject cannot reach kms over HTTPS: no egress rule of its security groups leads to an " \
           "endpoint of kms that admits it, nor to a NAT route" in captured.out
    assert captured.err.splitlines()[:2] == [
        "2 unreachable service(s) in 1 enterprise product(s)",
        "hint: fix the security-group rules or endpoints named above (docs/networking.md)"]
