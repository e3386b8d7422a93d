"""The memoized quoting filter and the parse-back fast paths give exactly what their general forms give."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from mlprov.render import fastparse
from mlprov.render.quoting import Quoted, flow, num, pad, q


def _reference(value: str) -> str:
    """The escaping loop every string went through before the fast path (kept here as the specification)."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= code <= 0x7E:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


@given(st.text())
def test_q_equals_the_escaping_loop(value: str) -> None:
    assert str(q(value)) == _reference(value)
    assert str(q(value)) == _reference(value)  # the second call is served by the cache


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_printable_ascii_takes_the_fast_path_exactly(value: str) -> None:
    assert str(q(value)) == _reference(value)


def test_edges_of_the_verbatim_range() -> None:
    for value in ["", " ", "~", "!", "#", "[", "]", '"', "\\", "\x1f", "\x7f", "a\"b", "a\\b", "\u00e9", "\U0001f680"]:
        assert str(q(value)) == _reference(value), repr(value)


def test_a_markup_is_quoted_by_its_characters_and_results_are_quoted() -> None:
    assert q(Markup("<b>&amp;</b>")) == q("<b>&amp;</b>") == '"<b>&amp;</b>"'
    assert isinstance(q("x"), Quoted) and isinstance(q('"'), Quoted)


json_like = st.recursive(
    st.text(), lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)


@given(json_like)
def test_flow_fast_path_reads_what_yaml_reads(value: Any) -> None:
    """A flow collection of q() strings is decoded whole as JSON: the same value PyYAML reads, or Unsupported (then
    the template falls back to PyYAML) exactly where the token-by-token reader refuses it too."""
    text = str(flow(value))
    try:
        fast = json.loads(fastparse._flow_json(text))
    except fastparse.Unsupported:
        with pytest.raises(fastparse.Unsupported):
            _tokenwise(text)
        return
    assert fast == _tokenwise(text) == yaml.safe_load(f"k: {text}\n")["k"]


def _tokenwise(text: str) -> Any:
    """The reader without its fast path (the regex made not to match)."""
    saved = fastparse._JSON_FLOW
    fastparse._JSON_FLOW = re.compile(r"(?!)")
    try:
        return json.loads(fastparse._flow_json(text))
    finally:
        fastparse._JSON_FLOW = saved


@pytest.mark.parametrize("token", ['"plain"', '""', '"a\\"b"', '"a\\\\b"', '"\\u00e9"', '"a" "b"', '"a', 'a"'])
def test_string_fast_path_equals_json(token: str) -> None:
    try:
        expected: Any = json.loads(token)
    except ValueError:
        expected = fastparse.Unsupported
    if expected is fastparse.Unsupported or not isinstance(expected, str):
        with pytest.raises(fastparse.Unsupported):
            fastparse._string(token)
    else:
        assert fastparse._string(token) == expected


def _reference_flow(value: Any) -> str:
    """flow() before it built plain strings inside (kept here as the specification)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{q(str(k))}: {_reference_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_reference_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(num(value))
    return str(q(value))


class _Str(str):
    __slots__ = ()


class _List(list[Any]):
    pass


flow_values = st.recursive(
    st.text(max_size=8) | st.booleans() | st.integers() | st.builds(_Str, st.text(max_size=4))
    | st.builds(Markup, st.text(max_size=4)),
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
    | st.lists(inner, max_size=3).map(_List) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3).map(OrderedDict),
    max_leaves=14)


@given(flow_values)
def test_flow_equals_the_general_form(value: Any) -> None:
    out = flow(value)
    assert isinstance(out, Quoted) and str(out) == _reference_flow(value)


def test_flow_refuses_what_q_refuses() -> None:
    for value in (None, 1.5, {"k": None}, [object]):
        with pytest.raises(TypeError, match="q expects a string"):
            flow(value)


def test_pad_is_one_shared_quoted_per_width() -> None:
    for width in range(41):
        assert pad(width) == " " * width and isinstance(pad(width), Quoted) and pad(width) is pad(width)
    for bad in (41, -1, True, "4", 4.0, None):
        with pytest.raises(TypeError, match=f"pad expects an indentation width 0-40, got {bad!r}"):
            pad(bad)
