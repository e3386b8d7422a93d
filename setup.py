"""Build hook: ship the gate's data inside the package, so an installed mlprov (pip install ., the Docker image)
never looks for it in a checkout.

Into ``mlprov/_data/`` of the built package (wheel or regular install; an editable install reads the checkout):

- ``rules/guard/``: our cfn-guard rule pack and its tests (from ``rules/guard``);
- ``seeds/``: the seed code of the model-build and model-deploy repositories (``mlprov.seeds.archive`` zips it);
- ``control-tower/``: the AWS Control Tower proactive guard rules of the pinned npm package
  ``@cdklabs/cdk-validator-cfnguard`` (``node_modules``, ``make setup-node``; Apache-2.0, its LICENSE beside them);
- ``cfn-guard/linux-<machine>/cfn-guard``: that package's Linux binaries (x86_64 and aarch64), picked at run time
  by the machine's architecture (``mlprov.assets``). ``MLPROV_GUARD_ARCHES`` (comma-separated) limits the copy,
  e.g. the Docker image keeps only its TARGETARCH's.

A build without node_modules ships the rule pack only, and says so; the gate then needs MLPROV_CFN_GUARD and
MLPROV_CT_RULES (or node_modules in the repository) at run time.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
NPM = HERE / "node_modules" / "@cdklabs" / "cdk-validator-cfnguard"
ARCHES = ("x86_64", "aarch64")


def vendor(target: Path) -> list[str]:
    """Copy the gate's data under ``target``; return what was left out (one line each)."""
    missing: list[str] = []
    shutil.copytree(HERE / "rules" / "guard", target / "rules" / "guard", dirs_exist_ok=True)
    shutil.copytree(HERE / "seeds", target / "seeds", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".*"))
    if not NPM.is_dir():
        return [f"{NPM}: missing (run make setup-node): no Control Tower rules or cfn-guard binary in the package"]
    shutil.copytree(NPM / "rules" / "control-tower" / "cfn-guard", target / "control-tower", dirs_exist_ok=True)
    shutil.copy2(NPM / "LICENSE", target / "control-tower" / "LICENSE")
    wanted = [a.strip() for a in os.environ.get("MLPROV_GUARD_ARCHES", ",".join(ARCHES)).split(",") if a.strip()]
    for arch in wanted:
        binary = NPM / "bin" / "ubuntu" / arch / "cfn-guard"
        if not binary.is_file():
            missing.append(f"{binary}: missing: no cfn-guard for linux-{arch} in the package")
            continue
        dest = target / "cfn-guard" / f"linux-{arch}"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(binary, dest / "cfn-guard")
        (dest / "cfn-guard").chmod(0o755)
    return missing


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads rules/ and node_modules/ of the checkout
        for line in vendor(Path(self.build_lib) / "mlprov" / "_data"):
            self.announce(f"warning: {line}", level=3)


setup(cmdclass={"build_py": BuildPyWithData})
