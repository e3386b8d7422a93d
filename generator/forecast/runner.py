"""Run the registered checks: offline ones always, online ones when clients are given; one line per finding."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from mlprov.actionlog import LOGGER_NAME
from mlprov.aws.session import Aws
from mlprov.config.model import Product
from mlprov.errors import UserError
from mlprov.forecast.model import Check, Context, Finding
from mlprov.forecast.registry import all_checks


def _api_error(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    err = response.get("Error", {})
    message = str(err.get("Message", "")).strip().splitlines()
    return f"{err.get('Code', '?')}: {message[0][:200] if message else ''}".rstrip(": ")


def _run_one(check: Check, ctx: Context) -> list[Finding]:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return check.run(ctx)
    except ClientError as exc:  # a read the endpoint refuses is reported as a finding, never hidden
        detail = _api_error(exc) or str(exc)
        return [check.finding("warning", f"{check.title}: not checked, the read-only call failed ({detail})",
                              "grant the plan role read access, or check by hand")]


def stack_resources(aws: Aws, stack_name: str) -> dict[str, str]:
    """Logical id -> physical id of the deployed stack's resources (empty when there is no stack)."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    ids: dict[str, str] = {}
    try:
        for page in aws.cfn.get_paginator("list_stack_resources").paginate(StackName=stack_name):
            ids |= {str(r["LogicalResourceId"]): str(r["PhysicalResourceId"])
                    for r in page["StackResourceSummaries"] if r.get("PhysicalResourceId")}
    except ClientError as exc:
        if "does not exist" not in str(exc):
            raise
    return ids


def forecast(product: Product, text: str, template: dict[str, Any], aws: Aws | None = None,
             checks: Iterable[Check] | None = None) -> list[Finding]:
    """Every finding, in check-code order. ``aws`` None: offline checks only."""
    ctx = Context(product, text, template, aws)
    if aws is not None:
        ctx.stack_resources = stack_resources(aws, product.names.stack)
    out: list[Finding] = []
    for check in checks if checks is not None else all_checks():
        if check.online and aws is None:
            continue
        out += _run_one(check, ctx)
    return out


class Blocked(UserError):
    """The forecast found blockers: AWS would refuse the deploy."""

    def __init__(self, product: Product, blockers: list[Finding]) -> None:
        super().__init__(f"{product.path}: forecast: {len(blockers)} blocker(s): AWS would refuse this deploy",
                         hint="fix each blocker above (its fix is on its line), then rerun")
        self.blockers = blockers

    def lines(self) -> list[str]:
        return [*(f"  {b.line()}" for b in self.blockers), self.message, f"hint: {self.hint}"]


def print_findings(findings: list[Finding], out: TextIO) -> None:
    log = logging.getLogger(LOGGER_NAME)
    for f in findings:
        print(f.line(), file=out)
        log.info("forecast: %s", f.line())


def gate(aws: Aws | None, product: Product, text: str, template: dict[str, Any], out: TextIO, *,
         reports_dir: Path | None = None, show_info: bool = False) -> list[Finding]:
    """Run the forecast, print each finding (info only when asked), record it; refuse on a blocker (exit 2).
    The hook of show-changes, deploy-product and test-deploy, before any change set exists."""
    from mlprov.forecast import report  # noqa: PLC0415

    findings = forecast(product, text, template, aws)
    if reports_dir is not None:
        report.write(findings, reports_dir, product.name, online=aws is not None)
    print_findings([f for f in findings if f.severity != "blocker" and (show_info or f.severity != "info")], out)
    blockers = [f for f in findings if f.severity == "blocker"]
    if blockers:
        raise Blocked(product, blockers)
    warnings = sum(f.severity == "warning" for f in findings)
    print(f"forecast: no blocker ({warnings} warning(s))", file=out)
    return findings
