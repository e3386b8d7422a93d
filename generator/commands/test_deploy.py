"""``test-deploy CONFIG``: deploy an isolated copy (``-t<6 hex>`` on stack and resource names, stack tag
``mlprov:test-of`` = the product's stack); print its name and the exact command that removes it."""

from __future__ import annotations

import argparse
import re
import secrets
import sys

from mlprov.aws.deploy import Options, deploy
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import add_skip_forecast, deployable_template, guarded, reports_dir
from mlprov.commands._common import add_config_argument, product
from mlprov.errors import UserError
from mlprov.render.engine import render


def new_suffix() -> str:
    return "t" + secrets.token_hex(3)


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--suffix", help="use this test suffix instead of a random one (t + 6 hex digits)")
    add_skip_forecast(parser)
    add_aws_options(parser)


def run(args: argparse.Namespace) -> int:
    base = product(args.config)
    suffix = args.suffix or new_suffix()
    if not re.fullmatch(r"t[0-9a-f]{6}", suffix):
        raise UserError(f"--suffix {suffix!r}: expected 't' and 6 lowercase hex digits, e.g. t1a2b3c")
    deployable_template(base)  # the same rule as deploy-product: a stale rendering is refused
    prod = base.for_test(suffix)
    text, template = render(prod)
    remove = f"remove it with: mlprov delete-product {base.path} --stack-name {prod.names.stack} --force"
    opts = Options(force=True, create_only=True, skip_forecast=args.skip_forecast)
    code = deploy(guarded(args, prod), prod, text, template, opts=opts,
                  out=sys.stdout, reports_dir=reports_dir(args))  # its failure hints name the copy (--stack-name)
    print(f"test stack: {prod.names.stack}")
    print(remove)
    return code


COMMAND = Command("test-deploy", "deploy a copy with an isolated random suffix; print the stack name", configure, run)
