"""Where the gate's data and tools are: an environment variable, the repository, or the installed package.

An installed mlprov (``pip install .``, the Docker image) carries its data in ``mlprov/_data`` (copied there by
setup.py's build hook): our cfn-guard rule pack, the AWS Control Tower guard rules and the Linux cfn-guard
binaries (x86_64, aarch64) of the pinned npm package ``@cdklabs/cdk-validator-cfnguard``. A checkout (an editable
install) has none of that and reads ``rules/guard`` and ``node_modules`` instead. Order, first found wins:

- rule pack: ``$MLPROV_RULES_DIR``, ``<repo>/rules/guard``, the package's;
- Control Tower rules: ``$MLPROV_CT_RULES``, ``<repo>/node_modules/...``, the package's;
- cfn-guard: ``$MLPROV_CFN_GUARD``, ``<repo>/node_modules/...`` for this machine, the package's for this machine,
  ``cfn-guard`` on PATH.
"""

from __future__ import annotations

import os
import platform
from importlib import resources
from pathlib import Path

from mlprov.errors import UserError

NPM_PACKAGE = Path("node_modules") / "@cdklabs" / "cdk-validator-cfnguard"
_MACHINES = {"x86_64": "x86_64", "AMD64": "x86_64", "amd64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}
_SYSTEMS = {"Linux": ("ubuntu", "linux"), "Darwin": ("macos", "macos")}


def data_root() -> Path:
    """The installed package's ``_data`` folder (absent in an editable install)."""
    return Path(str(resources.files("mlprov"))) / "_data"


def packaged(*parts: str) -> Path | None:
    """A path under the installed package's ``_data``, or None when this install has no such file or folder."""
    path = data_root().joinpath(*parts)
    return path if path.exists() else None


def machine() -> tuple[str, str, str]:
    """(npm folder, package folder, architecture) for this machine, e.g. ('ubuntu', 'linux', 'aarch64')."""
    system = _SYSTEMS.get(platform.system())
    arch = _MACHINES.get(platform.machine())
    if system is None or arch is None:
        raise UserError(f"no bundled cfn-guard for {platform.system()} {platform.machine()}",
                        hint="install cfn-guard 3.1.1 on PATH or set MLPROV_CFN_GUARD to its path")
    return system[0], system[1], arch


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def rule_pack_dir(root: Path) -> Path:
    """Our cfn-guard rule pack; the repository's ``rules/guard`` when there is one (a checkout), else the package's."""
    env = _env_path("MLPROV_RULES_DIR")
    if env is not None:
        return env
    local = root / "rules" / "guard"
    if local.is_dir():
        return local
    return packaged("rules", "guard") or local


def control_tower_dir(root: Path) -> Path:
    env = _env_path("MLPROV_CT_RULES")
    if env is not None:
        return env
    local = root / NPM_PACKAGE / "rules" / "control-tower" / "cfn-guard"
    if local.is_dir():
        return local
    return packaged("control-tower") or local


def guard_candidates(root: Path) -> list[Path]:
    """The bundled cfn-guard binaries that fit this machine, in lookup order (the repository's, the package's)."""
    npm_dir, pkg_dir, arch = machine()
    out = [root / NPM_PACKAGE / "bin" / npm_dir / arch / "cfn-guard"]
    found = packaged("cfn-guard", f"{pkg_dir}-{arch}", "cfn-guard")
    if found is not None:
        out.append(found)
    return out
