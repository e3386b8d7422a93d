"""Run the CLI with create-review-report registered (the lead registers it in generator/commands/__init__.py)."""

from __future__ import annotations

import pytest

from generator import cli
from generator.commands import MODULES, load_commands


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    modules = MODULES + tuple(m for m in ("review_report", "check_drift", "deploy_product") if m not in MODULES)
    monkeypatch.setattr(cli, "load_commands", lambda: load_commands(modules))
    return cli.main(list(argv))
