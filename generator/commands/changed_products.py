"""``changed-products --base REF [--head REF] [--format lines|json|github-matrix] [--group-by product|account]``: the
products a change affects; the matrix carries each product's account, region, roles and environment (accounts.yaml)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from mlprov.commands import Command
from mlprov.errors import UserError
from mlprov.gitops.changed import Changed, detect, repo_root
from mlprov.gitops.matrix import GROUP_BY, matrix


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the commit compared with (a PR's base branch, a push's `before`)")
    parser.add_argument("--head", default="HEAD", help="the commit with the changes (default HEAD)")
    parser.add_argument("--format", choices=("lines", "json", "github-matrix"), default="lines",
                        help="one product a line (default), a JSON report, or a GitHub Actions matrix")
    parser.add_argument("--group-by", choices=GROUP_BY, default="product",
                        help="matrix entries: one per product (default), or one per account and region")
    parser.add_argument("--repo", type=Path, default=Path(), help="a folder inside the git repository (default .)")
    parser.add_argument("--if-base-missing", choices=("error", "all"), default="error",
                        help="a --base not in the clone: exit 2 (default), or select every product (a push after a force-push)")
    parser.add_argument("--github-output", action="store_true",
                        help="also append matrix=, products= and count= to the file named by $GITHUB_OUTPUT")


def _matrix_json(changed: Changed, args: argparse.Namespace) -> str:
    return json.dumps(matrix(repo_root(args.repo), changed.products, args.group_by), separators=(",", ":"))


def render(changed: Changed, args: argparse.Namespace) -> str:
    if args.format == "json":
        return json.dumps(changed.to_json(), indent=2)
    if args.format == "github-matrix":
        return _matrix_json(changed, args)
    return "\n".join(changed.products)


def output_file() -> Path:
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        raise UserError("--github-output: $GITHUB_OUTPUT is not set", hint="use it inside a GitHub Actions step only")
    return Path(target)


def github_output(target: Path, changed: Changed, matrix_json: str) -> None:
    with target.open("a", encoding="utf-8") as fh:
        fh.write(f"matrix={matrix_json}\n")
        fh.write(f"products={' '.join(changed.products)}\n")
        fh.write(f"count={len(changed.products)}\n")


def run(args: argparse.Namespace) -> int:
    target = output_file() if args.github_output else None
    changed = detect(args.repo, args.base, args.head, missing_base_means_all=args.if_base_missing == "all")
    text = render(changed, args)
    if text:
        print(text)
    if target is not None:
        github_output(target, changed, text if args.format == "github-matrix" else _matrix_json(changed, args))
    return 0


COMMAND = Command("changed-products", "the products a change between two commits affects (config, rules or generator code)",
                  configure, run)
