"""``mlprov create-review-report``: verdicts and exit codes, the gate supplier, stale renderings, the action log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from mlprov.gates.model import GateResult
from mlprov.reports import gate

from tests.reports.cli_support import run_cli
from tests.reports.htmlparse import read
from tests.reports.support import ENTERPRISE, STARTER, blocked_gate, clean_gate


def _reports() -> Path:
    return Path(os.environ["MLPROV_REPORTS_DIR"])


def _inject(monkeypatch: pytest.MonkeyPatch, result: GateResult | None) -> list[str]:
    calls: list[str] = []

    def runner(product: object) -> GateResult:
        calls.append(getattr(product, "name", ""))
        assert result is not None
        return result

    monkeypatch.setattr(gate, "engine_runner", lambda: runner if result is not None else None)
    return calls


def test_ready_with_a_clean_gate_exit_0(repo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    calls = _inject(monkeypatch, clean_gate(STARTER))
    assert run_cli(monkeypatch, "create-review-report", STARTER) == 0
    out = capsys.readouterr().out.splitlines()
    page = _reports() / STARTER / "review.html"
    assert out == [f"{STARTER}: READY to deploy", f"report: {page}"]
    assert calls == [STARTER]
    text = read(page.read_text()).text
    assert "no AWS endpoint or credentials given: preview not available" in text


def test_blocked_lists_the_reasons_exit_1(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _inject(monkeypatch, blocked_gate(ENTERPRISE))
    assert run_cli(monkeypatch, "create-review-report", ENTERPRISE) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"{ENTERPRISE}: BLOCKED — 1 reason(s)", "  - 3 open gate finding(s): 1 high, 1 medium, 1 low"]


def test_no_gate_gives_unknown_and_skips_the_engine(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    calls = _inject(monkeypatch, clean_gate(STARTER))
    assert run_cli(monkeypatch, "create-review-report", STARTER, "--no-gate") == 1
    assert capsys.readouterr().out.splitlines()[:2] == [f"{STARTER}: UNKNOWN — gate not run (not ready)",
                                                        "  - gate not run: skipped (--no-gate)"]
    assert calls == []


def test_without_the_gate_engine_the_verdict_is_unknown(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _inject(monkeypatch, None)
    assert run_cli(monkeypatch, "create-review-report", STARTER) == 1
    assert f"  - gate not run: {gate.NO_ENGINE}" in capsys.readouterr().out.splitlines()


def test_engine_runner_follows_the_engine_module(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    fake = types.ModuleType("mlprov.gates.engine")
    seen: list[tuple[object, list[Path], bool]] = []

    def run_gate(repo: object, configs: list[Path], use_cache: bool = True) -> GateResult:
        seen.append((repo, configs, use_cache))
        return clean_gate(STARTER)

    fake.run_gate = run_gate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mlprov.gates.engine", fake)
    runner = gate.engine_runner()
    assert runner is not None
    from tests.reports.support import product

    result = runner(product(STARTER))
    assert result.products == [STARTER] and seen[0][1] == [product(STARTER).path] and seen[0][2] is True
    monkeypatch.setitem(sys.modules, "mlprov.gates.engine", types.ModuleType("mlprov.gates.engine"))
    assert gate.engine_runner() is None


def test_stale_rendering_blocks(repo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _inject(monkeypatch, clean_gate(STARTER))
    config = repo_copy / "products" / f"{STARTER}.yaml"
    data = yaml.safe_load(config.read_text())
    data["owner"] = "changed-without-rendering@example.com"  # a tag: the template changes (the description reaches none)
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    assert run_cli(monkeypatch, "create-review-report", STARTER) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"  - stale rendering: products/{STARTER}/template.yaml (out of date); run `mlprov render`"


def test_missing_template_is_a_usage_error(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "products" / STARTER / "template.yaml").unlink()
    assert run_cli(monkeypatch, "create-review-report", STARTER, "--no-gate") == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{repo_copy}/products/{STARTER}/template.yaml: template missing"
    assert not (_reports() / STARTER / "review.html").exists()


def test_unknown_config_is_a_usage_error(repo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(monkeypatch, "create-review-report", "no-such-product") == 2
    assert capsys.readouterr().err.splitlines()[0] == "no-such-product: no such config"


def test_the_action_log_records_the_verdict(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _inject(monkeypatch, clean_gate(STARTER))
    assert run_cli(monkeypatch, "create-review-report", STARTER) == 0
    [log] = (_reports() / "logs").glob("*-create-review-report.log")
    text = log.read_text()
    assert "action create-review-report started" in text
    assert "gate: 0 finding(s), 1 waived" in text
    assert "preview: no AWS endpoint or credentials given: preview not available" in text
    assert f"verdict READY: ready; report {_reports() / STARTER / 'review.html'}" in text
    assert "action create-review-report finished with exit code 0" in text
