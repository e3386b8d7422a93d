"""``validate-prov-template CONFIG``: the gate (cfn-lint, cfn-guard rule packs, checkov) for one product."""

from __future__ import annotations

import argparse

from generator.commands import Command
from generator.commands._common import add_config_argument
from generator.commands.gate import add_gate_options, gate_and_report
from generator.gates.targets import resolve_targets
from generator.paths import find_repo


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_gate_options(parser)


def run(args: argparse.Namespace) -> int:
    repo = find_repo()
    return gate_and_report(args, repo, resolve_targets(repo, [args.config]))


COMMAND = Command(
    "validate-prov-template", "validate the rendered template locally (cfn-lint, cfn-guard rule packs, checkov)", configure, run
)
