"""Run the CLI in-process (every action is registered in generator/commands/__init__.py)."""

from __future__ import annotations

import pytest
from mlprov import cli


def run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    del monkeypatch  # kept in the signature: the callers pass it
    return cli.main(list(argv))
