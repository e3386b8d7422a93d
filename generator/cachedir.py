"""Where every cache lives (the gate's per-template results, rendering at fleet scale), and the gate cache's key.

A cache inside the work tree can arrive with the code under review: an entry ``[]`` committed on a branch (or
restored from a shared CI cache) would make an insecure template pass. So the cache lives outside the work tree,
``$MLPROV_CACHE_DIR`` or ``$XDG_CACHE_HOME/mlprov`` (default ``~/.cache/mlprov``, the XDG Base Directory
Specification's user cache), every entry carries an HMAC-SHA256 (Python docs, ``hmac``) under a random key kept
beside it (mode 0600), and a cache folder that git tracks any file of is refused (exit 2).
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

from mlprov.atomic import cannot_write
from mlprov.errors import UserError

ENV = "MLPROV_CACHE_DIR"  # the Docker image points it at a writable folder, so nothing is written into a mount
KEY_FILE = "hmac.key"


def base_dir() -> Path:
    explicit = os.environ.get(ENV)
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache").resolve() / "mlprov"


def refuse_tracked(root: Path, folder: Path) -> None:
    """UserError when git tracks a file under ``folder`` in the repository at ``root``."""
    if not folder.resolve().is_relative_to(root.resolve()):
        return
    try:
        proc = subprocess.run(["git", "ls-files", "-z", "--", str(folder.resolve())], cwd=root, capture_output=True,
                              check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return  # no git: nothing can be tracked by it
    tracked = [p for p in proc.stdout.decode("utf-8", "replace").split("\0") if p]
    if proc.returncode == 0 and tracked:
        raise UserError(f"{folder}: the cache is tracked by git ({tracked[0]}{' and more' if len(tracked) > 1 else ''}): "
                        "cache entries from a branch are not trusted",
                        hint=f"remove it from git (`git rm -r --cached {folder}`) or point {ENV} outside the work tree")


def key(folder: Path) -> bytes:
    """The cache's HMAC key, made (0600, exclusive create) on first use."""
    path = folder / KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise UserError(f"{path}: cannot read the gate cache key: {exc.strerror}", hint=f"fix its permissions or set {ENV}") from exc
    data = secrets.token_bytes(32)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except FileExistsError:
        return path.read_bytes()  # another gate run made it first
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return data


def cache_dir(root: Path, name: str) -> Path:
    """The folder of one cache (``gate``, ``render``; not created here), refused when git tracks it."""
    refuse_tracked(root, base_dir())  # a tracked file anywhere under the cache root: no cache of it is trusted
    return base_dir() / name
