"""The libyaml fast path of the strict YAML loader gives what the pure-Python loader gives: the same values (and
types) for every shipped YAML file and for edge cases, the same refusal and message for hostile input, and it
declines what it must not see (tabs, non-ASCII, deep or self-referencing documents)."""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.config import yamlfast, yamlload
from mlprov.config.yamlload import load

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p for p in REPO.rglob("*.yaml") if not {"node_modules", ".venv", ".tools", ".venv-checkov", ".git"}
                 & set(p.relative_to(REPO).parts))
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
EDGES = [
    "", "# only a comment\n", "---\n", "~\n", "a:\n", "a: ~\nb: null\nc: Null\nd: NULL\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: y\ng: n\n", "a: 0o17\nb: 017\nc: 0x1F\nd: 0b101\ne: 1_000\nf: 1:20\n",
    "a: .inf\nb: -.Inf\nc: .nan\nd: 1e3\ne: 1.5e-3\nf: 6.8523015e+5\ng: 190:20:30.15\nh: 3.\n",
    "a: 2026-02-03\nb: 2026-02-03 10:00:00Z\nc: 2026-02-03T10:00:00.5+02:00\nd: 2026-2-3 1:2:3\n",
    "a: 2026-02-30\n", "a: '2026-02-30'\n", "a: 'it''s'\nb: \"tab\\tnl\\nuni\\u00e9\\x41\"\nc: \"\\\n  folded\"\n",
    "a: |\n  keep\n   this\n\n  text\nb: >-\n  fold\n  these\n\n  lines\nc: |+\n  x\n\nd: >2\n   indented\n",
    "a: plain\n  continued\n  lines\nb: - not a seq\n", "a: [1, 2, {b: c}, [d, e]]\nf: {g: h, i: [j]}\n",
    "- a\n- - b\n  - c\n- d: e\n  f: g\n", "? complex\n: value\n? [a, b]\n: seq key\n",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n", "a: &x {b: 1}\nc: *x\n", "a: !!str 1\nb: !!int '2'\nc: !!float 3\n",
    "a: !Ref x\n", "a: !!binary aGVsbG8=\n", "a: !!set {x, y}\nb: !!omap [a: 1, b: 2]\n", "a: b: c\n", "a: [b\n",
    "a: 1\na: 2\n", "{a: 1, a: 2}\n", "a: &x 1\nb: &x 2\n", "a: *nowhere\n", "--- a\n--- b\n", "a: 'x'y\n",
    "a: \"\\q\"\n", "  a: 1\n b: 2\n", "a: - b\n", "%YAML 1.1\n---\na: 1\n", "%YAML 2.0\n---\na: 1\n",
    "a: 1 # comment\n#b: 2\n", "a: x:y\nb: x: y\n", "a: [a:b, c: d]\n", "'a': 1\n\"b\": 2\n", "a: -\n",
    "a: " + "x" * 1100 + "\n", "? " + "k" * 1100 + "\n: v\n", "a: 1\t\n", "a:\t1\n", "a: 1\r\nb: 2\r\n",
    "a: caf\u00e9\n", "\ufeffa: 1\n", "a: \x07\n", "a: &a [*a]\n", "a: &a {b: *a}\n", BOMB,
    "a: &a 1\n" + "".join(f"k{i}: *a\n" for i in range(101)),
    "a: " + "[" * 100 + "1" + "]" * 100 + "\n", "a: " + "[" * 300 + "1" + "]" * 300 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(70)) + " " * 70 + "v\n",
]


def _typed(value: Any) -> Any:
    """The value with every scalar's type made explicit (1 == 1.0 == True must not hide a difference)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple, set)):
        return (type(value).__name__, [_typed(v) for v in (sorted(value) if isinstance(value, set) else value)])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat(), str(value.tzinfo))
    return (type(value).__name__, value)


def _outcome(fn: Any, text: str) -> tuple[str, Any]:
    try:
        return "value", _typed(fn(text))
    except RecursionError:
        return "recursion", None
    except Exception as exc:
        return "refused", str(exc)


def _compare(text: str) -> None:
    reference = _outcome(lambda t: load(t, fast=False), text)
    assert _outcome(load, text) == reference  # the public loader: same value, or the same exact message
    if yamlfast.eligible(text) and reference[0] == "value":
        fast = _outcome(yamlload._fast, text)  # the fast path itself: the same value, or it declines (too deep)
        assert fast == reference or (fast == ("refused", "") and (yamlfast.depth(_node(text)) or 0) > yamlfast.MAX_DEPTH)


def _node(text: str) -> yaml.Node:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        assert root is not None
        return root
    finally:
        loader.dispose()


@pytest.mark.skipif(yamlfast.FAST is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_yaml_file_loads_the_same(path: Path) -> None:
    _compare(path.read_text(encoding="utf-8"))


@pytest.mark.skipif(yamlfast.FAST is None, reason="PyYAML without libyaml")
def test_the_shipped_configs_take_the_fast_path() -> None:
    configs = [*sorted((REPO / "products").glob("*.yaml")), REPO / "accounts.yaml", REPO / "waivers.yaml"]
    for path in configs:
        text = path.read_text(encoding="utf-8")
        assert yamlfast.eligible(text)
        assert _outcome(yamlload._fast, text) == _outcome(lambda t: load(t, fast=False), text)


@pytest.mark.skipif(yamlfast.FAST is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_edge_and_hostile_documents_load_or_fail_the_same(text: str) -> None:
    _compare(text)


def test_what_the_fast_path_declines() -> None:
    for text in ("a: 1\t\n", "a: 1\r\n", "a: caf\u00e9\n", "\ufeffa: 1\n", "a: \x07\n", "a: " + "[" * 257 + "]" * 257,
                 "a: " + "x" * 600 + "\n"):
        assert not yamlfast.eligible(text)
    deep = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"  # libyaml's composer would overflow the C stack
    assert not yamlfast.eligible(deep)
    with pytest.raises(RecursionError):  # as before this path existed: the pure-Python loader's own failure
        load(deep)


def test_depth_counts_the_longest_path_and_finds_cycles() -> None:
    node = _node
    assert yamlfast.depth(node("a: 1\n")) == 2
    assert yamlfast.depth(node("a: [[1]]\nb: {c: [2]}\n")) == 4
    assert yamlfast.depth(node("a: &x [[[1]]]\nb: [[[[*x]]]]\n")) == 9  # through the alias: the longest path
    assert yamlfast.depth(node("a: &a [*a]\n")) is None
    assert yamlfast.depth(node("a: &a {b: [*a]}\n")) is None
