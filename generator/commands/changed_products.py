"""``changed-products --base REF [--head REF] [--format lines|json|github-matrix]``: the products a change affects."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from mlprov.commands import Command
from mlprov.errors import UserError
from mlprov.gitops.changed import Changed, detect


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the commit compared with (a PR's base branch, a push's `before`)")
    parser.add_argument("--head", default="HEAD", help="the commit with the changes (default HEAD)")
    parser.add_argument("--format", choices=("lines", "json", "github-matrix"), default="lines",
                        help="one product a line (default), a JSON report, or a GitHub Actions matrix")
    parser.add_argument("--repo", type=Path, default=Path(), help="a folder inside the git repository (default .)")
    parser.add_argument("--if-base-missing", choices=("error", "all"), default="error",
                        help="a --base not in the clone: exit 2 (default), or select every product (a push after a force-push)")
    parser.add_argument("--github-output", action="store_true",
                        help="also append matrix=, products= and count= to the file named by $GITHUB_OUTPUT")


def render(changed: Changed, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(changed.to_json(), indent=2)
    if fmt == "github-matrix":
        return json.dumps(changed.matrix(), separators=(",", ":"))
    return "\n".join(changed.products)


def github_output(changed: Changed) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        raise UserError("--github-output: $GITHUB_OUTPUT is not set", hint="use it inside a GitHub Actions step only")
    with Path(target).open("a", encoding="utf-8") as fh:
        fh.write(f"matrix={json.dumps(changed.matrix(), separators=(',', ':'))}\n")
        fh.write(f"products={' '.join(changed.products)}\n")
        fh.write(f"count={len(changed.products)}\n")


def run(args: argparse.Namespace) -> int:
    changed = detect(args.repo, args.base, args.head, missing_base_means_all=args.if_base_missing == "all")
    text = render(changed, args.format)
    if text:
        print(text)
    if args.github_output:
        github_output(changed)
    return 0


COMMAND = Command("changed-products", "the products a change between two commits affects (config, rules or generator code)",
                  configure, run)
