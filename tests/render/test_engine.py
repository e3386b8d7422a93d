"""engine.render_text drops blank lines in one regex pass where that gives what the line-by-line form gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mlprov.render.engine import drop_blank_lines


def _line_by_line(text: str) -> str:
    """The form render_text used (kept here as the specification)."""
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


EDGES = ["", "\n", "a", "a\n", "\na\n", "  \na\n", "a\n  \n", "a\n  \n\n \nb\n", "a\n \t\nb\n", "a\r\nb\n", "a\rb\n",
         "a\x0bb\n", "a\x0c\nb\n", "a\x1c\x1d\x1e\x1fb\n", "a\x85b\n", "a\u2028b\n", "\u00e9\n\n", " a\n\n  b  \n \n",
         "a\n\n", "a\n \n"]


@pytest.mark.parametrize("text", EDGES)
def test_the_edges(text: str) -> None:
    assert drop_blank_lines(text) == _line_by_line(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "\n", "  ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85",
                                 "\u2028", "\u00e9", "- k: \"v\""]), max_size=25).map("".join))
def test_any_text(text: str) -> None:
    assert drop_blank_lines(text) == _line_by_line(text)
