"""``validate-config CONFIG...``: check configs against their tier's JSON Schema and their file names."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.errors import ConfigErrors, ExitCode, UserError
from mlprov.network.conflicts import conflicts


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)


def run(args: argparse.Namespace) -> int:
    paths = config_paths(args.configs)
    if not paths:
        raise UserError("no product configs found under products/", hint="add one, e.g. copy an example")
    failed = 0
    siblings: dict[Path, list[Product]] = {}
    for path in paths:
        try:
            product = load_product(path)
            problems = conflicts(product, siblings.setdefault(path.parent, _siblings(path.parent)))
            if problems:
                raise ConfigErrors(str(path), problems)
        except ConfigErrors as exc:
            failed += 1
            for line in exc.lines():
                print(line, file=sys.stderr)
            continue
        print(f"{path}: valid ({product.variant.label})")
    if failed:
        print(f"{failed} of {len(paths)} config(s) invalid", file=sys.stderr)
        return int(ExitCode.USAGE)
    return int(ExitCode.OK)


def _siblings(folder: Path) -> list[Product]:
    """The valid configs in ``folder`` (a repository's products/): the VPC-sharing check compares them."""
    out = []
    for other in sorted(folder.glob("*.yaml")):
        try:
            out.append(load_product(other))
        except ConfigErrors:
            continue  # reported on its own when validated; an invalid sibling creates nothing
    return out


COMMAND = Command("validate-config", "validate configs against their tier's JSON Schema", configure, run)
