"""The disk cache of the tool's own calls: served while the code is unchanged, invalidated by a change of any
scanned file, never trusted when tampered with or malformed, and harmless when its folder cannot be written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.access import toolcache, toolcalls

MODULE = '''
def f(cfn):
    return cfn.describe_stacks(StackName="x")
'''


@pytest.fixture
def package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "aws").mkdir(parents=True)
    (pkg / "aws" / "stacks.py").write_text(MODULE)
    (pkg / "local_aws").mkdir()
    (pkg / "local_aws" / "server.py").write_text("def g(s3):\n    s3.delete_bucket(Bucket='b')\n")  # never scanned
    return pkg


def _scan(package: Path) -> tuple[toolcalls.Call, ...]:
    toolcalls.scan.cache_clear()  # a new process: only the disk cache is left
    return toolcalls.scan(package)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The modules actually parsed (scan_source calls)."""
    seen: list[str] = []
    real = toolcalls.scan_source

    def spy(source: str, module: str) -> list[toolcalls.Call]:
        seen.append(module)
        return real(source, module)

    monkeypatch.setattr(toolcalls, "scan_source", spy)
    return seen


def _entries() -> list[Path]:
    return sorted(Path(toolcache._folder()).glob("*.json"))


def test_served_from_disk_while_the_code_is_unchanged(package: Path, scans: list[str]) -> None:
    first = _scan(package)
    assert [(c.module, c.line, c.operation, c.action) for c in first] == [
        ("aws/stacks.py", 3, "DescribeStacks", "cloudformation:DescribeStacks")]
    assert scans == ["aws/stacks.py"] and len(_entries()) == 1
    scans.clear()
    assert _scan(package) == first
    assert scans == []


def test_a_changed_file_misses_and_is_scanned_again(package: Path, scans: list[str]) -> None:
    _scan(package)
    (package / "aws" / "stacks.py").write_text(MODULE + "\ndef h(ssm):\n    ssm.get_parameter(Name='p')\n")
    scans.clear()
    calls = _scan(package)
    assert scans == ["aws/stacks.py"]
    assert [c.action for c in calls] == ["cloudformation:DescribeStacks", "ssm:GetParameter"]
    (package / "aws" / "new.py").write_text("def k(kms):\n    kms.describe_key(KeyId='k')\n")  # a new module too
    assert "kms:DescribeKey" in {c.action for c in _scan(package)}
    assert len(_entries()) == 3


def test_a_tampered_entry_is_ignored_and_rewritten(package: Path, scans: list[str]) -> None:
    real = _scan(package)
    entry = _entries()[0]
    doc = json.loads(entry.read_text())
    rows = json.loads(doc["body"])
    rows.append(["aws/stacks.py", 9, "iam", "CreateUser", "iam:CreateUser"])  # a widened deployer, if trusted
    entry.write_text(json.dumps({"mac": doc["mac"], "body": json.dumps(rows)}))
    scans.clear()
    assert _scan(package) == real
    assert scans == ["aws/stacks.py"]
    scans.clear()
    assert _scan(package) == real and scans == []  # the rewritten entry is authentic again


@pytest.mark.parametrize("body", ['{"not": "rows"}', '[["aws/stacks.py", "3", "cloudformation", "DescribeStacks", null]]',
                                  '[["too", "short"]]'])
def test_an_authentic_entry_of_another_shape_is_ignored(package: Path, scans: list[str], body: str) -> None:
    real = _scan(package)
    entry = _entries()[0]
    secret = (entry.parent.parent / "hmac.key").read_bytes()
    entry.write_text(json.dumps({"mac": toolcache._mac(secret, entry.name, body), "body": body}))
    scans.clear()
    assert _scan(package) == real and scans == ["aws/stacks.py"]


@pytest.mark.parametrize("garbage", ["", "not json", "[]", '{"mac": "00", "body": "[]"}'])
def test_an_unreadable_entry_is_ignored(package: Path, scans: list[str], garbage: str) -> None:
    real = _scan(package)
    _entries()[0].write_text(garbage)
    assert _scan(package) == real


def test_an_unwritable_cache_folder_only_costs_the_scan(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        scans: list[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("MLPROV_CACHE_DIR", str(blocker))  # the cache folder would be under a regular file
    assert [c.action for c in _scan(package)] == ["cloudformation:DescribeStacks"]
    assert [c.action for c in _scan(package)] == ["cloudformation:DescribeStacks"]
    assert scans == ["aws/stacks.py", "aws/stacks.py"]


def test_the_key_covers_the_data_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [("a.py", b"x")]
    before = toolcache.key(files)
    assert toolcache.key([("a.py", b"y")]) != before and toolcache.key([("b.py", b"x")]) != before
    monkeypatch.setattr(toolcache.metadata, "version", lambda name: "0.0-other")
    assert toolcache.key(files) != before


def test_the_shipped_package_scan_is_the_cached_one() -> None:
    toolcalls.scan.cache_clear()
    fresh = toolcalls.scan()
    toolcalls.scan.cache_clear()
    assert toolcalls.scan() == fresh and len(fresh) > 50
