"""``check-drift CONFIG [--format json|markdown|text|html]``: drift report for the deployed stack.

Exit 1 on drift, 5 (INCOMPLETE) when nothing drifted but some resource could not be read, 0 only when in sync.

``check-drift CONFIG CONFIG... | --all [--jobs N] [--shard K/N]``: the fleet form, each product's reports as for
one, and one summary table (and ``<reports>/fleet/check-drift.json``); exit 3 on any AWS error, else 2 on bad input,
else 1 on any drift, else 5 when any product's check was incomplete."""

from __future__ import annotations

import argparse
import json

from mlprov.aws.drift import check, markdown, text, write_reports
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import guarded, reports_dir
from mlprov.commands._common import product
from mlprov.errors import ExitCode, UserError
from mlprov.fleet import tasks
from mlprov.fleet.cli import add_fleet_options, add_shard_option, run_fleet, selected


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("configs", metavar="CONFIG", nargs="*", help="product configs: paths or names under products/")
    add_fleet_options(parser)
    add_shard_option(parser)
    parser.add_argument("--format", choices=("text", "json", "markdown", "html"), default="text",
                        help="what to print (default text); html also writes drift.html beside drift.md/json")
    parser.add_argument("--stack-name", help="check this test stack of the product instead")
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    if len(args.configs) != 1 or args.all or args.shard:
        if args.stack_name:
            raise UserError("--stack-name: give exactly one CONFIG with it", hint="a test stack belongs to one product")
        names = selected(args.configs, args.all, args.shard)
        return run_fleet(args, tasks.DRIFT, names)
    return _one(args, args.configs[0])


def _one(args: argparse.Namespace, config: str) -> int:
    prod = product(config)
    name = args.stack_name or prod.names.stack
    if args.stack_name:
        from mlprov.aws.delete import check_stack_name  # noqa: PLC0415

        check_stack_name(prod, name)
    report = check(guarded(args, prod), prod.name, name, str(prod.config.get("environment", "")))
    md, js = write_reports(report, reports_dir(args))
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, default=str))
    elif args.format == "markdown":
        print(markdown(report), end="")
    elif args.format == "html":
        from mlprov.reports.drift_html import write  # noqa: PLC0415 - Jinja only for the HTML report

        page = write(report, reports_dir(args))
        print(text(report))
        print(f"reports: {md} {js} {page}")
    else:
        print(text(report))
        print(f"reports: {md} {js}")
    if report.drifted:
        return int(ExitCode.FINDINGS)
    return int(ExitCode.INCOMPLETE if report.incomplete else ExitCode.OK)


COMMAND = Command("check-drift", "drift report for the deployed stack (exit 1 on drift, 5 if incomplete)", configure, run)
