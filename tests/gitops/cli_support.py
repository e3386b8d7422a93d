"""Run the CLI with the GitOps and AWS actions registered (the lead lists them in generator/commands/__init__.py)."""

from __future__ import annotations

import pytest

from generator import cli
from generator.commands import MODULES, load_commands
from tests.aws.cli_support import AWS_MODULES

GITOPS_MODULES = ("changed_products", "comment_body")


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    modules = MODULES + tuple(m for m in AWS_MODULES + GITOPS_MODULES if m not in MODULES)
    monkeypatch.setattr(cli, "load_commands", lambda: load_commands(modules))
    return cli.main(list(argv))
