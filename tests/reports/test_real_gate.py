"""create-review-report with the real gate engine (cfn-lint, cfn-guard, checkov, iam-escalation) on a shipped example."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tests.reports.cli_support import run_cli
from tests.reports.htmlparse import read
from tests.reports.support import REPO, STARTER


@pytest.mark.slow
def test_shipped_starter_example_is_ready_with_the_real_gate(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    if importlib.util.find_spec("mlprov.gates.engine") is None:
        pytest.skip("the gate engine (generator/gates/engine.py) is not in this checkout")
    monkeypatch.setenv("MLPROV_ROOT", str(REPO))
    assert run_cli(monkeypatch, "create-review-report", STARTER) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{STARTER}: READY (static checks only)"
    page = read((Path(os.environ["MLPROV_REPORTS_DIR"]) / STARTER / "review.html").read_text())
    gate_text = page.text.split("Gate findings")[1].split("Change preview")[0]
    assert "0 open finding(s)" in gate_text
    for tool in ("cfn-lint", "cfn-guard", "checkov", "iam-escalation"):
        assert tool in gate_text
