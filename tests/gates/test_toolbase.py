"""Tool versions (part of every cache key) are asked once per installed executable and re-asked when it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mlprov.errors import UserError
from mlprov.gates.toolbase import cached_version


def tool(path: Path, version: str) -> Path:
    path.write_text(f"#!/bin/sh\necho \"$0\" >> {path}.calls\necho 'faketool {version}'\n")
    path.chmod(0o755)
    return path


def calls(path: Path) -> int:
    marker = Path(f"{path}.calls")
    return len(marker.read_text().splitlines()) if marker.exists() else 0


def test_version_is_remembered_until_the_executable_changes(tmp_path: Path) -> None:
    exe = tool(tmp_path / "faketool", "1.2.3")
    cache = tmp_path / "cache"
    assert cached_version(cache, exe, [str(exe), "--version"]) == "1.2.3"
    assert cached_version(cache, exe, [str(exe), "--version"]) == "1.2.3"
    assert calls(exe) == 1
    tool(exe, "1.2.40")  # reinstalled: another size (and mtime)
    os.utime(exe, ns=(1, 1))
    assert cached_version(cache, exe, [str(exe), "--version"]) == "1.2.40"
    assert calls(exe) == 2


def test_missing_or_failing_executable_is_reported(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"nope: not found$"):
        cached_version(tmp_path, tmp_path / "nope", [str(tmp_path / "nope"), "--version"])
    broken = tmp_path / "broken"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(UserError, match=r"broken: '--version' failed \(exit 3\)$"):
        cached_version(tmp_path, broken, [str(broken), "--version"])
