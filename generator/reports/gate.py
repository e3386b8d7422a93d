"""Where the review report's gate result comes from: the gate engine when it is installed, else none.

The report itself only takes a :class:`~mlprov.gates.model.GateResult` (or None), so tests and other
callers inject one; this module is the default supplier used by ``create-review-report``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from mlprov.config.model import Product
from mlprov.gates.model import GateResult
from mlprov.paths import find_repo

GateRunner = Callable[[Product], GateResult]
SKIPPED = "skipped (--no-gate)"
NO_ENGINE = "the gate engine (mlprov.gates.engine) is not available in this installation"


def engine_runner() -> GateRunner | None:
    """``run_gate`` of :mod:`mlprov.gates.engine` bound to this repository, or None when it is not importable."""
    try:
        engine = importlib.import_module("mlprov.gates.engine")
    except ImportError:
        return None
    run_gate = getattr(engine, "run_gate", None)
    if run_gate is None:
        return None

    def runner(product: Product) -> GateResult:
        result: GateResult = run_gate(find_repo(), [product.path], use_cache=True)
        return result

    return runner


def obtain(product: Product, skip: bool, runner: GateRunner | None) -> tuple[GateResult | None, str]:
    """(result, why there is none)."""
    if skip:
        return None, SKIPPED
    if runner is None:
        return None, NO_ENGINE
    return runner(product), ""
