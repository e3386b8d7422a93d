"""Where things live in a repository that uses ML Provisioner.

Layout (documented in the README)::

    products/<name>.yaml                      the product config
    products/<name>/template.yaml             committed CloudFormation rendering
    products/<name>/access/<kind>.json        committed deploy-path principals and their policies
    reports/                                  reports and logs of every action (not committed)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mlprov.errors import UserError

TEMPLATE_FILE = "template.yaml"
ACCESS_DIR = "access"


@dataclass(frozen=True)
class Repo:
    """A repository root holding ``products/``."""

    root: Path

    @property
    def products_dir(self) -> Path:
        return self.root / "products"

    @property
    def reports_dir(self) -> Path:
        override = os.environ.get("MLPROV_REPORTS_DIR")
        return Path(override) if override else self.root / "reports"

    def config_paths(self) -> list[Path]:
        return sorted(self.products_dir.glob("*.yaml"))

    def resolve_config(self, name_or_path: str) -> Path:
        """A config given as a path, a file name under products/, or a product name without .yaml."""
        candidates = [Path(name_or_path)]
        if not name_or_path.endswith((".yaml", ".yml")):
            candidates.append(self.products_dir / f"{name_or_path}.yaml")
        candidates.append(self.products_dir / name_or_path)
        for c in candidates:
            if c.is_file():
                return c
        raise UserError(
            f"{name_or_path}: no such config",
            hint="give a path, or a name under products/; run 'mlprov list-products' to see them",
        )


def product_dir(config_path: Path) -> Path:
    """The folder beside a config that holds its committed renderings."""
    return config_path.with_suffix("")


def template_path(config_path: Path) -> Path:
    return product_dir(config_path) / TEMPLATE_FILE


def access_dir(config_path: Path) -> Path:
    """The folder of the product's access files (one JSON per deploy-path principal)."""
    return product_dir(config_path) / ACCESS_DIR


def find_repo(start: Path | None = None) -> Repo:
    """The repository root: ``$MLPROV_ROOT``, else the nearest parent of ``start`` holding ``products/``."""
    env = os.environ.get("MLPROV_ROOT")
    if env:
        return Repo(Path(env).resolve())
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "products").is_dir():
            return Repo(d)
    return Repo(here)
