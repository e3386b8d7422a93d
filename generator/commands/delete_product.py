"""``delete-product CONFIG [--stack-name NAME] [--force] [--disable-termination-protection]``: delete the stack;
list what it retains."""

from __future__ import annotations

import argparse
import sys

from mlprov.aws.delete import DeleteOptions, check_test_copy, delete
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import add_force, guarded, terminal_confirm
from mlprov.commands._common import add_config_argument, product


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--stack-name", help="delete this test stack of the product (made by test-deploy: its stack tag "
                                             "mlprov:test-of must name the product's stack)")
    add_force(parser, "required without a terminal")
    parser.add_argument("--disable-termination-protection", action="store_true",
                        help="turn termination protection off first (required when it is on; for prod only on a "
                             "terminal, asked even with --force)")
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    name = args.stack_name or prod.names.stack
    aws = guarded(args, prod)
    check_test_copy(aws.cfn, prod, name)
    opts = DeleteOptions(force=args.force, disable_termination_protection=args.disable_termination_protection,
                         confirm=terminal_confirm(), environment=str(prod.config["environment"]), config=str(prod.path))
    return delete(aws, name, opts, out=sys.stdout)


COMMAND = Command("delete-product", "delete the stack; --force skips the confirmation", configure, run)
