"""What the prerequisite tests of the strict local AWS share: the forecast's blocker lines (no stack made), a deploy
forced past the forecast (its failed resources), a healthy deploy."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.aws import stack

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client


def predicted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], endpoint: str, config: Path,
               name: str, region: str) -> list[str]:
    """The forecast's blocker lines (exit 2); no stack exists (a change set would have made one, REVIEW_IN_PROGRESS)."""
    assert run_cli(monkeypatch, "forecast", str(config), "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert stack.describe(client(endpoint, "cloudformation", region), name) is None
    return [line.strip() for line in err if " blocker: " in line]


def forced(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], endpoint: str, config: Path,
            name: str) -> list[str]:
    """Deploy past the forecast: exit 3, the stack rolled back; the CREATE_FAILED lines (logical id, type, reason)."""
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"deploy of {name} failed: stack is ROLLBACK_COMPLETE"
    return [line.strip() for line in err if ": CREATE_FAILED: " in line]


def deploys(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], endpoint: str, config: Path) -> None:
    """The healthy setup: deploy-product with its forecast, exit 0 (a rolled-back stack is replaced: --force)."""
    code = run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint)
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
