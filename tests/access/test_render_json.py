"""render_json writes exactly what json.dumps(indent=2) writes, for the shipped contracts and hostile values."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

import pytest
from mlprov.access.files import render_json
from mlprov.access.principals import contract, iam_size
from mlprov.config.loader import load_product
from mlprov.render.engine import render

REPO = Path(__file__).resolve().parents[2]
PRODUCTS = sorted((REPO / "products").glob("*.yaml"))


def _reference(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


@pytest.mark.parametrize("path", PRODUCTS[::4], ids=lambda p: p.stem)
def test_every_principal_of_shipped_products(path: Path) -> None:
    product = load_product(path)
    for principal in contract(product, render(product)[1])["principals"]:
        assert render_json(principal) == _reference(principal)


class Level(enum.IntEnum):
    HIGH = 3


HOSTILE: list[Any] = [
    {},
    [],
    {"a": {}, "b": [], "c": [[]], "d": [{}]},
    {"s": 'quote " backslash \\ newline \n tab \t nul \x00 del \x7f é 𝄞 \u2028'},
    {"é": "key not ascii", "\n": "control key"},
    {"t": True, "f": False, "n": None, "i": 0, "neg": -12, "big": 10**30},
    [1, "2", [3, [4, [5]]], {"k": (6, 7)}],
    {"float": 1.5},
    {"nan": float("nan"), "inf": float("inf")},
    {1: "int key", "b": 2},
    {None: "null key", True: "bool key"},
    {"enum": Level.HIGH},
    {"sub": type("S", (str,), {})("subclass")},
    # lists of strs only, and mixed ones (the writer's in-place path for strs)
    {"l": ["é", "\n", '"', "", "𝄞"], "one": ["x"], "mixed": ["a", 1, None, ["b"], {"c": "d"}]},
    ("a", "b"),
    ["a", type("S", (str,), {})("subclass in a list of strs")],
    {"Statement": [{"Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"}]},
]


@pytest.mark.parametrize("document", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values(document: Any) -> None:
    assert render_json(document) == _reference(document)


def test_a_value_json_cannot_write_still_fails_as_json_does() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        render_json({"x": {1, 2}})


@pytest.mark.parametrize("document", [d for d in HOSTILE if isinstance(d, dict)], ids=str)
def test_iam_size_is_the_compact_json_length(document: Any) -> None:
    assert iam_size(document) == len(json.dumps(document, separators=(",", ":")))
