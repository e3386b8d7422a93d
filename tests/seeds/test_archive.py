"""The seed archives are deterministic: the same key from any copy of the folders, whatever their mtimes or modes."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from mlprov.errors import UserError
from mlprov.seeds import archive

from tests.conftest import REPO

SEEDS = REPO / "seeds"


def _copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copytree(SEEDS / name, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_the_archive_is_the_same_from_a_copy_with_other_times_modes_and_litter(tmp_path: Path) -> None:
    original = archive.build(SEEDS / "model-build", "model-build")
    copy = _copy(tmp_path, "model-build")
    for i, path in enumerate(sorted(copy.rglob("*.py"))):
        path.chmod(0o755 if i % 2 else 0o600)
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    (copy / "pipelines" / "__pycache__").mkdir()
    (copy / "pipelines" / "__pycache__" / "run.cpython-311.pyc").write_bytes(b"\x00bytecode")
    (copy / "pipelines" / "stale.pyc").write_bytes(b"\x00")
    (copy / ".DS_Store").write_bytes(b"finder")
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    again = archive.build(copy, "model-build")
    assert again.data == original.data
    assert again.key == original.key == f"seeds/{hashlib.sha256(original.data).hexdigest()}.zip"


def test_entries_are_sorted_files_with_a_fixed_time_and_mode_and_stored() -> None:
    built = archive.archive("model-deploy")
    with zipfile.ZipFile(io.BytesIO(built.data)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["buildspec.yml", "deploy.py"] == list(built.files)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        assert zf.read("deploy.py") == (SEEDS / "model-deploy" / "deploy.py").read_bytes()
    build = archive.archive("model-build")
    assert build.files == tuple(sorted(build.files))
    assert "pipelines/definition.py" in build.files
    assert not [f for f in build.files if "__pycache__" in f or f.endswith(".pyc")]


def test_a_changed_file_changes_the_key(tmp_path: Path) -> None:
    copy = _copy(tmp_path, "model-deploy")
    before = archive.build(copy, "model-deploy").key
    (copy / "deploy.py").write_text((copy / "deploy.py").read_text() + "# edited\n")
    assert archive.build(copy, "model-deploy").key != before


def test_a_missing_or_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty" / "__pycache__").mkdir(parents=True)
    (tmp_path / "empty" / "__pycache__" / "x.pyc").write_bytes(b"")
    for folder in (tmp_path / "absent", tmp_path / "empty"):
        with pytest.raises(UserError) as exc:
            archive.build(folder, "model-build")
        assert exc.value.message == f"seed folder {folder}: missing or empty (the model-build seed code)"
        assert exc.value.hint == ("reinstall ml-provisioner, or point MLPROV_SEEDS_DIR at a folder holding "
                                  "model-build/ and model-deploy/")


def test_an_unknown_seed_is_refused() -> None:
    with pytest.raises(UserError) as exc:
        archive.archive("model-train")
    assert exc.value.message == "seed 'model-train': unknown"
    assert exc.value.hint == "one of model-build, model-deploy"


def test_the_folders_come_from_the_package_not_the_products_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLPROV_ROOT", str(tmp_path))  # a products repository without seeds/
    monkeypatch.delenv("MLPROV_SEEDS_DIR", raising=False)
    assert archive.root() == SEEDS  # the editable install's checkout (a wheel: mlprov/_data/seeds)
    monkeypatch.setenv("MLPROV_SEEDS_DIR", str(tmp_path))
    assert archive.root() == tmp_path


def test_the_render_cache_key_follows_the_seed_code() -> None:
    keys = "\0".join(archive.archive(n).key for n in archive.NAMES)
    assert archive.digest() == hashlib.sha256(keys.encode()).hexdigest()
