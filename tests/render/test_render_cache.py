"""The render cache: unchanged products skip rendering, anything that could change the output misses (the parallel
renderer: tests/render/test_parallel.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mlprov.cli import main
from mlprov.render import cache as render_cache
from mlprov.render import renderings

PRO = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The products actually rendered (renderings.expected calls), in this process."""
    seen: list[str] = []
    real = renderings.expected

    def spy(product: object) -> list[renderings.Rendering]:
        seen.append(product.name)  # type: ignore[attr-defined]
        return real(product)  # type: ignore[arg-type]

    monkeypatch.setattr(renderings, "expected", spy)
    return seen


def test_unchanged_products_are_not_rendered_again(repo_copy: Path, counted: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--check", "--jobs", "1"]) == 0
    assert len(counted) == 27
    index = Path(os.environ["MLPROV_CACHE_DIR"]) / "render" / "index.json"  # outside the work tree (tests/conftest.py)
    assert len(json.loads(index.read_text())["entries"]) == 27
    counted.clear()
    assert main(["render", "--check", "--jobs", "1"]) == 0
    assert counted == []
    assert capsys.readouterr().out.splitlines()[-1] == "27 product(s): every committed rendering is current"


def test_what_misses_the_cache(repo_copy: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--check", "--jobs", "1"]) == 0
    config = repo_copy / "products" / f"{PRO}.yaml"
    # the config's bytes: re-rendered (and found stale)
    config.write_text(config.read_text().replace("cost_center: CC-2040", "cost_center: CC-2041"))
    counted.clear()
    assert main(["render", "--check", "--jobs", "1"]) == 1
    assert counted == [PRO]
    assert f"{repo_copy / 'products' / PRO / 'template.yaml'}: out of date" in capsys.readouterr().err
    # a committed file edited behind the cache's back: reported, though the config did not change
    assert main(["render", "--jobs", "1"]) == 0
    template = repo_copy / "products" / PRO / "template.yaml"
    template.write_text(template.read_text() + "# edited\n")
    counted.clear()
    assert main(["render", "--check", "--jobs", "1"]) == 1
    assert counted == [PRO]
    template.write_text(template.read_text().replace("# edited\n", ""))
    # a policy part left over, a template deleted
    (repo_copy / "products" / PRO / "deployer-policy.json").write_text("{}\n")  # the old single-file policy
    assert main(["render", "--check", "--jobs", "1"]) == 1
    assert "deployer-policy.json: no longer rendered (delete it)" in capsys.readouterr().err
    (repo_copy / "products" / PRO / "deployer-policy.json").unlink()
    # the generator (code, templates or data versions) changed: everything renders again
    monkeypatch.setattr(render_cache, "generator_digest", lambda: "another generator")
    counted.clear()
    assert main(["render", "--check", "--jobs", "1"]) == 0
    assert len(counted) == 27


def test_no_cache_a_broken_index_and_the_cache_location(repo_copy: Path, counted: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["render", "--check", "--no-cache", "--jobs", "1", PRO]) == 0
    assert not (repo_copy / ".cache").exists() and counted == [PRO]
    monkeypatch.setenv("MLPROV_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert main(["render", "--check", "--jobs", "1", PRO]) == 0
    index = tmp_path / "elsewhere" / "render" / "index.json"
    assert index.is_file() and not (repo_copy / ".cache").exists()
    for broken in ("not json", '{"version": 99, "entries": {}}', "[]"):
        index.write_text(broken)
        counted.clear()
        assert main(["render", "--check", "--jobs", "1", PRO]) == 0
        assert counted == [PRO]


def test_the_key_covers_the_generator_and_the_file_name(repo_copy: Path) -> None:
    config = repo_copy / "products" / f"{PRO}.yaml"
    other = repo_copy / "products" / "x.yaml"
    other.write_bytes(config.read_bytes())
    assert render_cache.key(config) != render_cache.key(other)  # the name encodes the variant
    assert len(render_cache.generator_digest()) == 64


def test_jobs_bounds(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--check", "--jobs", "0"]) == 2
    assert "--jobs 0: expected 1 to 64" in capsys.readouterr().err
