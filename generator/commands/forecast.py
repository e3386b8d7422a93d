"""``forecast CONFIG [--offline]``: predict what AWS would refuse, before any change (read-only).

One line per finding with its stable code (MLPROV-F001...); exit 2 on a blocker. Also run by show-changes,
deploy-product and test-deploy before any change set is created (``--skip-forecast`` there turns it off).
"""

from __future__ import annotations

import argparse
import sys

from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import committed_template, guarded, reports_dir
from mlprov.commands._common import add_config_argument, product


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--offline", action="store_true",
                        help="only what the config and template decide (no AWS call, no credentials needed)")
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    from mlprov.forecast.runner import gate  # noqa: PLC0415

    prod = product(args.config)
    text, template = committed_template(prod)
    aws = None if args.offline else guarded(args, prod)
    gate(aws, prod, text, template, sys.stdout, reports_dir=reports_dir(args), show_info=True)
    return 0


COMMAND = Command("forecast", "predict what AWS would refuse before any change (exit 2 on a blocker)", configure, run)
