"""``pip install`` of the built package into a fresh virtualenv OUTSIDE the repository, then ``mlprov gate`` on a
copy of products/: the rule pack, the Control Tower rules, the cfn-guard binary, the schemas and the templates all
come from the installed package (nothing of the checkout is on the path: no rules/, no node_modules/, no
MLPROV_ROOT). Dependencies install from the machine's package index / wheel cache as pip is configured here;
checkov comes from MLPROV_CHECKOV (its own virtualenv, as in the Docker image).

What this cannot check: another architecture's binary running (only this machine's is executed), or macOS."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NPM = REPO / "node_modules" / "@cdklabs" / "cdk-validator-cfnguard"
CHECKOV = REPO / ".tools" / "checkov" / "bin" / "checkov"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
SAMPLE = [ENTERPRISE, "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
          "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"]
ARCH = {"x86_64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}.get(platform.machine(), platform.machine())

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if not NPM.is_dir() or not CHECKOV.is_file():
        if os.environ.get("CI"):
            pytest.fail("node_modules or .tools/checkov missing: run make setup-node setup-checkov")
        pytest.skip("node_modules or .tools/checkov missing (make setup-node setup-checkov)")
    tmp = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items()
           if k not in {"MLPROV_ROOT", "MLPROV_CFN_GUARD", "MLPROV_CT_RULES", "MLPROV_RULES_DIR", "PYTHONPATH", "VIRTUAL_ENV"}}
    build = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "wheels"), str(REPO)], tmp, env)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next((tmp / "wheels").glob("ml_provisioner-*.whl"))
    assert _run([sys.executable, "-m", "venv", str(tmp / "venv")], tmp, env).returncode == 0
    pip = _run([str(tmp / "venv" / "bin" / "pip"), "install", "--quiet", str(wheel)], tmp, env)
    assert pip.returncode == 0, pip.stderr[-3000:]
    env["PATH"] = f"{tmp / 'venv' / 'bin'}:/usr/bin:/bin"
    env["MLPROV_CHECKOV"] = str(CHECKOV)
    return tmp, env


def _work(tmp: Path, name: str) -> Path:
    work = tmp / name
    shutil.copytree(REPO / "products", work / "products")
    shutil.copy(REPO / "waivers.yaml", work / "waivers.yaml")
    return work


def test_the_installed_package_carries_its_data(installed: tuple[Path, dict[str, str]]) -> None:
    tmp, env = installed
    work = _work(tmp, "where")
    probe = ("import json, mlprov; from pathlib import Path; from mlprov import assets; "
             "from mlprov.gates.guardbin import guard_binary; "
             "r = Path.cwd(); print(json.dumps([mlprov.__file__, str(assets.rule_pack_dir(r)), str(assets.control_tower_dir(r)), "
             "str(guard_binary(r))]))")
    out = _run([str(tmp / "venv" / "bin" / "python"), "-c", probe], work, env)
    assert out.returncode == 0, out.stderr
    module, pack, ct, guard = json.loads(out.stdout)
    site = str(tmp / "venv" / "lib")
    assert all(p.startswith(site) for p in (module, pack, ct, guard)), (module, pack, ct, guard)
    assert guard.endswith(f"/mlprov/_data/cfn-guard/linux-{ARCH}/cfn-guard")
    assert sorted(p.name for p in Path(pack).glob("*.guard")) == sorted(p.name for p in (REPO / "rules" / "guard").glob("*.guard"))
    assert len(list(Path(ct).rglob("*.guard"))) == len(list((NPM / "rules" / "control-tower" / "cfn-guard").rglob("*.guard")))
    version = _run([guard, "--version"], work, env)
    assert version.stdout.strip().endswith("3.1.1")


def test_gate_on_a_copy_of_products_outside_the_repository(installed: tuple[Path, dict[str, str]]) -> None:
    tmp, env = installed
    work = _work(tmp, "clean")
    assert not (work / "rules").exists() and not (work / "node_modules").exists()
    proc = _run(["mlprov", "gate", *SAMPLE, "--format", "json"], work, env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads((work / "reports" / "gate" / "gate.json").read_text())
    assert report["clean"] is True and sorted(report["products"]) == sorted(SAMPLE)
    # a Control Tower rule ran (and was waived), beside the professional build log group and topic waivers
    assert {w["rule_id"] for w in report["waived"]} == {"CT.S3.PR.9", "CT.CLOUDWATCH.PR.3", "CKV_AWS_26", "CKV_AWS_158"}
    assert set(report["tools"]) == {"cfn-lint", "cfn-guard", "checkov", "iam-escalation"}  # cloudsplaining: a dependency


def test_the_installed_rule_pack_catches_a_broken_template(installed: tuple[Path, dict[str, str]]) -> None:
    tmp, env = installed
    work = _work(tmp, "broken")
    template = work / "products" / ENTERPRISE / "template.yaml"
    template.write_text(template.read_text().replace("EnableKeyRotation: true", "EnableKeyRotation: false"))
    proc = _run(["mlprov", "gate", ENTERPRISE, "--no-cache"], work, env)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads((work / "reports" / "gate" / "gate.json").read_text())
    assert "MLPROV_KMS_ROTATION" in {f["rule_id"] for f in report["findings"]}


def test_the_installed_package_carries_the_seed_code_with_the_same_archive_keys(installed: tuple[Path, dict[str, str]]) -> None:
    """The seeds ship in the wheel (setup.py's build hook) and zip to the same content-addressed keys as the checkout:
    the rendered templates name them, so a deploy from the installed tool uploads what the templates expect."""
    from mlprov.seeds.archive import NAMES, archive

    tmp, env = installed
    work = _work(tmp, "seeds")
    probe = ("import json; from mlprov.seeds import archive as a; "
             "print(json.dumps([str(a.root()), {n: [a.archive(n).key, list(a.archive(n).files)] for n in a.NAMES}]))")
    out = _run([str(tmp / "venv" / "bin" / "python"), "-c", probe], work, env)
    assert out.returncode == 0, out.stderr
    root, keys = json.loads(out.stdout)
    assert root.startswith(str(tmp / "venv" / "lib")) and root.endswith("/mlprov/_data/seeds")
    assert keys == {n: [archive(n).key, list(archive(n).files)] for n in NAMES}
