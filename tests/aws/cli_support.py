"""Run the CLI with the AWS actions registered (the lead registers them in generator/commands/__init__.py)."""

from __future__ import annotations

import pytest

from generator import cli
from generator.commands import MODULES, load_commands

AWS_MODULES = ("show_changes", "deploy_product", "test_deploy", "check_drift", "delete_product")


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    modules = MODULES + tuple(m for m in AWS_MODULES if m not in MODULES)
    monkeypatch.setattr(cli, "load_commands", lambda: load_commands(modules))
    return cli.main(list(argv))
