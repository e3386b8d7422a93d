"""The parallel renderer (workers render, compare and stage; the parent renames in order): the same output lines,
files and cache as a sequential run, and the same failures: a bad config changes nothing, a full disk stops at the
product it meets, and no temporary file is ever left behind."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from mlprov import atomic
from mlprov.cli import main
from mlprov.render.parallel import MIN_PARALLEL

COUNT = 12


def _fleet(repo_copy: Path) -> list[Path]:
    """COUNT configs (at least MIN_PARALLEL: the parallel path), their committed folders removed but for two, one
    of them with a stale template and a leftover policy part."""
    configs = sorted((repo_copy / "products").glob("*.yaml"))
    for extra in configs[COUNT:]:
        extra.unlink()
        shutil.rmtree(extra.with_suffix(""))
    configs = configs[:COUNT]
    for config in configs[2:]:
        shutil.rmtree(config.with_suffix(""))
    template = configs[1].with_suffix("") / "template.yaml"
    template.write_text(template.read_text() + "# stale\n")
    (configs[1].with_suffix("") / "deployer-policy.json").write_text("{}\n")
    assert len(configs) >= MIN_PARALLEL
    return configs


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def _reset(root: Path, pristine: dict[str, bytes]) -> None:
    for path in root.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
    for name, data in pristine.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_jobs_2_writes_reports_and_caches_what_jobs_1_does(repo_copy: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    _fleet(repo_copy)
    pristine = _tree(repo_copy / "products")
    results = {}
    for jobs in ("1", "2"):
        _reset(repo_copy / "products", pristine)
        monkeypatch.setenv("MLPROV_CACHE_DIR", str(tmp_path / f"cache-{jobs}"))
        code, out, err = _run(["render", "--jobs", jobs], capsys)
        index = json.loads((tmp_path / f"cache-{jobs}" / "render" / "index.json").read_text())
        results[jobs] = (code, out, err, _tree(repo_copy / "products"), index)
        assert not _temps(repo_copy)
    assert results["1"] == results["2"]
    code, out, err, _files, index = results["2"]
    lines = out.splitlines()
    assert code == 0 and err == "" and len(index["entries"]) == COUNT
    assert lines[-1] == f"{COUNT} product(s) rendered, {len(lines) - 1} file(s) changed"
    assert [line for line in lines if "deployer-policy.json" in line or line.endswith("/template.yaml")][:2] == [
        f"wrote {sorted((repo_copy / 'products').glob('*.yaml'))[1].with_suffix('') / 'template.yaml'}",
        f"wrote {sorted((repo_copy / 'products').glob('*.yaml'))[1].with_suffix('') / 'deployer-policy.json'}"]
    for jobs in ("1", "2"):  # --check, now current, from the workers' comparison
        assert _run(["render", "--check", "--no-cache", "--jobs", jobs], capsys)[:2] == (
            0, f"{COUNT} product(s): every committed rendering is current\n")


def test_check_reports_the_same_stale_files_from_the_workers(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configs = _fleet(repo_copy)
    one = _run(["render", "--check", "--no-cache", "--jobs", "1"], capsys)
    two = _run(["render", "--check", "--no-cache", "--jobs", "2"], capsys)
    assert one == two and one[:2] == (1, "")
    lines = one[2].splitlines()
    folder = configs[1].with_suffix("")
    fix = f"run 'mlprov render {configs[1]}' and commit the result"
    assert lines[:2] == [f"{folder / 'template.yaml'}: out of date; {fix}",
                         f"{folder / 'deployer-policy.json'}: no longer rendered (delete it); {fix}"]
    assert all(": missing; run 'mlprov render " in line for line in lines[2:-1])
    assert lines[-1] == f"{len(lines) - 1} stale rendering(s)"


def test_a_bad_config_fails_as_sequentially_and_changes_nothing(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configs = _fleet(repo_copy)
    bad = configs[7]
    bad.write_text(bad.read_text().replace("tier: ", "tier: platinum\nx_tier: ", 1))
    before = _tree(repo_copy)
    folders = sorted(p for p in (repo_copy / "products").iterdir() if p.is_dir())
    one = _run(["render", "--jobs", "1"], capsys)
    two = _run(["render", "--jobs", "2"], capsys)
    assert one == two
    code, out, err = two
    assert code == 2 and out == ""
    assert err.splitlines()[0].startswith(f"{bad}: ")
    assert _tree(repo_copy) == before and not _temps(repo_copy)
    assert sorted(p for p in (repo_copy / "products").iterdir() if p.is_dir()) == folders  # no folder made either


def test_a_full_disk_in_a_worker_stops_at_that_product(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    configs = _fleet(repo_copy)
    victim = configs[6].with_suffix("") / "template.yaml"
    real = os.fsync

    def full_for_the_victim(fd: int) -> None:
        name = os.readlink(f"/proc/self/fd/{fd}")
        if os.path.basename(name).startswith(".template.yaml.") and os.path.dirname(name) == str(victim.parent):
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", full_for_the_victim)
    pristine = _tree(repo_copy / "products")
    results = []
    for jobs in ("1", "2"):
        _reset(repo_copy / "products", pristine)
        results.append(_run(["render", "--no-cache", "--jobs", jobs], capsys))
        assert not _temps(repo_copy)
        assert list(victim.parent.iterdir()) == []  # made before the write failed, as a sequential write leaves it
        assert all(not c.with_suffix("").exists() for c in configs[7:])  # nothing after it
        assert all((c.with_suffix("") / "template.yaml").is_file() for c in configs[2:6])  # everything before it
    assert results[0] == results[1]
    code, out, err = results[1]
    assert code == 2
    assert err.splitlines()[0] == f"{victim}: cannot write: no space left on the device"
    wrote = [line.removeprefix("wrote ") for line in out.splitlines()]
    assert wrote[-1].startswith(f"{configs[5].with_suffix('')}/")  # reported up to the product before it
    assert not any(line.startswith(f"{victim.parent}/") for line in wrote)
