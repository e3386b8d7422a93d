"""``mlprov export-seeds DIR``: the seed files and the exact archives, never overwriting anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov import cli
from mlprov.seeds.archive import archive

from tests.conftest import REPO


def test_export_writes_the_files_and_the_archives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out"
    assert cli.main(["export-seeds", str(target)]) == 0
    for name in ("model-build", "model-deploy"):
        made = archive(name)
        assert (target / f"{name}.zip").read_bytes() == made.data
        got = sorted(p.relative_to(target / name).as_posix() for p in (target / name).rglob("*") if p.is_file())
        assert got == list(made.files)
        for rel in made.files:
            assert (target / name / rel).read_bytes() == (REPO / "seeds" / name / rel).read_bytes()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"wrote {target / 'model-build'}: files"
    assert out[1] == f"wrote {target / 'model-build.zip'}: {archive('model-build').sha256[:12]} (zip)"
    assert out[-1].startswith("push model-build/ and model-deploy/ to the pipelines' branches")


def test_export_refuses_to_overwrite_before_writing_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model-deploy.zip").write_bytes(b"mine")
    assert cli.main(["export-seeds", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(f"{tmp_path / 'model-deploy.zip'} exists: export-seeds never overwrites")
    assert (tmp_path / "model-deploy.zip").read_bytes() == b"mine"
    assert not (tmp_path / "model-build").exists()
