"""Fleet actions on the embedded local AWS: `plan` and `check-drift` over several products at once, one summary,
per-product reports, a missing stack as that product's error, and drift of one product failing the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
PROFESSIONAL = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"


@pytest.mark.slow
def test_plan_and_drift_over_several_products(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    starter = install(scratch, STARTER, {"app_id": "s771"}, as_name=STARTER.replace("s001", "s771"))
    pro = install(scratch, PROFESSIONAL, {"app_id": "a771"}, as_name=PROFESSIONAL.replace("a001", "a771"))
    never = install(scratch, STARTER, {"app_id": "s772"}, as_name=STARTER.replace("s001", "s772"))
    reports = scratch / "reports"
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(reports))
    aws = ["--endpoint-url", endpoint]

    assert run_cli(monkeypatch, "plan", "--all", "--jobs", "3", *aws) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["product", "status", "type", "add", "modify", "replace", "remove", "data", "loss", "seconds"]
    rows = {line.split()[0]: line.split() for line in out[1:4]}
    assert set(rows) == {starter.stem, pro.stem, never.stem}
    assert all(r[1:3] == ["changes", "CREATE"] and int(r[3]) > 0 for r in rows.values())
    assert out[4] == "3 product(s): 3 changes"
    summary = json.loads((reports / "fleet" / "plan.json").read_text())
    assert (summary["jobs"], [p["product"] for p in summary["products"]]) == (3, sorted([starter.stem, pro.stem, never.stem]))
    assert all((reports / n / "changes.json").is_file() for n in (starter.stem, pro.stem, never.stem))

    for config in (starter, pro):
        assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    capsys.readouterr()

    assert run_cli(monkeypatch, "check-drift", starter.stem, pro.stem, "--jobs", "2", *aws) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["product", "status", "drifted", "deleted", "not", "checked", "coverage", "seconds"]
    # status: the drift verdict (DRIFTED, INCOMPLETE or IN_SYNC), then drifted and deleted counts
    assert [line.split()[:4] for line in out[1:3]] == [[starter.stem, "IN_SYNC", "0", "0"], [pro.stem, "IN_SYNC", "0", "0"]]
    assert out[3] == "2 product(s): 2 IN_SYNC"

    # the never-deployed product: its own error line; then drift in one stack fails the run (exit 1)
    stack = "techcorp-prod-a771-usw2-customer-churn-ml"
    ssm = client(endpoint, "ssm", "us-west-2")
    ssm.put_parameter(Name=f"/mlprov/{stack}/ModelPackageGroupArn", Value="tampered", Type="String", Overwrite=True)
    assert run_cli(monkeypatch, "check-drift", "--all", *aws) == 2
    out = capsys.readouterr().out
    assert f"{never.stem}: stack startupco-dev-s772-use1-fraud-detection-ml does not exist in us-east-1" in out
    assert run_cli(monkeypatch, "check-drift", starter.stem, pro.stem, *aws) == 1
    out = capsys.readouterr().out
    assert "2 product(s): 1 DRIFTED, 1 IN_SYNC" in out
    drift = json.loads((reports / "fleet" / "check-drift.json").read_text())
    assert {p["product"]: p["drifted"] for p in drift["products"]} == {pro.stem: True, starter.stem: False}


def test_fleet_usage_errors(scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    install(scratch, STARTER)
    assert run_cli(monkeypatch, "check-drift", STARTER, "--stack-name", "x", "--all") == 2
    assert "--stack-name: give exactly one CONFIG with it" in capsys.readouterr().err
    assert run_cli(monkeypatch, "plan") == 2
    assert "no products given" in capsys.readouterr().err
    assert run_cli(monkeypatch, "plan", "--all", "--jobs", "0") == 2
    assert "--jobs 0: expected 1 to 64" in capsys.readouterr().err
    assert run_cli(monkeypatch, "check-drift", "--all", "--shard", "9/2") == 2
    assert "--shard 9/2: K must be between 1 and N (N at least 1)" in capsys.readouterr().err
