"""The background flush of a product's staged files (:func:`mlprov.render.outcome.work_all`) ends as the inline
fsync did (:func:`work` without a flusher): the same files, folders and failure, whichever file the disk refuses."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from mlprov import atomic
from mlprov.render import outcome

NAMES = ("template.yaml", "access/deployer.json", "access/cloudformation-service-role.json", "access/drift.json")
HINT = "free space or fix the folder's permissions (or choose another folder), then run it again"


def _config(repo_copy: Path) -> Path:
    return sorted((repo_copy / "products").glob("*.yaml"))[0]


def _tree(root: Path) -> list[str]:
    """Every file and folder; a temporary file's random part as ``*``."""
    return sorted(re.sub(r"\.[^./]+\.tmp$", ".*.tmp", p.relative_to(root).as_posix()) + ("/" if p.is_dir() else "")
                  for p in root.rglob("*"))


def _refusing(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        name = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if name.parent == victim.parent and name.name.startswith(f".{victim.name}."):
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def _one(repo_copy: Path, pristine: Path, flushed: bool) -> tuple[outcome.Outcome, list[str]]:
    shutil.rmtree(repo_copy / "products")
    shutil.copytree(pristine, repo_copy / "products")
    config = _config(repo_copy)
    shutil.rmtree(config.with_suffix(""))
    if flushed:
        [result] = outcome.work_all([config], check=False, record=False, here=True)
    else:
        result = outcome.work(config, check=False, record=False, here=True)
    tree = _tree(repo_copy / "products")
    result.discard()
    return result, tree


@pytest.mark.parametrize("victim", [None, *NAMES])
def test_the_background_flush_fails_where_the_inline_fsync_fails(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 victim: str | None) -> None:
    failing = _config(repo_copy).with_suffix("") / victim if victim else None
    if failing:
        _refusing(monkeypatch, failing)
    pristine = repo_copy / "pristine"
    shutil.copytree(repo_copy / "products", pristine)
    inline, inline_tree = _one(repo_copy, pristine, flushed=False)
    flushed, flushed_tree = _one(repo_copy, pristine, flushed=True)
    assert flushed_tree == inline_tree
    assert [(s.path, s.made, s.pending) for s in flushed.staged] == [(s.path, s.made, None) for s in inline.staged]
    assert (flushed.failure, flushed.leftovers) == (inline.failure, inline.leftovers)
    if failing is None:
        assert flushed.failure is None and len(flushed.staged) >= len(NAMES)
    else:
        assert flushed.failure == (f"{failing}: cannot write: no space left on the device", HINT)
        assert all(s.path != failing for s in flushed.staged)
        assert not [p for p in flushed_tree if p.endswith(f".{failing.name}.*.tmp")]
