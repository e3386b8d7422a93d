"""Argument helpers shared by the actions."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.paths import find_repo


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", metavar="CONFIG", help="a product config: a path, or a name under products/")


def add_configs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "configs", metavar="CONFIG", nargs="*", help="product configs (default: every products/*.yaml)"
    )


def resolve(name: str) -> Path:
    return find_repo().resolve_config(name)


def product(name: str) -> Product:
    return load_product(resolve(name))


def config_paths(names: list[str]) -> list[Path]:
    """The given configs, or every config in the repository."""
    if names:
        return [resolve(n) for n in names]
    return find_repo().config_paths()
