"""``check-drift CONFIG [--format json|markdown|text|html]``: drift report for the deployed stack; exit 1 on drift."""

from __future__ import annotations

import argparse
import json

from mlprov.aws.drift import check, markdown, text, write_reports
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import guarded, reports_dir
from mlprov.commands._common import add_config_argument, product
from mlprov.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--format", choices=("text", "json", "markdown", "html"), default="text",
                        help="what to print (default text); html also writes drift.html beside drift.md/json")
    parser.add_argument("--stack-name", help="check this test stack of the product instead")
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    name = args.stack_name or prod.names.stack
    if args.stack_name:
        from mlprov.aws.delete import check_stack_name  # noqa: PLC0415

        check_stack_name(prod, name)
    report = check(guarded(args, prod), prod.name, name)
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
    return int(ExitCode.FINDINGS if report.drifted else ExitCode.OK)


COMMAND = Command("check-drift", "drift report for the deployed stack (exit 1 on drift)", configure, run)
