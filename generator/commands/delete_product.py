"""``delete-product CONFIG [--stack-name NAME] [--force]``: delete the stack; list what it retains."""

from __future__ import annotations

import argparse
import sys

from mlprov.aws.delete import check_stack_name, delete
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import add_force, guarded, terminal_confirm
from mlprov.commands._common import add_config_argument, product


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--stack-name", help="delete this test stack of the product (as printed by test-deploy)")
    add_force(parser, "required without a terminal")
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    name = args.stack_name or prod.names.stack
    check_stack_name(prod, name)
    return delete(guarded(args, prod), name, force=args.force, confirm=terminal_confirm(), out=sys.stdout)


COMMAND = Command("delete-product", "delete the stack; --force skips the confirmation", configure, run)
