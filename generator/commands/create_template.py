"""``create-prov-template CONFIG [--out FILE]``: render the CloudFormation template."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlprov.atomic import write_text
from mlprov.aws.templatesource import INLINE_LIMIT, choose
from mlprov.commands import Command
from mlprov.commands._common import add_config_argument, product
from mlprov.paths import template_path
from mlprov.render.engine import render


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--out", type=Path, help="write here instead of products/<name>/template.yaml")


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    text, template = render(prod)
    out: Path = args.out or template_path(prod.path)
    write_text(out, text)
    size = len(text.encode())
    print(f"{out}: {len(template['Resources'])} resources, {size} bytes ({prod.variant.label})")
    if size > INLINE_LIMIT:
        source = choose(text, template, prod.account_id, prod.region)
        print(f"note: over the 51,200-byte inline limit as written; deploys send it {source.describe()}")
    return 0


COMMAND = Command("create-prov-template", "render the CloudFormation template", configure, run)
