"""Where caches live: ``$MLPROV_CACHE_DIR`` when set (the Docker image points it at a writable folder, so nothing
is written into a mounted repository), else ``<repository>/.cache`` (ignored by git).

Each cache takes its own sub-folder: ``gate/`` (the gate's per-template results), ``render/`` (rendering at fleet
scale). One rule for every cache, so a read-only work tree needs only this variable.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_root(root: Path) -> Path:
    env = os.environ.get("MLPROV_CACHE_DIR")
    return Path(env) if env else root / ".cache"


def cache_dir(root: Path, name: str) -> Path:
    """The folder of one cache (not created here)."""
    return cache_root(root) / name
