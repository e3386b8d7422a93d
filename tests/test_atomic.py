"""Atomic writes and the exit code of an unwritable folder or a full disk: exit 2 naming the path, never a
traceback, never a truncated committed template."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from mlprov import atomic
from mlprov.cli import main
from mlprov.errors import UserError

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)


def test_write_replaces_the_file_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    atomic.write_text(target, "one")
    atomic.write_text(target, "two")
    assert target.read_text() == "two" and [p.name for p in target.parent.iterdir()] == ["b.txt"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_a_full_disk_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "template.yaml"
    target.write_text("committed")
    _full_disk(monkeypatch)
    with pytest.raises(UserError) as err:
        atomic.write_text(target, "new and longer")
    assert err.value.exit_code == 2
    assert err.value.message == f"{target}: cannot write: no space left on the device"
    assert target.read_text() == "committed" and [p.name for p in tmp_path.iterdir()] == ["template.yaml"]


def test_a_folder_that_cannot_be_written_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    with pytest.raises(UserError, match=r"^.*/out\.json: cannot write: permission denied$"):
        atomic.write_text(tmp_path / "out.json", "{}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UserError, match="cannot write: permission denied"):
            atomic.write_text(folder / "x", "y")
    finally:
        folder.chmod(0o755)


def test_render_on_a_full_disk_exits_2_and_keeps_the_committed_template(
        repo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    template = repo_copy / "products" / STARTER / "template.yaml"
    committed = template.read_bytes()
    template.write_bytes(committed + b"\n# stale\n")
    _full_disk(monkeypatch)
    assert main(["render", STARTER]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{template}: cannot write: no space left on the device"
    assert err[1].startswith("hint: free space")
    assert template.read_bytes() == committed + b"\n# stale\n"  # not truncated


def test_a_reports_folder_that_is_not_a_folder_exits_2(repo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(blocker / "reports"))
    assert main(["list-products"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{blocker / 'reports' / 'logs'}: cannot write: a parent of it is not a folder")
    assert "Traceback" not in err


def test_a_full_reports_disk_during_an_action_exits_2(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _full_disk(monkeypatch)
    assert main(["create-review-report", STARTER, "--no-gate"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].endswith(f"/{STARTER}/review.html: cannot write: no space left on the device")
    assert "Traceback" not in err


def test_a_staged_file_is_invisible_until_committed_and_discard_removes_what_it_made(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "b.txt"
    staged = atomic.stage_bytes(target, b"data")
    assert not target.exists() and Path(staged.tmp).read_bytes() == b"data"
    assert staged.made == (tmp_path / "new", tmp_path / "new" / "deeper")
    atomic.discard(staged)
    assert list(tmp_path.iterdir()) == []
    assert atomic.commit(atomic.stage_bytes(target, b"two")) == target
    assert target.read_bytes() == b"two" and [p.name for p in target.parent.iterdir()] == ["b.txt"]
    other = atomic.stage_bytes(tmp_path / "new" / "c.txt", b"x")
    assert other.made == ()
    atomic.discard(other)
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]


def test_a_commit_that_cannot_rename_is_named_and_leaves_no_temp_file(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    staged = atomic.stage_bytes(tmp_path / "t.yaml", b"x")

    def read_only(*_a: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic.os, "replace", read_only)
    with pytest.raises(UserError) as err:
        atomic.commit(staged)
    assert err.value.message == f"{tmp_path / 't.yaml'}: cannot write: read-only file system"
    assert list(tmp_path.iterdir()) == []


def test_a_background_flush_must_be_settled_before_commit(tmp_path: Path) -> None:
    flusher = atomic.Flusher()
    try:
        staged = atomic.stage_bytes(tmp_path / "a" / "t.yaml", b"data", flusher=flusher)
        assert staged.pending is not None and Path(staged.tmp).read_bytes() == b"data"
        with pytest.raises(ValueError, match="staged file not settled"):
            atomic.commit(staged)
        settled = atomic.settle(staged)
        assert settled.pending is None and settled.tmp == staged.tmp and settled.made == (tmp_path / "a",)
        assert atomic.commit(settled).read_bytes() == b"data"
        assert oct((tmp_path / "a" / "t.yaml").stat().st_mode & 0o777) == "0o644"
    finally:
        flusher.close()


def test_a_background_flush_that_fails_is_named_at_settle_and_leaves_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk(monkeypatch)
    flusher = atomic.Flusher()
    try:
        staged = atomic.stage_bytes(tmp_path / "t.yaml", b"data", flusher=flusher)
        with pytest.raises(UserError) as err:
            atomic.settle(staged)
    finally:
        flusher.close()
    assert err.value.message == f"{tmp_path / 't.yaml'}: cannot write: no space left on the device"
    assert list(tmp_path.iterdir()) == []
