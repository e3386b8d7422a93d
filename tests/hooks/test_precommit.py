"""Real `pre-commit run` in a temporary git repository: offline local hooks, stale rendering and insecure edit
refused, clean commit accepted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow

PRODUCT = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
OTHER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
BIN = Path(sys.executable).parent


def _run(cwd: Path, *argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def hook_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "fork"
    (repo / "products").mkdir(parents=True)
    for name in (PRODUCT, OTHER):
        shutil.copy(REPO / "products" / f"{name}.yaml", repo / "products")
        shutil.copytree(REPO / "products" / name, repo / "products" / name)
    for item in ("hooks", "rules"):
        shutil.copytree(REPO / item, repo / item)
    for item in (".pre-commit-config.yaml", "waivers.yaml"):
        shutil.copy(REPO / item, repo / item)
    (repo / "node_modules").symlink_to(REPO / "node_modules")
    (repo / ".gitignore").write_text("node_modules\nreports/\n.cache/\n")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "MLPROV_BIN": str(BIN / "mlprov"),
        "MLPROV_CHECKOV": str(REPO / ".tools" / "checkov" / "bin" / "checkov"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    env.pop("MLPROV_ROOT", None)
    env.pop("MLPROV_REPORTS_DIR", None)
    # the fork's bootstrap stacks, as its administrator commits them (the bootstrap --check hook compares them)
    assert _run(repo, str(BIN / "mlprov"), "bootstrap", env=env).returncode == 0
    for argv in (("git", "init", "-q", "-b", "main"), ("git", "add", "-A"), ("git", "commit", "-q", "-m", "fork")):
        assert _run(repo, *argv, env=env).returncode == 0
    assert _run(repo, "pre-commit", "install", env=env).returncode == 0
    return repo, env


def _hook_line(out: str, name: str) -> str:
    """pre-commit's status line of one hook (``name.....Passed``)."""
    return next(line for line in out.splitlines() if line.startswith(name))


def _commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    assert _run(repo, "git", "add", "-A", env=env).returncode == 0
    return _run(repo, "git", "commit", "-m", message, env=env)


def test_stale_rendering_is_refused(hook_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = hook_repo
    config = repo / "products" / f"{PRODUCT}.yaml"
    data = yaml.safe_load(config.read_text())
    data["log_retention_days"] = 180 if data.get("log_retention_days") != 180 else 365
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    result = _commit(repo, env, "retention without re-rendering")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert _hook_line(out, "mlprov render --check").endswith("Failed"), out
    assert f"products/{PRODUCT}/template.yaml" in out
    # re-rendering and committing both makes it pass
    assert _run(repo, str(BIN / "mlprov"), "render", PRODUCT, env=env).returncode == 0
    assert _run(repo, str(BIN / "mlprov"), "bootstrap", PRODUCT, env=env).returncode == 0
    again = _commit(repo, env, "retention, re-rendered")
    assert again.returncode == 0, again.stdout + again.stderr


def test_insecure_edit_is_refused(hook_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = hook_repo
    template = repo / "products" / PRODUCT / "template.yaml"
    text = template.read_text()
    assert "BlockPublicAcls: true" in text
    template.write_text(text.replace("BlockPublicAcls: true", "BlockPublicAcls: false", 1))
    result = _commit(repo, env, "hand edit of the template")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    # the stale-rendering hook fails, and the gate hook names the real finding of our guard pack
    assert _hook_line(out, "mlprov render --check").endswith("Failed"), out
    assert _hook_line(out, "mlprov gate").endswith("Failed"), out
    assert "MLPROV_S3_PUBLIC_ACCESS_BLOCK" in out, out


def test_clean_commit_passes_offline(hook_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = hook_repo
    (repo / "NOTES.md").write_text("notes\n")
    config = repo / "products" / f"{OTHER}.yaml"
    config.write_text(config.read_text() + "\n# reviewed by the platform team\n")
    result = _commit(repo, env, "comment in a config")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    for hook in ("mlprov validate-config", "mlprov render --check", "mlprov bootstrap --check", "mlprov gate"):
        assert _hook_line(out, hook).endswith("Passed"), out
    assert not list(Path(env["PRE_COMMIT_HOME"]).glob("repo*")), "a hook repository was cloned: hooks must be local"
