"""deploy-product's gate: a product with open gate findings is not deployed unless ``--skip-gate``.

The verdict comes from the gate engine (:func:`mlprov.gates.engine.run_gate` with its cache, as
``validate-prov-template`` and the review report obtain it: :mod:`mlprov.reports.gate`), so a deploy right
after the PR's gate costs only cache reads. Tests inject the runner by replacing :func:`gate_runner`.
"""

from __future__ import annotations

import logging

from mlprov.actionlog import LOGGER_NAME
from mlprov.aws.deploy import Refused
from mlprov.config.model import Product
from mlprov.errors import UserError
from mlprov.reports.gate import GateRunner, engine_runner

SHOWN = 10  # findings listed in the refusal; the gate report has all of them


def gate_runner() -> GateRunner | None:
    return engine_runner()


def skipped_note() -> str:
    return "GATE SKIPPED (--skip-gate): this deploy was not checked by cfn-lint, cfn-guard, checkov and iam-escalation"


def require_clean_gate(product: Product, skip: bool) -> list[str]:
    """The notes for the preview; raises Refused (exit 1) on open findings or waiver problems."""
    log = logging.getLogger(LOGGER_NAME)
    if skip:
        log.warning("%s: %s", product.names.stack, skipped_note())
        return [skipped_note()]
    runner = gate_runner()
    if runner is None:
        raise UserError("the gate engine (mlprov.gates.engine) is not available in this installation",
                        hint="install mlprov with its gate tools, or rerun with --skip-gate")
    result = runner(product)
    if result.clean:
        log.info("%s: gate clean (%d waived)", product.names.stack, len(result.waived))
        return [f"gate: clean ({len(result.findings)} open finding(s), {len(result.waived)} waived)"]
    lines = [f"{f.tool.value} {f.rule_id} {f.resource}: {f.message}" for f in result.findings[:SHOWN]]
    if len(result.findings) > SHOWN:
        lines.append(f"... and {len(result.findings) - SHOWN} more")
    lines += result.waiver_problems
    raise Refused(f"refusing to deploy {product.names.stack}: the gate has {len(result.findings)} open finding(s)"
                  f"{f' and {len(result.waiver_problems)} waiver problem(s)' if result.waiver_problems else ''}",
                  lines, hint=f"fix or waive them (`mlprov validate-prov-template {product.path}` shows them); "
                              "--skip-gate deploys anyway, logged and shown in the preview")
