"""``create-policy CONFIG [--out FILE]``: the least-privilege IAM policy a deployer needs for this stack."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlprov.atomic import write_text
from mlprov.commands import Command
from mlprov.commands._common import add_config_argument, product
from mlprov.paths import policy_path
from mlprov.policy.documents import MANAGED_POLICY_LIMIT, deployer_documents, iam_size, render_json
from mlprov.render.engine import render


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--out", type=Path, help="write here (further parts as FILE.2.json ...) instead of products/<name>/")


def _part(out: Path, index: int) -> Path:
    return out if index == 0 else out.with_name(f"{out.stem}.{index + 1}{out.suffix}")


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    _text, template = render(prod)
    docs = deployer_documents(template)
    out: Path = args.out or policy_path(prod.path)
    for i, doc in enumerate(docs):
        path = _part(out, i)
        write_text(path, render_json(doc))
        statements = len(doc["Statement"])
        print(f"{path}: {statements} statements, {iam_size(doc)} of {MANAGED_POLICY_LIMIT} characters")
    if len(docs) > 1:
        print(
            f"note: split into {len(docs)} documents: together they exceed one IAM managed policy "
            f"({MANAGED_POLICY_LIMIT} characters without whitespace); attach all {len(docs)} to the deployer role"
        )
    return 0


COMMAND = Command("create-policy", "write the least-privilege deployer IAM policy (JSON)", configure, run)
