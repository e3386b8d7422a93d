"""context.once: the per-render macro memo gives the bytes of calling the macro every time, and renders each
(macro, arguments) once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render import context
from mlprov.render.engine import render_text

from tests.conftest import PRODUCTS


def _unmemoized() -> Callable[..., Any]:
    return lambda macro, *args: macro(*args)


def _with_tags(product: Product, tags: dict[str, str]) -> Product:
    return Product(path=product.path, config={**product.config, "tags": tags})


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_memoized_render_equals_calling_each_time(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    product = load_product(path)
    variants = [product, _with_tags(product, {}), _with_tags(product, {"a": "1", "z z": "x:y", "Team": "ml"})]
    fast = [render_text(p) for p in variants]
    monkeypatch.setattr(context, "once", _unmemoized)
    assert [render_text(p) for p in variants] == fast


def test_once_calls_each_macro_once_per_arguments() -> None:
    calls: list[tuple[str, int]] = []

    def macro_a(indent: int) -> str:
        calls.append(("a", indent))
        return f"a{indent}"

    def macro_b(indent: int) -> str:
        calls.append(("b", indent))
        return f"b{indent}"

    once = context.once()
    assert [once(macro_a, 8), once(macro_a, 8), once(macro_a, 10), once(macro_b, 8), once(macro_a, 8)] == [
        "a8", "a8", "a10", "b8", "a8"
    ]  # fmt: skip
    assert calls == [("a", 8), ("a", 10), ("b", 8)]
    assert context.once()(macro_a, 8) == "a8" and calls[-1] == ("a", 8)  # a new render starts empty
