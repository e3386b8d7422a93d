"""``matrix [CONFIG...] [--group-by product|account] [--github-output]``: the GitHub Actions matrix of products
(default every product) with each one's account, region, roles and environment from accounts.yaml. The scheduled
drift fans out over it by account and region; ``changed-products --format github-matrix`` gives the same shape."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.errors import UserError
from mlprov.gitops.matrix import GROUP_BY, matrix
from mlprov.paths import find_repo


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)
    parser.add_argument("--group-by", choices=GROUP_BY, default="account",
                        help="one entry per account and region (default), or one per product")
    parser.add_argument("--github-output", action="store_true",
                        help="also append matrix= and count= (entries) to the file named by $GITHUB_OUTPUT")


def run(args: argparse.Namespace) -> int:
    repo = find_repo()
    names = [p.stem for p in config_paths(args.configs)]
    if not names:
        raise UserError(f"{repo.products_dir}: no product configs", hint="add one, e.g. copy an example")
    foreign = [str(p) for p in config_paths(args.configs) if p.resolve().parent != repo.products_dir.resolve()]
    if foreign:
        raise UserError(f"{foreign[0]}: not under {repo.products_dir}", hint="give products of this repository by name")
    text = json.dumps(matrix(repo.root, names, args.group_by), separators=(",", ":"))
    print(text)
    if args.github_output:
        target = os.environ.get("GITHUB_OUTPUT")
        if not target:
            raise UserError("--github-output: $GITHUB_OUTPUT is not set", hint="use it inside a GitHub Actions step only")
        with Path(target).open("a", encoding="utf-8") as fh:
            fh.write(f"matrix={text}\ncount={len(json.loads(text)['include'])}\n")
    return 0


COMMAND = Command("matrix", "the GitHub Actions matrix of products with their account, region, roles and environment",
                  configure, run)
