"""Parse back a rendered template without a general YAML pass, where its structure is the one the renderer emits.

The templates emit block mappings and sequences indented by spaces, keys that are plain words or double-quoted
strings, and values that are :func:`mlprov.render.quoting.q` strings (printable ASCII, escapes ``\\"``,
``\\\\`` and ``\\uXXXX`` only), whole numbers, ``true`` / ``false``, or one-line flow collections of those.
:func:`parse` reads exactly that subset line by line (json for the scalars) and raises :class:`Unsupported` on
anything else (a tab, an anchor, a tag, a block scalar, a plain string, a key YAML would read as a boolean or a
number, a duplicate key, ``\\U`` escapes...), so the caller falls back to PyYAML and the result is always what
PyYAML reads (tests/render/test_fastparse.py compares both on every product and on hostile input).

Speed (the parse-back was about as costly as the render): what a line means never depends on its neighbours, so each
distinct line text is classified once (indent, kind, key, value) and memoized, bounded; lines recur within a template
and across products (names differ, the structure and most values do not). A classification holds only immutable
scalars, or a flow collection as its checked JSON text that is decoded afresh at each use, so no parse shares a
mutable object with another. The blocks are then assembled in one pass with a stack instead of one recursive call
per block. This reads and refuses exactly what the recursive reader did: tests/render/fastparse_reference.py keeps
that reader, and the tests compare both on every committed template, the samples and generated texts.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from json.scanner import make_scanner
from typing import Any, cast

_PLAIN_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$:./-]*")
_PLAIN_KEY = re.compile(r"([A-Za-z_$][A-Za-z0-9_$:./-]*?):(?: (.*))?")
_QUOTED_KEY = re.compile(r'("(?:[^"\\]|\\.)*"):(?: (.*))?')
_INT = re.compile(r"0|-?[1-9][0-9]*")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)  # left to right, so an escaped backslash is one escape
_FLOW_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_$][A-Za-z0-9_$:./-]*)(?=:\s)|([\[\]{},:]))')
# plain words YAML 1.1 resolves to something other than a string
_SPECIAL = re.compile(r"(?i:y|n|yes|no|true|false|on|off|null|~)|[-+]?[0-9.].*|\.(?i:inf|nan)")
_DECODER = json.JSONDecoder()
# One JSON value at an index: json's own scanner, C when available (typeshed types its argument as a scanner).
_SCAN = make_scanner(cast(Any, _DECODER))
# A flow collection of quoted strings (escapes as q emits them) and punctuation only, spaces between tokens.
_JSON_FLOW = re.compile(r'(?: *(?:"(?:[^"\\]|\\["\\]|\\u(?![dD])[0-9a-fA-F]{4})*"|[\[\]{},:]))* *')


class Unsupported(ValueError):
    """The text leaves the subset this parser reads: parse it with PyYAML instead."""


def _string(token: str) -> str:
    if "\\" not in token and len(token) >= 2 and token[0] == token[-1] == '"' and '"' not in token[1:-1]:
        # No escape and one closing quote: the characters themselves (the text is printable ASCII, checked
        # once by _Lines), exactly what json decodes such a string to.
        return token[1:-1]
    for esc in _ESCAPE.finditer(token):
        code = esc.group(1)
        if code not in ("\\", '"') and not (code.startswith("u") and len(code) == 5 and code[1].lower() != "d"):
            raise Unsupported("escape outside the rendered subset")  # only \\ \" \uXXXX (no surrogates), as q emits
    try:
        value, end = _DECODER.raw_decode(token)
    except ValueError as exc:  # a raw control character, an unterminated string
        raise Unsupported("not one quoted string") from exc
    if end != len(token) or not isinstance(value, str):
        raise Unsupported("not one quoted string")
    return value


def _key(text: str) -> str:
    if _SPECIAL.fullmatch(text):
        raise Unsupported(f"key {text!r} is not a plain string in YAML")
    return text


@lru_cache(maxsize=1 << 12)
def _plain_key(text: str) -> str | None:
    """``text`` when it is a plain key YAML reads as that string, None when it is no plain key (keys recur: memoized,
    a refusal raising every time)."""
    return _key(text) if _PLAIN_WORD.fullmatch(text) else None


def _split_key(content: str) -> tuple[str, str] | None:
    """``(key, value)`` of a ``key: value`` line with a plain key, as ``_PLAIN_KEY`` reads it, or None (left to
    ``_PLAIN_KEY``). A plain key holds no space, so the key ``_PLAIN_KEY`` finds ends at the first ``": "`` when the
    text before it is a plain word, and there is no match otherwise."""
    key, sep, value = content.partition(": ")
    if sep and (plain := _plain_key(key)) is not None:
        return plain, value
    return None


def _flow_json(text: str) -> str:
    """A flow collection as JSON text (checked to decode): the caller decodes it afresh each time, as the result is
    mutable."""
    if _JSON_FLOW.fullmatch(text):
        # Only q() strings (the escapes \\ \" \uXXXX, no surrogates) and punctuation: already JSON. Decoding it
        # whole gives what decoding the re-encoded tokens below gives.
        return _checked_json(text)
    parts: list[str] = []
    pos = 0
    while pos < len(text):
        match = _FLOW_TOKEN.match(text, pos)
        if not match:
            raise Unsupported("flow collection outside the rendered subset")
        quoted, word, punct = match.groups()
        if quoted is not None:
            parts.append(json.dumps(_string(quoted)))
        elif word is not None:
            parts.append(json.dumps(_key(word)))
        else:
            parts.append(punct)
        pos = match.end()
    return _checked_json("".join(parts))


def _checked_json(text: str) -> str:
    try:
        json.loads(text)
    except ValueError as exc:
        raise Unsupported("flow collection outside the rendered subset") from exc
    return text


def _scalar(text: str) -> Any:
    if text.startswith('"'):
        return _string(text)
    if _INT.fullmatch(text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    raise Unsupported(f"plain scalar {text[:20]!r}")


# What a rendered line is: a ``key: ...`` line, a ``- scalar`` item, or a ``- key: ...`` item (which opens a mapping
# at the dash's indent + 2), and what its value is: none (a block follows), a scalar, or a flow collection.
_MAP, _ITEM, _ITEM_MAP = 0, 1, 2
_OPEN, _SCALAR, _FLOW = 0, 1, 2
_Line = tuple[int, int, str, int, Any]  # (indent, kind, key, value kind, scalar or flow JSON text)
_SKIP: _Line = (-1, -1, "", -1, None)  # a blank or comment line
_MEMO_LIMIT = 1 << 16
_memo: dict[str, _Line] = {}


def _value(text: str | None) -> tuple[int, Any]:
    if text is None:
        return _OPEN, None
    if text.startswith(("[", "{")):
        return _FLOW, _flow_json(text)
    return _SCALAR, _scalar(text)


def _classify(raw: str) -> _Line:
    """One line on its own (what a line means never depends on its neighbours), refusing what leaves the subset."""
    if not raw.isascii() or not raw.isprintable():  # a tab, a carriage return, any control or non-ASCII character
        raise Unsupported("non-ASCII or control characters (YAML folds some as line breaks)")
    content = raw.lstrip(" ")
    if not content or content.startswith("#"):
        return _SKIP
    if content.startswith(("---", "...", "%", "&", "*", "!", "?", "|", ">", "@", "`", "'")):
        raise Unsupported("YAML feature outside the rendered subset")
    indent = len(raw) - len(content)
    content = content.rstrip(" ")
    if content.startswith("- "):
        rest = content[2:]
        if rest.startswith(('"', "[", "{")) or _INT.fullmatch(rest) or rest in ("true", "false"):
            if _QUOTED_KEY.fullmatch(rest):
                raise Unsupported("a quoted key in a sequence item")
            return (indent, _ITEM, "", *_value(rest))
        if split := _split_key(rest):
            return (indent, _ITEM_MAP, split[0], *_value(split[1]))
        item = _PLAIN_KEY.fullmatch(rest)
        if not item:
            raise Unsupported("sequence item outside the rendered subset")
        return (indent, _ITEM_MAP, _key(item.group(1)), *_value(item.group(2)))
    if not content.startswith('"') and (split := _split_key(content)):
        return (indent, _MAP, split[0], *_value(split[1]))
    quoted = _QUOTED_KEY.fullmatch(content) if content.startswith('"') else None
    match = quoted or _PLAIN_KEY.fullmatch(content)
    if not match:
        raise Unsupported("not a key: value line")
    key = _string(match.group(1)) if quoted else _key(match.group(1))
    return (indent, _MAP, key, *_value(match.group(2)))


def _line(raw: str) -> _Line:
    """The classification of a line, memoized per distinct line text (lines recur within a template and across
    products; a classification holds only immutable values and flow JSON text, so sharing one leaks no state)."""
    line = _classify(raw)
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[raw] = line
    return line


def parse(text: str) -> dict[str, Any]:
    """The template as PyYAML would read it; raises :class:`Unsupported` when the text leaves the subset.

    One pass over the lines with a stack of the open blocks (innermost last): a line continues the innermost block
    when it is of that block's kind (a ``- `` item or a ``key:`` line) at its indent; otherwise that block is closed
    (a mapping refusing a deeper line) and the next one out decides. A ``key:`` without a value opens a block on the
    next line, deeper or a sequence at the key's own indent; ``- key: ...`` opens a mapping at the dash's indent + 2.
    Every line must be read within the top-level mapping, which starts at indent 0 (a first line elsewhere is
    refused by these rules: deeper than the open mapping, or an item closing it).
    """
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any, bool]] = [(0, root, True)]  # (indent, container, is a mapping)
    at, is_map = 0, True
    block: Any = root  # the innermost open block, a dict or a list
    pending: str | None = None  # a key of `block` whose value is the block the next line opens
    memo, scan = _memo, _SCAN  # flow texts are checked JSON without surrounding space: one scan reads one whole
    for raw in text.split("\n"):
        line = memo.get(raw) or _line(raw)
        if line is _SKIP:
            continue
        indent, kind, key, vkind, value = line
        if pending is not None:
            if not (indent > at or (indent == at and kind != _MAP)):
                raise Unsupported("a key without a value")
            at, is_map = indent, kind == _MAP
            child: Any = {} if is_map else []
            block[pending] = child
            block, pending = child, None
            stack.append((at, block, is_map))
        else:
            while not (indent == at and (kind == _MAP) == is_map):
                if is_map and indent > at:
                    raise Unsupported("unexpected indentation")
                stack.pop()
                if not stack:
                    raise Unsupported("text after the top-level mapping")
                at, block, is_map = stack[-1]
        if kind == _ITEM:
            block.append(scan(value, 0)[0] if vkind == _FLOW else value)
            continue
        if kind == _ITEM_MAP:
            item: dict[str, Any] = {}
            block.append(item)
            at, block, is_map = indent + 2, item, True
            stack.append((at, block, True))
        elif key in block:
            raise Unsupported(f"duplicate key {key!r}")
        if vkind == _OPEN:
            pending = key
        else:
            block[key] = scan(value, 0)[0] if vkind == _FLOW else value
    if pending is not None:
        raise Unsupported("a key without a value")
    if not root:
        raise Unsupported("no top-level mapping")
    return root
