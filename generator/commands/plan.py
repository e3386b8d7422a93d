"""``plan CONFIG... | --all [--jobs N] [--shard K/N] [--review]``: change-set previews of many products at once.

Each product's preview is ``show-changes``'s (its change set deleted, or kept with ``--review`` for the merge,
writing review.json); the output is one summary table and ``<reports>/fleet/plan.json``. Exit 0 when every preview
was made (changes or not), else the worst error (3 AWS, 2 bad input).
"""

from __future__ import annotations

import argparse

from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.fleet import tasks
from mlprov.fleet.cli import add_fleet_options, run_fleet, selected


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("configs", metavar="CONFIG", nargs="*", help="product configs: paths or names under products/")
    add_fleet_options(parser, shards=True)
    parser.add_argument("--review", action="store_true",
                        help="keep each change set for the merge and write review.json (as show-changes --review)")
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    names = selected(args.configs, args.all, args.shard)
    return run_fleet(args, tasks.PLAN, names)


COMMAND = Command("plan", "change-set previews of many products at once (bounded parallelism, one summary)", configure, run)
