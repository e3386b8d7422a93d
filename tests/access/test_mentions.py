"""mentions.in_repr against ``needle in str(tree)`` (what servicerole tested before): every shipped example, and
hostile trees (escapes, quotes, non-ASCII, numbers, subclasses, other objects, cycles, depth) and needles."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from mlprov.access import mentions

from tests.access.test_scope_plan import _example
from tests.conftest import PRODUCTS

NEEDLE = "Fn::ImportValue"


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_example_as_str_says(path: Any) -> None:
    _product, template = _example(path)
    for tree in (template["Resources"], template, *template["Resources"].values()):
        assert mentions.in_repr(NEEDLE, tree) == (NEEDLE in str(tree))
    assert mentions._walk(NEEDLE, template["Resources"]) == (NEEDLE in str(template["Resources"]))  # no fallback


class _Str(str):
    pass


class _Dict(dict):  # type: ignore[type-arg]
    pass


class _Loud:
    def __repr__(self) -> str:
        return NEEDLE


def _cycle() -> list[Any]:
    loop: list[Any] = ["x"]
    loop.append(loop)
    return loop


def _deep(n: int, leaf: Any) -> Any:
    node = leaf
    for i in range(n):
        node = {"k": node} if i % 2 else [node]
    return node


HOSTILE: list[Any] = [
    {}, [], "", NEEDLE, 1, 1.5, True, None, float("inf"), float("nan"), -0.0, 10**30,
    {"Fn::ImportValue": "x"}, {"a": {"b": [1, {"Fn::ImportValue": {"Fn::Sub": "${A}"}}]}},
    ["Fn::Import\nValue"], ["Fn::Import'Value"], ['Fn::Import"Value'], ["Fn::Import\\Value"], ["Fn:\x00:ImportValue"],
    ["x'Fn::ImportValue\"y"], ["é Fn::ImportValue ✓"], ["\U0001f600Fn::ImportValue"], ["Fn::ImportValu"],
    ["fn::importvalue"], {1: "Fn::ImportValue"}, {1: 2, None: True, 1.5: False}, {"Fn": {"::ImportValue": 1}},
    ["Fn:", ":ImportValue"], {"Fn:": ":ImportValue"}, [_Str(NEEDLE)], [_Str("x")], _Dict(a=NEEDLE), [_Dict(a=1)],
    [_Loud()], {"a": _Loud()}, {_Loud(): 1}, [datetime.date(2024, 1, 1)], [b"Fn::ImportValue"], ("Fn::ImportValue",),
    [("x",)], _cycle(), _deep(63, NEEDLE), _deep(64, NEEDLE), _deep(70, NEEDLE), _deep(70, "x"), _deep(200, 1),
]
NEEDLES = [NEEDLE, "True", "rue", "None", "nf", "nan", "e1", "1e", "12", "a:", ": ", "x\n", "", "'", "é", "ab",
           "nX", "xY", "Fx", "Value", "::", "inf", "ImportValue", "b:c", "\\", "fa"]


@pytest.mark.parametrize("tree", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_trees_as_str_says(tree: Any) -> None:
    for needle in NEEDLES:
        assert mentions.in_repr(needle, tree) == (needle in str(tree)), needle


def test_random_trees_as_str_says() -> None:
    rng = random.Random(14)
    pieces = ["Fn", "::", ":", "Import", "Value", "F", "n", "\n", "\\", "'", '"', "é", "\x7f", " ", ",", "x", "1"]

    def text() -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))

    def tree(depth: int) -> Any:
        pick = rng.randint(0, 6 if depth < 4 else 3)
        if pick <= 1:
            return text()
        if pick == 2:
            return rng.choice([1, -2, 0.5, float("inf"), True, False, None])
        if pick == 3:
            return []
        if pick <= 5:
            return {text(): tree(depth + 1) for _ in range(rng.randint(1, 4))}
        return [tree(depth + 1) for _ in range(rng.randint(1, 4))]

    for _ in range(3000):
        t = tree(0)
        for needle in (NEEDLE, "Import", "n:", "Fn::", "nF"):
            assert mentions.in_repr(needle, t) == (needle in str(t)), (needle, t)


def test_which_needles_are_walked() -> None:
    assert mentions.plain(NEEDLE) and mentions.plain("Value")
    for needle in ("", "a:", "True", "nf", "e1", "12", "ab", "nX", ": ", "x y", "é", "Fn::Import'Value", "\\"):
        assert not mentions.plain(needle), needle
