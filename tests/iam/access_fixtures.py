"""Shared helpers of the oracle tests: each shipped example's principals, and evaluation of labelled requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render

from tests.iam.model import Labeled
from tests.iam.oracle import Decision, evaluate

TEST_SUFFIX = "t1a2b3c"


@cache
def product(path: Path) -> Product:
    return load_product(path)


@cache
def template(path: Path, suffix: str | None = None) -> dict[str, Any]:
    prod = product(path)
    return render(prod.for_test(suffix) if suffix else prod)[1]


@cache
def principals(path: Path) -> dict[str, dict[str, Any]]:
    return {p["kind"]: p for p in contract(product(path), template(path))["principals"]}


def run(principal: dict[str, Any], labeled: Iterable[Labeled], *,
        boundary: dict[str, Any] | None = None) -> list[tuple[str, Decision]]:
    items = list(labeled)
    decisions = evaluate(principal["policies"], [i.request for i in items], boundary=boundary, principal=principal["arn"],
                         account=principal["arn"].split(":")[4])
    return [(i.label, d) for i, d in zip(items, decisions, strict=True)]


def failures(results: Sequence[tuple[str, Decision]], *, want_allowed: bool) -> list[str]:
    return [f"{label}: {d.request.action} {d.request.resource} {dict(d.request.context)} -> {d.detail}"
            for label, d in results if d.allowed != want_allowed]
