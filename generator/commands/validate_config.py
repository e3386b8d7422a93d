"""``validate-config CONFIG...``: check configs against their tier's JSON Schema and their file names, and the
repository's accounts file (accounts.yaml) against its schema, with every product's account listed in it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.config.accounts import ACCOUNTS_FILE, Account, account_of, load_accounts
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.errors import ConfigErrors, ExitCode, UserError
from mlprov.network.conflicts import conflicts
from mlprov.paths import find_repo


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)


def _accounts(root: Path) -> tuple[dict[str, Account] | None, bool]:
    """The accounts (None when the repository has no accounts file) and whether the file is valid."""
    if not (root / ACCOUNTS_FILE).is_file():
        return None, True
    try:
        accounts = load_accounts(root)
    except ConfigErrors as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return None, False
    print(f"{root / ACCOUNTS_FILE}: valid ({len(accounts)} account(s))")
    return accounts, True


def _placed(product: Product, accounts: dict[str, Account] | None, root: Path) -> bool:
    if accounts is None:
        return True
    try:
        account_of(accounts, product, root / ACCOUNTS_FILE)
    except UserError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return False
    return True


def run(args: argparse.Namespace) -> int:
    paths = config_paths(args.configs)
    if not paths:
        raise UserError("no product configs found under products/", hint="add one, e.g. copy an example")
    root = find_repo().root
    accounts, accounts_ok = _accounts(root)
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
        if not _placed(product, accounts, root):
            failed += 1
            continue
        print(f"{path}: valid ({product.variant.label})")
    if failed:
        print(f"{failed} of {len(paths)} config(s) invalid", file=sys.stderr)
    if not accounts_ok:
        print(f"{root / ACCOUNTS_FILE}: invalid", file=sys.stderr)
    return int(ExitCode.USAGE if failed or not accounts_ok else ExitCode.OK)


def _siblings(folder: Path) -> list[Product]:
    """The valid configs in ``folder`` (a repository's products/): the VPC-sharing check compares them."""
    out = []
    for other in sorted(folder.glob("*.yaml")):
        try:
            out.append(load_product(other))
        except ConfigErrors:
            continue  # reported on its own when validated; an invalid sibling creates nothing
    return out


COMMAND = Command("validate-config", "validate configs against their tier's JSON Schema (and accounts.yaml)", configure, run)
