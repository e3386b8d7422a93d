"""The package installs as ``mlprov`` from the ``generator/`` folder: pyproject must list every subpackage."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_pyproject_lists_every_subpackage_of_generator() -> None:
    conf = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert conf["package-dir"] == {"mlprov": "generator"}
    folders = sorted(
        "mlprov" + "".join(f".{part}" for part in init.parent.relative_to(REPO / "generator").parts)
        for init in (REPO / "generator").rglob("__init__.py"))
    assert sorted(conf["packages"]) == folders


def test_nothing_imports_the_folder_name() -> None:
    files = [*REPO.glob("generator/**/*.py"), *REPO.glob("tests/**/*.py"), *REPO.glob("bench/*.py")]
    offenders = [str(p.relative_to(REPO)) for p in files
                 if any(line.lstrip().startswith(("from generator", "import generator")) for line in p.read_text().splitlines())]
    assert offenders == []
