"""``create-review-report CONFIG``: a self-contained HTML review of one product before it is deployed.

Exit 0 when the verdict is READY or READY (static checks only) (its lines say what was not checked: the change preview
and the pre-flight need an endpoint or credentials), 1 when it is BLOCKED or UNKNOWN (gate not run); the page is
written either way.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from mlprov.actionlog import LOGGER_NAME
from mlprov.aws.session import add_aws_options
from mlprov.commands import Command
from mlprov.commands._aws_common import committed_template, reports_dir
from mlprov.commands._common import add_config_argument, product
from mlprov.errors import ExitCode
from mlprov.paths import find_repo
from mlprov.render import renderings
from mlprov.reports import changes, forecast, gate
from mlprov.reports.review import Review, write


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--no-gate", action="store_true", help="do not run the gate (the verdict is then UNKNOWN: not ready)")
    parser.add_argument("--no-preview", action="store_true", help="no change-set preview, even when AWS is reachable")
    add_aws_options(parser)


def _relative(path: Path) -> str:
    root = find_repo().root
    text = str(path)
    return text.removeprefix(f"{root}/")


def run(args: argparse.Namespace) -> int:
    log = logging.getLogger(LOGGER_NAME)
    prod = product(args.config)
    text, template = committed_template(prod)
    result, note = gate.obtain(prod, args.no_gate, gate.engine_runner())
    log.info("gate: %s", "not run: " + note if result is None else f"{len(result.findings)} finding(s), {len(result.waived)} waived")
    stale = [(_relative(p), why) for p, why in renderings.stale(renderings.expected(prod))]
    preview = changes.fetch(args, prod, text, template)
    log.info("preview: %s", preview.message)
    predicted = forecast.obtain(args, prod, text, template)
    log.info("forecast: %d finding(s), %d blocker(s) %s", len(predicted.findings), len(predicted.blockers), predicted.note)
    review = Review(prod, template, result, note, stale, preview, forecast=predicted)
    path = write(review, reports_dir(args))
    verdict = review.verdict
    log.info("verdict %s: %s; report %s", verdict.status, "; ".join(verdict.reasons) or "ready", path)
    print(f"{prod.name}: {verdict.headline}")
    for reason in verdict.reasons:
        print(f"  - {reason}")
    print(f"report: {path}")
    return int(ExitCode.OK if verdict.deployable else ExitCode.FINDINGS)


COMMAND = Command("create-review-report", "a pre-deployment HTML review report (resources, IAM, gate findings, changes)",
                  configure, run)
