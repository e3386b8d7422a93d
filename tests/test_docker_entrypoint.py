"""The Docker image's entrypoint (docker/entrypoint.sh), run here outside Docker with a fake or the real mlprov.

Checked: every write goes under MLPROV_STATE_DIR (reports, caches, a HOME for a uid without one), an unwritable
folder is one line and exit 2, git trusts a repository owned by another uid (the mounted work tree), arguments and
exit codes pass through, and the real mlprov writes nothing into the work tree.

NOT checked (Docker is not available here): that the image builds, that the node:20 stage's node runs on the
slim image, that TARGETARCH selects the right cfn-guard (tests/test_distribution.py checks the package's lookup
by machine), that checkov installs into /opt/checkov, and that USER 10001 / --user UID really cannot write
elsewhere (this runs as the test's user). tests/gitops/test_workflows.py checks the Dockerfile's text."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
FAKE = """#!/bin/sh
python3 -c 'import json, os, sys; print(json.dumps({"args": sys.argv[1:], "env": {k: v for k, v in os.environ.items()
  if k.startswith(("MLPROV_", "GIT_CONFIG_")) or k == "HOME"}}))' "$@"
exit "${FAKE_EXIT:-0}"
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLPROV_", "GIT_CONFIG_"))}
    env.pop("HOME", None)
    fake = tmp_path / "fake-mlprov"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    return {**env, "MLPROV_STATE_DIR": str(tmp_path / "state"), "MLPROV_BIN": str(fake), **extra}


def _run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", str(ENTRYPOINT), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_writes_go_to_the_state_folder_and_git_trusts_any_owner(tmp_path: Path) -> None:
    proc = _run(["gate", "--format", "json"], _env(tmp_path, FAKE_EXIT="1"))
    assert proc.returncode == 1  # the action's exit code passes through (1: findings)
    seen = json.loads(proc.stdout)
    state = tmp_path / "state"
    assert seen["args"] == ["gate", "--format", "json"]
    assert seen["env"] == {
        "MLPROV_STATE_DIR": str(state), "MLPROV_BIN": str(tmp_path / "fake-mlprov"),
        "MLPROV_REPORTS_DIR": f"{state}/reports", "MLPROV_CACHE_DIR": f"{state}/cache", "HOME": f"{state}/home",
        "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "*"}
    assert all((state / d).is_dir() for d in ("reports", "cache", "home"))


def test_given_folders_and_git_config_entries_are_kept(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    env = _env(tmp_path, MLPROV_REPORTS_DIR=str(tmp_path / "work" / "reports"), HOME=str(home),
               GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="core.pager", GIT_CONFIG_VALUE_0="cat")
    seen = json.loads(_run([], env).stdout)["env"]
    assert (seen["MLPROV_REPORTS_DIR"], seen["HOME"]) == (str(tmp_path / "work" / "reports"), str(home))
    assert (seen["GIT_CONFIG_COUNT"], seen["GIT_CONFIG_KEY_0"], seen["GIT_CONFIG_KEY_1"], seen["GIT_CONFIG_VALUE_1"]) == (
        "2", "core.pager", "safe.directory", "*")


def test_an_unwritable_reports_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    proc = _run(["gate"], _env(tmp_path, MLPROV_REPORTS_DIR=str(blocker / "reports")))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"mlprov: MLPROV_REPORTS_DIR={blocker}/reports is not writable by uid {os.getuid()}; mount a folder this uid can "
        "write, or set MLPROV_REPORTS_DIR to one (e.g. /tmp/mlprov/...)"]


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give the repository another owner")
def test_git_reads_a_repository_owned_by_another_uid(tmp_path: Path) -> None:
    repo = tmp_path / "mounted"
    repo.mkdir()
    env = {**_env(tmp_path), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(tmp_path)}
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
    for path in [repo, *repo.rglob("*")]:
        os.chown(path, 12345, 12345, follow_symlinks=False)
    plain = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], env=env, capture_output=True, text=True, check=False)
    assert plain.returncode != 0 and "dubious ownership" in plain.stderr
    env.pop("HOME")
    through = _run(["-C", str(repo), "rev-parse", "HEAD"], {**env, "MLPROV_BIN": shutil.which("git") or "git"})
    assert through.returncode == 0, through.stderr
    assert len(through.stdout.strip()) == 40


def test_the_real_mlprov_writes_nothing_into_the_work_tree(tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(REPO / "products", work / "products")
    shutil.copy(REPO / "accounts.yaml", work / "accounts.yaml")
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    mlprov = str(Path(sys.executable).parent / "mlprov")
    env = _env(tmp_path, MLPROV_BIN=mlprov)
    for args in (["validate-config"], ["render", "--check"]):
        proc = _run(args, env, cwd=work)
        assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before
    logs = [p.name for p in (tmp_path / "state" / "reports" / "logs").glob("*.log")]
    actions = sorted(next((a for a in ("validate-config", "render") if n.endswith(f"-{a}.log")), n) for n in logs)
    assert actions == ["render", "validate-config"]
