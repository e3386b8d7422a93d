"""The memoized quoting filter: the verbatim fast path and the cache give exactly the escaping loop's output."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from mlprov.render.quoting import Quoted, q


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
