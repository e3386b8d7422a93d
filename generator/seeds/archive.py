"""The seed folders (``seeds/model-build``, ``seeds/model-deploy``) as deterministic zip archives.

Where the folders are: ``$MLPROV_SEEDS_DIR``, the installed package's ``mlprov/_data/seeds`` (copied there by
setup.py's build hook), else the checkout beside the package (an editable install). Never the products repository
the tool runs in: the seed code is the tool's, like its templates.

Deterministic, so the content-addressed key ``seeds/<sha256>.zip`` is the same on every machine and Python: entries
sorted by their POSIX path, a fixed timestamp (1980-01-01 00:00, the zip format's earliest), mode 0644 for every
file, no directory entries, no compression (``ZIP_STORED``: deflate output depends on the zlib build), and nothing
generated (``__pycache__``, ``*.pyc``, dot-files). A checkout that rewrites line endings (git ``autocrlf``) changes
the bytes and so the key: the golden renderings then differ, and ``mlprov render --check`` says so.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mlprov import assets
from mlprov.deploypath import SEED_KEY_PREFIX
from mlprov.errors import UserError

NAMES = ("model-build", "model-deploy")
EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--, in the upper 16 bits of external_attr (Unix)
_SKIPPED_DIRS = frozenset({"__pycache__"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class Archive:
    """One seed folder as a zip: ``data`` its bytes, ``key`` its content-addressed object key."""

    name: str
    data: bytes
    files: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def key(self) -> str:
        return f"{SEED_KEY_PREFIX}{self.sha256}.zip"


def root() -> Path:
    """The folder holding ``model-build`` and ``model-deploy``."""
    env = os.environ.get("MLPROV_SEEDS_DIR")
    if env:
        return Path(env)
    packaged = assets.packaged("seeds")
    if packaged is not None:
        return packaged
    return Path(__file__).resolve().parents[2] / "seeds"


def _files(folder: Path) -> list[str]:
    out = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if not path.is_file() or any(p in _SKIPPED_DIRS or p.startswith(".") for p in rel.parts):
            continue
        if path.suffix in _SKIPPED_SUFFIXES:
            continue
        out.append(rel.as_posix())
    return sorted(out)


def build(folder: Path, name: str) -> Archive:
    """The archive of ``folder`` (see the module doc for what makes it deterministic)."""
    files = _files(folder) if folder.is_dir() else []
    if not files:
        raise UserError(f"seed folder {folder}: missing or empty (the {name} seed code)",
                        hint="reinstall ml-provisioner, or point MLPROV_SEEDS_DIR at a folder holding model-build/ and model-deploy/")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for rel in files:
            info = zipfile.ZipInfo(rel, date_time=EPOCH)
            info.external_attr = FILE_MODE << 16
            info.create_system = 3  # Unix, so the mode above is read as one
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, (folder / rel).read_bytes())
    return Archive(name, buf.getvalue(), tuple(files))


@cache
def archive(name: str) -> Archive:
    """The archive of one seed (``model-build`` or ``model-deploy``), built once per process."""
    if name not in NAMES:
        raise UserError(f"seed {name!r}: unknown", hint=f"one of {', '.join(NAMES)}")
    return build(root() / name, name)


def by_key() -> dict[str, Archive]:
    """Every seed archive by its object key."""
    return {a.key: a for a in (archive(n) for n in NAMES)}


def digest() -> str:
    """One hash of every seed archive (the render cache's key includes it: the templates name the keys)."""
    return hashlib.sha256("\0".join(archive(n).key for n in NAMES).encode()).hexdigest()
