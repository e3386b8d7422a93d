"""Shared fixtures: the repository root and its example products."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PRODUCTS = sorted((REPO / "products").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _reports_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test writes reports and logs to its own temporary folder, never into the checkout."""
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(tmp_path_factory.mktemp("reports")))
    # and its own gate cache (outside the work tree, see mlprov.cachedir): no entry leaks between tests
    monkeypatch.setenv("MLPROV_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def repo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch repository with a copy of products/ (and MLPROV_ROOT pointing at it)."""
    shutil.copytree(REPO / "products", tmp_path / "products")
    monkeypatch.setenv("MLPROV_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def _gate_clean_unless_told(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """deploy-product consults the gate (cfn-lint, cfn-guard, checkov: seconds per product). Tests of the deploy path
    get an injected clean verdict; tests of the gate itself run it for real (tests/gates), and tests of the
    deploy's gate rule inject their own runner (tests/aws/test_operations.py)."""
    if request.node.get_closest_marker("real_gate"):
        return
    from mlprov.commands import _gate_check
    from mlprov.gates.model import GateResult

    monkeypatch.setattr(_gate_check, "gate_runner", lambda: lambda product: GateResult(products=[product.name]))


@pytest.fixture
def lenient() -> Iterator[None]:
    """The local endpoint without its strict rules for one test (what moto alone accepts)."""
    from mlprov.local_aws import strict

    strict.set_strict(False)
    try:
        yield
    finally:
        strict.set_strict(True)


@pytest.fixture
def zones_table() -> Iterator[None]:
    """Restore the strict endpoint's table of Availability Zones each endpoint service serves after the test."""
    from mlprov.local_aws.strict import endpoint_zones

    try:
        yield
    finally:
        endpoint_zones.reset()
