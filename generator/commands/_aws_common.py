"""Shared pieces of the AWS actions: the committed template, reports folder, confirmation prompt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mlprov.aws.session import Aws, connect
from mlprov.config.model import Product
from mlprov.errors import UserError
from mlprov.paths import find_repo, template_path
from mlprov.render.engine import parse, render


def committed_template(product: Product) -> tuple[str, dict[str, Any]]:
    """The committed rendering as it is (what a deploy sends: GitOps, what was reviewed is what is deployed)."""
    path = template_path(product.path)
    if not path.is_file():
        raise UserError(f"{path}: template missing", hint=f"run `mlprov create-prov-template {product.path}` first")
    text = path.read_text(encoding="utf-8")
    return text, parse(text)


def deployable_template(product: Product) -> tuple[str, dict[str, Any]]:
    """The committed rendering, refused when it is stale: its content must equal what ``mlprov render`` writes for
    the config now. One rule for show-changes, deploy-product, test-deploy and validate-prov-template (formatting
    alone is ``render --check``'s business: the same content deploys the same stack)."""
    text, committed = committed_template(product)
    if committed != render(product)[1]:
        path = template_path(product.path)
        raise UserError(f"{path}: stale rendering: it differs from what `mlprov render {product.path}` writes now",
                        hint=f"run `mlprov render {product.path}`, review and commit the result, then rerun")
    return text, committed


def guarded(args: argparse.Namespace, prod: Product) -> Aws:
    """The action's clients once the account guard passed (wrong account or region: exit 2 before anything else)."""
    from mlprov.aws.identity import guard  # noqa: PLC0415

    aws = connect(args, prod)
    guard(aws, prod)
    return aws


def reports_dir(args: argparse.Namespace) -> Path:
    given: Path | None = getattr(args, "reports_dir", None)
    return given or find_repo().reports_dir


def ask(prompt: str) -> bool:
    """Ask on the terminal; only an explicit yes counts."""
    answer = input(prompt)
    return answer.strip().lower() in {"y", "yes"}


def terminal_confirm() -> Any:
    """The prompt function when a terminal is attached, else None (callers then refuse unless forced)."""
    return ask if sys.stdin.isatty() else None


def add_force(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--force", action="store_true", help=f"skip the interactive confirmation ({what})")


def add_skip_forecast(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-forecast", action="store_true",
                        help="do not run `mlprov forecast` first (AWS itself then refuses what it would have predicted)")
