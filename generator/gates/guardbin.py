"""Where the cfn-guard binary and the AWS Control Tower guard rules are.

Both come from the npm package ``@cdklabs/cdk-validator-cfnguard`` pinned in ``package-lock.json``
(``make setup-node``), or from the installed package's copy of them (:mod:`mlprov.assets`). ``$MLPROV_CFN_GUARD``
or a ``cfn-guard`` on PATH may be used instead of its binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from mlprov.assets import control_tower_dir, guard_candidates
from mlprov.errors import UserError

GUARD_VERSION = "3.1.1"


def guard_binary(root: Path) -> Path:
    """The cfn-guard to run: $MLPROV_CFN_GUARD, else the bundled binary for this machine (the repository's
    node_modules, then the installed package's), else one on PATH (:mod:`mlprov.assets`)."""
    env = os.environ.get("MLPROV_CFN_GUARD")
    if env:
        return Path(env)
    candidates = guard_candidates(root)
    for bundled in candidates:
        if bundled.is_file():
            return bundled
    on_path = shutil.which("cfn-guard")
    if on_path:
        return Path(on_path)
    raise UserError(
        f"cfn-guard not found: {candidates[0]} is missing, the installed package has none for this machine, "
        "and none is on PATH",
        hint="run `make setup-node` (npm ci installs the pinned @cdklabs/cdk-validator-cfnguard), or set MLPROV_CFN_GUARD",
    )


def control_tower_rules(root: Path) -> Path:
    """The folder of the Control Tower proactive guard rules (:func:`mlprov.assets.control_tower_dir`)."""
    path = control_tower_dir(root)
    if not path.is_dir():
        raise UserError(f"{path}: Control Tower guard rules missing",
                        hint="run `make setup-node`, install mlprov from a build that had node_modules, or set MLPROV_CT_RULES")
    return path


@cache
def guard_version(binary: Path) -> str:
    """``cfn-guard --version`` of the given binary, e.g. ``3.1.1``."""
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip().split()[-1]
