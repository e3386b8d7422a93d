"""Markdown that a value from AWS or a config cannot break out of (drift.md, the drift issue, PR comments).

- :func:`code`: an inline code span. Inside a code span nothing is markdown (no link, image, heading,
  emphasis; GitHub does not turn ``@name`` into a mention there). The fence is one backtick longer than the
  longest run of backticks in the value (CommonMark 0.30, "Code spans": the span ends only at a backtick string
  of equal length), padded with a space when the value starts or ends with a backtick.
- Table cells: a ``|`` splits the cell even inside a code span, so it is written ``\\|`` (GitHub Flavored Markdown
  spec, "Tables (extension)": "include a pipe in a cell's content by escaping it, including inside other inline
  spans"); a line break ends the row, so CR/LF are written as the two characters ``\\n``.
- :func:`text`: plain text with every ASCII punctuation character backslash-escaped (CommonMark "Backslash
  escapes": any ASCII punctuation may be escaped) and ``@`` followed by a zero-width space, since GitHub links
  mentions in rendered text whatever the escaping.
"""

from __future__ import annotations

import json
import re
import string
from typing import Any

_BACKTICKS = re.compile(r"`+")
_PUNCT = set(string.punctuation)
_PIPE = re.compile(r"(\\*)\|")


def _escape_pipe(m: re.Match[str]) -> str:
    """A pipe preceded by an odd number of backslashes is escaped for the table (GFM pairs backslashes from the
    left when it splits cells): add one backslash to an even run, two to an odd one."""
    run = m.group(1)
    return run + ("\\" if len(run) % 2 == 0 else "\\\\") + "|"


def _flat(value: Any) -> str:
    raw = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return raw.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def code(value: Any) -> str:
    """``value`` (a string, or anything as JSON) as one code span that is also safe inside a table cell."""
    raw = _PIPE.sub(_escape_pipe, _flat(value))
    longest = max((len(m.group(0)) for m in _BACKTICKS.finditer(raw)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") or not raw.strip() else ""
    return f"{fence}{pad}{raw}{pad}{fence}"


def text(value: Any) -> str:
    """``value`` as literal text: no markup, no mention, one line, safe inside a table cell (numbers as they are)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    out = []
    for ch in _flat(value):
        if ch == "@":
            out.append("@\u200b")
        elif ch in _PUNCT:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
