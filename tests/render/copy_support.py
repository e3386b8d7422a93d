"""Helpers of the test-copy ARN tests: the eight real renderings (the reference) and a spy counting renderings."""

from __future__ import annotations

from typing import Any

import pytest
from mlprov.access import arns
from mlprov.config.model import Product
from mlprov.render.engine import render


def eight_renderings(product: Product) -> list[dict[str, list[str]]]:
    """The test-copy ARNs of ``product`` from a real rendering of each of the eight test suffixes."""
    return [arns.resource_arns(render(product.for_test(s))[1]) for s in arns.TEST_SUFFIXES]


def counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Spy on the renderings the ARN code makes; returns the list of test suffixes rendered, filled as it goes."""
    rendered: list[str] = []
    real = arns._render

    def spy(product: Product) -> dict[str, Any]:
        rendered.append(str(product.test_suffix))
        return real(product)

    monkeypatch.setattr(arns, "_render", spy)
    return rendered
