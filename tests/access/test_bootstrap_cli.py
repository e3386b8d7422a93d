"""``mlprov bootstrap`` on a scratch repository: what it writes, --check (stale, missing, orphaned), the account stack of
every product of the account even for one CONFIG, and the recorded trust that $GITHUB_REPOSITORY does not change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from mlprov.cli import main

from tests.access.test_bootstrap import COMMITTED
from tests.conftest import REPO


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "products").mkdir()
    for name in COMMITTED:
        shutil.copy(REPO / "products" / f"{name}.yaml", tmp_path / "products")
    monkeypatch.setenv("MLPROV_ROOT", str(tmp_path))
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    return tmp_path


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root / "bootstrap")) for p in (root / "bootstrap").glob("**/template.yaml"))


def test_render_check_subset_orphans_and_the_recorded_trust(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bootstrap", "--github-repository", "acme/ml"]) == 0
    assert len([line for line in capsys.readouterr().out.splitlines() if line.startswith("wrote ")]) == 7
    assert _files(repo) == [
        "123456789012-eu-west-1/template.yaml", "123456789012-us-east-1/template.yaml", "123456789012-us-west-2/template.yaml",
        "123456789012/service-roles/globalbank-prod-b003-euw1-demand-forecasting-ml/template.yaml",
        "123456789012/service-roles/startupco-dev-s002-use1-fraud-detection-ml/template.yaml",
        "123456789012/service-roles/techcorp-prod-a001-usw2-customer-churn-ml/template.yaml",
        "123456789012/template.yaml"]
    account = yaml.safe_load((repo / "bootstrap" / "123456789012" / "template.yaml").read_text())
    assert account["Metadata"]["MlProvisioner"]["Trust"]["GitHubRepository"] == "acme/ml"
    # a CI job's $GITHUB_REPOSITORY does not change the committed trust
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/else")
    assert main(["bootstrap", "--check"]) == 0
    assert capsys.readouterr().out.strip() == "7 bootstrap template(s) current"
    # one product: its region and service-role stacks, and the account stack of all three (so still current)
    assert main(["bootstrap", str(repo / "products" / f"{COMMITTED[0]}.yaml"), "--check"]) == 0
    assert capsys.readouterr().out.strip() == "3 bootstrap template(s) current"
    # a hand-edited service role is stale
    role = repo / "bootstrap" / "123456789012" / "service-roles" / "techcorp-prod-a001-usw2-customer-churn-ml" / "template.yaml"
    role.write_text(role.read_text() + "# edited\n")
    assert main(["bootstrap", "--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{role}: out of date; run 'mlprov bootstrap' and commit it"]
    # a product removed: its service-role stack and its region's bucket stack are orphans, the account stack is stale
    (repo / "products" / f"{COMMITTED[0]}.yaml").unlink()
    assert main(["bootstrap", "--check"]) == 1
    err = capsys.readouterr().err.splitlines()
    boot = repo / "bootstrap"
    assert err == [
        f"{boot / '123456789012' / 'service-roles' / 'techcorp-prod-a001-usw2-customer-churn-ml' / 'template.yaml'}: "
        "out of date; run 'mlprov bootstrap' and commit it",
        f"{boot / '123456789012' / 'template.yaml'}: out of date; run 'mlprov bootstrap' and commit it",
        f"{boot / '123456789012' / 'service-roles' / 'startupco-dev-s002-use1-fraud-detection-ml' / 'template.yaml'}: "
        "no product renders it; run 'mlprov bootstrap' (it removes it) and commit",
        f"{boot / '123456789012-us-east-1' / 'template.yaml'}: no product renders it; run 'mlprov bootstrap' (it removes it) "
        "and commit"]
    assert main(["bootstrap"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("removed ") for line in out) == 2
    assert not (boot / "123456789012-us-east-1").exists()
    assert not (boot / "123456789012" / "service-roles" / "startupco-dev-s002-use1-fraud-detection-ml").exists()
    assert main(["bootstrap", "--check"]) == 0
    account = yaml.safe_load((boot / "123456789012" / "template.yaml").read_text())
    assert account["Metadata"]["MlProvisioner"]["Trust"]["GitHubRepository"] == "acme/ml"  # kept on re-render


def test_a_broken_committed_account_template_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "bootstrap" / "123456789012" / "template.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("Resources: [unclosed\n")
    assert main(["bootstrap", "--check"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: not valid YAML (ParserError)", "hint: re-render it: mlprov bootstrap --github-repository OWNER/NAME"]
