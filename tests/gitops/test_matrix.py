"""The account-aware matrices: each product's entry carries its own account's roles, its own region and its
account's environment; the account fan-out groups by account and region. Uses a scratch repository with two
accounts (production and development) and products in two regions, and the repository's own accounts.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest
import yaml
from mlprov.cli import main
from mlprov.config.accounts import load_accounts
from mlprov.config.loader import load_product
from mlprov.errors import UserError
from mlprov.gitops.matrix import by_account, by_product, matrix

REPO = Path(__file__).resolve().parents[2]
PROD = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
PROD_S3 = "techcorp-prod-a002-us-west-2-customer-churn-ml-s3"
DEV = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
DEV_ACCOUNT = "210987654321"
ACCOUNTS = {"accounts": {
    "123456789012": {"name": "ml-prod", "default_region": "us-west-2", "environment": "production-approval", "production": True},
    DEV_ACCOUNT: {"name": "ml-dev", "default_region": "us-east-1", "environment": "development",
                  "roles": {"plan": f"arn:aws:iam::{DEV_ACCOUNT}:role/ci/plan"}},
}}


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "products").mkdir()
    for name in (PROD, PROD_S3, DEV):
        shutil.copy(REPO / "products" / f"{name}.yaml", tmp_path / "products" / f"{name}.yaml")
    dev = tmp_path / "products" / f"{DEV}.yaml"
    dev.write_text(dev.read_text().replace("'123456789012'", f"'{DEV_ACCOUNT}'"))
    (tmp_path / "accounts.yaml").write_text(yaml.safe_dump(ACCOUNTS))
    monkeypatch.setenv("MLPROV_ROOT", str(tmp_path))
    return tmp_path


def test_each_product_carries_its_own_account_role_region_and_environment(fleet: Path) -> None:
    entries = {e["product"]: e for e in by_product(fleet, [DEV, PROD])}
    assert list(entries) == [DEV, PROD]
    assert entries[DEV] == {
        "product": DEV, "account": DEV_ACCOUNT, "account_name": "ml-dev", "region": "us-east-1", "environment": "development",
        "production": False, "plan_role": f"arn:aws:iam::{DEV_ACCOUNT}:role/ci/plan",
        "deploy_role": f"arn:aws:iam::{DEV_ACCOUNT}:role/mlprov/mlprov-deploy",
        "drift_role": f"arn:aws:iam::{DEV_ACCOUNT}:role/mlprov/mlprov-drift"}
    assert (entries[PROD]["account"], entries[PROD]["region"], entries[PROD]["environment"], entries[PROD]["production"]) == (
        "123456789012", "us-west-2", "production-approval", True)
    assert entries[PROD]["deploy_role"] == "arn:aws:iam::123456789012:role/mlprov/mlprov-deploy"


def test_the_account_fan_out_groups_by_account_and_region(fleet: Path) -> None:
    groups = by_account(fleet, [PROD_S3, DEV, PROD])
    assert [(g["group"], g["products"]) for g in groups] == [("ml-dev-us-east-1", DEV), ("ml-prod-us-west-2", f"{PROD} {PROD_S3}")]
    assert groups[0]["plan_role"] == f"arn:aws:iam::{DEV_ACCOUNT}:role/ci/plan"
    assert matrix(fleet, [], "account") == {"include": []}


def test_a_product_whose_account_is_not_listed(fleet: Path) -> None:
    data = yaml.safe_load((fleet / "accounts.yaml").read_text())
    del data["accounts"][DEV_ACCOUNT]
    (fleet / "accounts.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(UserError) as exc:
        by_product(fleet, [DEV])
    config = fleet / "products" / f"{DEV}.yaml"
    assert exc.value.message == f"{config}: field 'account_id': {DEV_ACCOUNT} is not in {fleet / 'accounts.yaml'}"


def test_matrix_action_and_github_output(fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gh_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    assert main(["matrix", "--github-output"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [g["group"] for g in printed["include"]] == ["ml-dev-us-east-1", "ml-prod-us-west-2"]
    lines = out.read_text().splitlines()
    assert json.loads(lines[0].removeprefix("matrix=")) == printed and lines[1] == "count=2"
    assert main(["matrix", DEV, "--group-by", "product"]) == 0
    assert [e["product"] for e in json.loads(capsys.readouterr().out)["include"]] == [DEV]
    monkeypatch.delenv("GITHUB_OUTPUT")
    assert main(["matrix", "--github-output"]) == 2
    assert "--github-output: $GITHUB_OUTPUT is not set" in capsys.readouterr().err


def test_changed_products_matrix_carries_the_accounts(fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    repo = git.Repo.init(fleet, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "t")
        cw.set_value("user", "email", "t@example.com")
    repo.index.add(["accounts.yaml", *[f"products/{n}.yaml" for n in (PROD, PROD_S3, DEV)]])
    base = repo.index.commit("base").hexsha
    dev = fleet / "products" / f"{DEV}.yaml"
    dev.write_text(dev.read_text() + "# edited\n")
    repo.index.add([f"products/{DEV}.yaml"])
    repo.index.commit("edit dev")
    out = tmp_path / "gh_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    assert main(["changed-products", "--repo", str(fleet), "--base", base, "--format", "github-matrix", "--github-output"]) == 0
    printed = capsys.readouterr().out.strip()
    assert [(e["product"], e["deploy_role"], e["region"]) for e in json.loads(printed)["include"]] == [
        (DEV, f"arn:aws:iam::{DEV_ACCOUNT}:role/mlprov/mlprov-deploy", "us-east-1")]
    assert out.read_text() == f"matrix={printed}\nproducts={DEV}\ncount=1\n"


def test_every_product_of_the_repository_gets_its_accounts_roles_and_region() -> None:
    accounts = load_accounts(REPO)
    names = sorted(p.stem for p in (REPO / "products").glob("*.yaml"))
    for entry in by_product(REPO, names):
        product = load_product(REPO / "products" / f"{entry['product']}.yaml")
        account = accounts[product.account_id]
        assert (entry["account"], entry["region"], entry["environment"]) == (product.account_id, product.region, account.environment)
        assert (entry["plan_role"], entry["deploy_role"], entry["drift_role"]) == (
            account.roles["plan"], account.roles["deploy"], account.roles["drift"])
