"""The tool-calls snapshot shipped in the package: current (what a fresh scan of this code finds), used only under
its exact key, and ignored when it is malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.access import toolcache, toolcalls, toolsnapshot


def test_the_shipped_snapshot_is_what_a_fresh_scan_finds() -> None:
    assert toolsnapshot.SNAPSHOT.read_text(encoding="utf-8") == toolsnapshot.text(), (
        "stale: run 'python -m mlprov.access.toolsnapshot' (make render)")
    doc = json.loads(toolsnapshot.SNAPSHOT.read_text(encoding="utf-8"))
    fresh = toolcalls.scan_files(toolcalls.scanned_files(toolcalls.PACKAGE))
    assert [toolcalls.Call(*r) for r in doc["rows"]] == list(fresh)
    assert toolsnapshot.main(["--check"]) == 0


def test_a_cold_scan_of_this_code_is_served_by_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLPROV_CACHE_DIR", str(tmp_path / "empty-cache"))
    parsed: list[str] = []
    monkeypatch.setattr(toolcalls, "scan_source", lambda source, module: parsed.append(module) or [])
    toolcalls.scan.cache_clear()
    try:
        calls = toolcalls.scan()
    finally:
        toolcalls.scan.cache_clear()
    assert parsed == [] and len(calls) > 0
    assert not (tmp_path / "empty-cache" / "toolcalls").exists()  # nothing to cache


def test_another_key_or_a_malformed_snapshot_is_ignored(tmp_path: Path) -> None:
    files = toolcalls.scanned_files(toolcalls.PACKAGE)
    key = toolcache.key(files)
    assert toolsnapshot.load(key) is not None
    changed = [*files[:-1], (files[-1][0], files[-1][1] + b"\n# edited\n")]
    assert toolsnapshot.load(toolcache.key(changed)) is None  # one byte of one scanned file: scan again
    rows = [["aws/x.py", 1, "sts", "GetCallerIdentity", None]]
    bad = tmp_path / "snapshot.json"
    for doc in ("not json", "[]", json.dumps({"key": key, "rows": [["aws/x.py", "1", "sts", "Get", None]]}),
                json.dumps({"key": key, "rows": {}}), json.dumps({"key": "other", "rows": rows})):
        bad.write_text(doc)
        assert toolsnapshot.load(key, bad) is None
    bad.write_text(json.dumps({"key": key, "rows": rows}))
    assert toolsnapshot.load(key, bad) == rows
    assert toolsnapshot.load(key, tmp_path / "missing.json") is None


def test_check_names_a_stale_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "toolcalls.snapshot.json"
    stale.write_text("{}\n")
    monkeypatch.setattr(toolsnapshot, "SNAPSHOT", stale)
    assert toolsnapshot.main(["--check"]) == 1
    assert capsys.readouterr().err == f"{stale}: stale; run 'python -m mlprov.access.toolsnapshot' (make render)\n"
    assert toolsnapshot.main([]) == 0
    assert stale.read_text() == toolsnapshot.text()
