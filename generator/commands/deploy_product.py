"""``deploy-product CONFIG [--force] [--allow-data-loss] [--reviewed] [--skip-gate]``: deploy the committed template
through a change set; refused when the rendering is stale or the gate has open findings (unless --skip-gate)."""

from __future__ import annotations

import argparse
import sys

from mlprov.aws.deploy import Options, deploy
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import add_force, add_skip_forecast, deployable_template, guarded, reports_dir, terminal_confirm
from mlprov.commands._common import add_config_argument, product
from mlprov.commands._gate_check import require_clean_gate
from mlprov.gitops import review


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_force(parser, "required without a terminal; also deletes and recreates a stack left in ROLLBACK_COMPLETE")
    parser.add_argument("--allow-data-loss", action="store_true",
                        help="allow a change that replaces or removes a stateful resource (KMS key, bucket, log group, ...)")
    parser.add_argument("--reviewed", action="store_true",
                        help="execute only the change set kept by `show-changes --review` for exactly this template, "
                             "parameters and stack state; otherwise keep a new preview and exit 1")
    parser.add_argument("--skip-gate", action="store_true",
                        help="deploy even with open gate findings (logged in the action log and shown in the preview)")
    parser.add_argument("--wait-timeout", type=float, default=3600.0, help="seconds to wait for the stack (default 3600)")
    add_skip_forecast(parser)
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    text, template = deployable_template(prod)
    notes = require_clean_gate(prod, args.skip_gate)
    confirm = _reviewed_ok if args.reviewed else terminal_confirm()
    opts = Options(force=args.force, allow_data_loss=args.allow_data_loss, confirm=confirm, wait_timeout=args.wait_timeout,
                   skip_gate=args.skip_gate, reviewed=args.reviewed, notes=notes, skip_forecast=args.skip_forecast)
    planner = review.reviewed_planner(reports_dir(args), sys.stdout, review.ci_commit()) if args.reviewed else None
    return deploy(guarded(args, prod), prod, text, template, opts=opts, out=sys.stdout, reports_dir=reports_dir(args),
                  planner=planner)


def _reviewed_ok(_prompt: str) -> bool:
    """--reviewed: the pull request's review was the confirmation."""
    return True


COMMAND = Command("deploy-product", "deploy through a change set; --force skips the confirmation", configure, run)
