"""The command-line side of a fleet run: which products (CONFIG... or --all, optionally one shard), how many at once,
and the one summary (a table on stdout, ``<reports>/fleet/<action>.json``)."""

from __future__ import annotations

import argparse
import time
from typing import TypeVar

from mlprov.commands._aws_common import reports_dir
from mlprov.commands._common import config_paths
from mlprov.errors import UserError
from mlprov.fleet import shard
from mlprov.fleet.runner import check_jobs, fleet_exit, run_many
from mlprov.fleet.summary import Kind, table, write_json
from mlprov.paths import find_repo

T = TypeVar("T")
DEFAULT_JOBS = 4


def add_fleet_options(parser: argparse.ArgumentParser, *, shards: bool = False) -> None:
    parser.add_argument("--all", action="store_true", help="every product under products/")
    parser.add_argument("--jobs", "-j", type=int, default=DEFAULT_JOBS,
                        help=f"products at once (default {DEFAULT_JOBS}; each with its own AWS clients)")
    if shards:
        add_shard_option(parser)


def add_shard_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shard", metavar="K/N", help="only shard K of N (stable by product name), e.g. 2/4 on the 2nd of 4 runners")


def selected(configs: list[str], every: bool, shard_spec: str | None = None) -> list[str]:
    """The product names: the given configs, or every product with --all (not both); then the shard's."""
    if configs and every:
        raise UserError("give CONFIG... or --all, not both", hint="--all selects every products/*.yaml")
    if not configs and not every:
        raise UserError("no products given", hint="give one or more CONFIGs, or --all")
    names = list(dict.fromkeys(p.stem for p in config_paths(configs)))
    if not names:
        raise UserError(f"{find_repo().products_dir}: no product configs", hint="add one, e.g. copy an example")
    if shard_spec:
        k, n = shard.parse(shard_spec)
        names = shard.select(names, k, n)
    return names


def run_fleet(args: argparse.Namespace, kind: Kind[T], names: list[str]) -> int:
    jobs = check_jobs(args.jobs)
    reports = reports_dir(args)
    started = time.perf_counter()
    outcomes = run_many(names, lambda name: kind.task(args, reports, name), jobs)
    seconds = time.perf_counter() - started
    print(table(outcomes, kind.status, kind.columns), end="")
    path = write_json(reports / "fleet" / f"{kind.action}.json", kind, outcomes, jobs=jobs, seconds=seconds)
    print(f"{kind.action}: {len(names)} product(s) in {seconds:.1f} s with --jobs {jobs}; summary: {path}")
    return fleet_exit(outcomes)
