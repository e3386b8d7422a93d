"""``show-changes CONFIG``: a change-set preview against the deployed stack, never executed; a stale rendering is
refused (exit 2), as by deploy-product."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mlprov.aws import changeset, guards, imports
from mlprov.aws.plan import plan, write_reports
from mlprov.aws.preview import table
from mlprov.aws.session import Aws, add_aws_options
from mlprov.aws.stack import Poller
from mlprov.commands import Command
from mlprov.commands._aws_common import add_skip_forecast, deployable_template, guarded, reports_dir
from mlprov.commands._common import add_config_argument, product
from mlprov.config.model import Product
from mlprov.forecast.runner import gate
from mlprov.gitops import review


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--review", action="store_true",
                        help="keep the change set for the merge (named by its identity) and write review.json: "
                             "`deploy-product --reviewed` executes exactly it")
    add_skip_forecast(parser)
    add_aws_options(parser)


def _forecast(args: argparse.Namespace, aws: Aws, prod: Product, text: str, template: dict[str, Any]) -> None:
    if not args.skip_forecast:
        gate(aws, prod, text, template, sys.stdout, reports_dir=reports_dir(args))


def _review(args: argparse.Namespace) -> int:
    prod = product(args.config)
    text, template = deployable_template(prod)
    aws = guarded(args, prod)
    _forecast(args, aws, prod, text, template)
    cs, preview, ident = review.keep(aws, prod, text, template, Poller(local=aws.target.is_local))
    md, js = write_reports(preview, reports_dir(args))
    record = review.write_record(reports_dir(args), preview, cs, ident, review.ci_commit())
    print(table(preview))
    if not preview.no_changes:
        print(f"kept change set {ident.change_set_name} for the merge: {ident.description()}")
    print(f"reports: {md} {js} {record}")
    guards.will_fail(preview, "deploy")
    guards.adoptions(aws, prod, preview, template, "deploy")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.review:
        return _review(args)
    prod = product(args.config)
    text, template = deployable_template(prod)
    aws = guarded(args, prod)
    _forecast(args, aws, prod, text, template)
    cs, preview = plan(aws, prod, text, template, Poller(local=aws.target.is_local))
    changeset.delete(aws.cfn, cs)
    md, js = write_reports(preview, reports_dir(args))
    print(table(preview))
    if preview.change_type == "CREATE":  # what deploy-product adopts by an IMPORT change set before this one
        for line in imports.lines(imports.retained(aws, template)):
            print(line)
    print(f"reports: {md} {js}")
    guards.will_fail(preview, "deploy")  # exit 1: this change set would fail on AWS
    guards.adoptions(aws, prod, preview, template, "deploy")
    return 0


COMMAND = Command("show-changes", "change-set preview against the deployed stack, without executing it", configure, run)
