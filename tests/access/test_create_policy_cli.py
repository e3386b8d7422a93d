"""``mlprov create-policy CONFIG --json`` prints the contract; without --json it writes the access files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.cli import main

from tests.conftest import REPO

PRO = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"


def test_json_prints_exactly_the_contract(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    assert main(["create-policy", PRO, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["product", "principals"]
    assert out["product"] == "techcorp-prod-a001-usw2-customer-churn-ml"
    assert [(p["kind"], p["name"]) for p in out["principals"]] == [
        ("deployer", "mlprov-deploy"), ("cloudformation-service-role", "techcorp-prod-a001-usw2-customer-churn-ml-cfn"),
        ("plan", "mlprov-plan"), ("drift", "mlprov-drift")]
    committed = {k: json.loads((REPO / "products" / PRO / "access" / f"{k}.json").read_text()) for k in
                 ("deployer", "cloudformation-service-role", "plan", "drift")}
    assert out["principals"] == list(committed.values())


def test_json_with_the_repository_adds_oidc_trust(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/ml-products")
    assert main(["create-policy", PRO, "--json", "--environment", "prod-approval"]) == 0
    deployer = json.loads(capsys.readouterr().out)["principals"][0]
    assert deployer["trust"]["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == \
        ["repo:acme/ml-products:environment:prod-approval"]


def test_a_bad_repository_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create-policy", PRO, "--json", "--github-repository", "not a repo"]) == 2
    err = capsys.readouterr().err
    assert "--github-repository 'not a repo': expected OWNER/NAME, e.g. acme/ml-products" in err
    assert "Traceback" not in err


def test_writing_the_files_reports_sizes_against_the_limits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create-policy", PRO, "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cloudformation-service-role.json", "deployer.json", "drift.json", "plan.json"]
    assert lines[0].startswith(f"{tmp_path}/deployer.json: deployer mlprov-deploy: ")
    assert all(" of 10 managed policies, " in line and line.endswith(" of 6144 characters each") for line in lines)
