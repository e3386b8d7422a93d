"""Quoting filters: the only way a value reaches a rendered template.

:func:`q` renders any string as a YAML double-quoted scalar in pure printable ASCII (everything else is
escaped), so no value can end the scalar, start a new key, or inject structure. The Jinja environment's
``finalize`` refuses any expression that did not go through one of these filters.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup


class Quoted(Markup):
    """A fragment that went through a quoting filter and may be emitted as is."""

    __slots__ = ()


class UnquotedValueError(TypeError):
    """A template emitted a value without a quoting filter."""


# Printable ASCII except ``"`` and ``\\``: such a string is quoted as is (no character needs an escape).
_VERBATIM = re.compile(r'[ !#-\[\]-~]*')


def q(value: Any) -> Quoted:
    """A YAML double-quoted scalar holding ``value`` (a str) exactly."""
    if type(value) is str:  # the common case, keyed as is
        return _quoted(value)
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if not isinstance(value, str):
        raise TypeError(f"q expects a string, got {type(value).__name__}: {value!r}")
    return _quoted(str(value))  # str(): a Markup or other subclass is keyed (and quoted) by its characters


@lru_cache(maxsize=1 << 16)
def _quoted(value: str) -> Quoted:
    """Memoized (names, ARNs and keys recur in every product and test copy); a Quoted is immutable, so sharing one
    instance between renders cannot leak state."""
    if _VERBATIM.fullmatch(value):
        return Quoted(f'"{value}"')
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
    return Quoted("".join(out))


def num(value: Any) -> Quoted:
    """An integer, refusing anything else (booleans included)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"num expects an integer, got {type(value).__name__}: {value!r}")
    return Quoted(str(value))


def json_q(value: Any) -> Quoted:
    """A JSON document (e.g. a dashboard body) serialised deterministically, then quoted as one string."""
    return q(json.dumps(value, sort_keys=True, separators=(",", ":")))


def flow(value: Any) -> Quoted:
    """A YAML flow collection (a policy document, a trust policy) whose every string goes through :func:`q`."""
    return Quoted(_flow(value))


def _flow(value: Any) -> str:
    """The text of :func:`flow`, built as plain strings (one Quoted for the whole collection, not one per element:
    the same characters). A str, list or dict (by exact type: a subclass takes the general order) goes straight to
    its branch, as it would through the checks (a str is no dict, list, tuple, bool or int)."""
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if kind is list:
        return "[" + ", ".join([_flow(v) for v in value]) + "]"
    if kind is dict:
        return "{" + ", ".join([f"{q(str(k))}: {_flow(v)}" for k, v in value.items()]) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{q(str(k))}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join([_flow(v) for v in value]) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(num(value))
    return str(q(value))


_PADS = tuple(Quoted(" " * width) for width in range(41))


def pad(width: Any) -> Quoted:
    """``width`` spaces, for indentation inside macros (one shared, immutable Quoted per width)."""
    if isinstance(width, bool) or not isinstance(width, int) or not 0 <= width <= 40:
        raise TypeError(f"pad expects an indentation width 0-40, got {width!r}")
    return _PADS[width]


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: only quoted fragments, or macro output built from them, may be emitted.

    Autoescape is on, so macro output arrives as ``Markup``; plain strings (config values that skipped
    the filters) are refused.
    """
    if isinstance(value, Markup):
        return value
    raise UnquotedValueError(
        f"template emitted {value!r} without a quoting filter (use | q, | num or | json_q)"
    )
