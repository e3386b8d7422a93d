"""``validate-prov-template CONFIG``: the gate (cfn-lint, cfn-guard rule packs, checkov, iam-escalation) for one product."""

from __future__ import annotations

import argparse

from mlprov.commands import Command
from mlprov.commands._aws_common import deployable_template
from mlprov.commands._common import add_config_argument, product
from mlprov.commands.gate import add_gate_options, gate_and_report
from mlprov.gates.targets import resolve_targets
from mlprov.paths import find_repo


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_gate_options(parser)


def run(args: argparse.Namespace) -> int:
    repo = find_repo()
    targets = resolve_targets(repo, [args.config])
    for target in targets:  # a stale rendering is refused (exit 2): gate what would be deployed
        deployable_template(product(target.product))
    return gate_and_report(args, repo, targets)


COMMAND = Command(
    "validate-prov-template", "validate the rendered template locally (cfn-lint, cfn-guard rule packs, checkov, iam-escalation)",
    configure, run,
)
