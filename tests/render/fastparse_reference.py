"""The recursive parse-back (mlprov.render.fastparse before the one-pass rewrite), kept as the specification the
one-pass parser is compared with: the same value (and key order) where it reads a text, Unsupported where it does
not. Kept verbatim (its scalar readers too), with the module's Unsupported."""

from __future__ import annotations

import json
import re
from typing import Any

from mlprov.render.fastparse import Unsupported  # the same exception type, so callers catch one

_PLAIN_KEY = re.compile(r"([A-Za-z_$][A-Za-z0-9_$:./-]*?):(?: (.*))?")
_QUOTED_KEY = re.compile(r'("(?:[^"\\]|\\.)*"):(?: (.*))?')
_INT = re.compile(r"0|-?[1-9][0-9]*")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)  # left to right, so an escaped backslash is one escape
_FLOW_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_$][A-Za-z0-9_$:./-]*)(?=:\s)|([\[\]{},:]))')
# plain words YAML 1.1 resolves to something other than a string
_SPECIAL = re.compile(r"(?i:y|n|yes|no|true|false|on|off|null|~)|[-+]?[0-9.].*|\.(?i:inf|nan)")
_DECODER = json.JSONDecoder()
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
# A flow collection of quoted strings (escapes as q emits them) and punctuation only, spaces between tokens.
_JSON_FLOW = re.compile(r'(?: *(?:"(?:[^"\\]|\\["\\]|\\u(?![dD])[0-9a-fA-F]{4})*"|[\[\]{},:]))* *')


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


def _flow(text: str) -> Any:
    if _JSON_FLOW.fullmatch(text):
        # Only q() strings (the escapes \\ \" \uXXXX, no surrogates) and punctuation: already JSON. Decoding it
        # whole gives what decoding the re-encoded tokens below gives.
        try:
            return json.loads(text)
        except ValueError as exc:
            raise Unsupported("flow collection outside the rendered subset") from exc
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
    try:
        return json.loads("".join(parts))
    except ValueError as exc:
        raise Unsupported("flow collection outside the rendered subset") from exc


def _scalar(text: str) -> Any:
    if text.startswith('"'):
        return _string(text)
    if text.startswith(("[", "{")):
        return _flow(text)
    if _INT.fullmatch(text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    raise Unsupported(f"plain scalar {text[:20]!r}")


class _Lines:
    def __init__(self, text: str) -> None:
        if not text.isascii() or _CONTROL.search(text):
            raise Unsupported("non-ASCII or control characters (YAML folds some as line breaks)")
        self.items: list[tuple[int, str]] = []
        for raw in text.split("\n"):
            if "\t" in raw or "\r" in raw:
                raise Unsupported("tab or carriage return")
            content = raw.lstrip(" ")
            if not content or content.startswith("#"):
                continue
            if content.startswith(("---", "...", "%", "&", "*", "!", "?", "|", ">", "@", "`", "'")):
                raise Unsupported("YAML feature outside the rendered subset")
            self.items.append((len(raw) - len(content), content.rstrip(" ")))

    def block(self, i: int, indent: int) -> tuple[Any, int]:
        content = self.items[i][1]
        return self.sequence(i, indent) if content.startswith("- ") else self.mapping(i, indent)

    def _child(self, i: int, indent: int) -> tuple[Any, int]:
        """The block under a ``key:`` line (at a deeper indent, or a sequence at the key's own)."""
        if i < len(self.items):
            nxt, content = self.items[i]
            if nxt > indent or (nxt == indent and content.startswith("- ")):
                return self.block(i, nxt)
        raise Unsupported("a key without a value")

    def mapping(self, i: int, indent: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        while i < len(self.items) and self.items[i][0] == indent and not self.items[i][1].startswith("- "):
            content = self.items[i][1]
            quoted = _QUOTED_KEY.fullmatch(content) if content.startswith('"') else None
            match = quoted or _PLAIN_KEY.fullmatch(content)
            if not match:
                raise Unsupported("not a key: value line")
            key = _string(match.group(1)) if quoted else _key(match.group(1))
            if key in out:
                raise Unsupported(f"duplicate key {key!r}")
            if match.group(2) is None:
                out[key], i = self._child(i + 1, indent)
            else:
                out[key] = _scalar(match.group(2))
                i += 1
        if i < len(self.items) and self.items[i][0] > indent:
            raise Unsupported("unexpected indentation")
        return out, i

    def sequence(self, i: int, indent: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        while i < len(self.items) and self.items[i][0] == indent and self.items[i][1].startswith("- "):
            rest = self.items[i][1][2:]
            if rest.startswith(('"', "[", "{")) or _INT.fullmatch(rest) or rest in ("true", "false"):
                if _QUOTED_KEY.fullmatch(rest):
                    raise Unsupported("a quoted key in a sequence item")
                out.append(_scalar(rest))
                i += 1
            elif _PLAIN_KEY.fullmatch(rest):
                self.items[i] = (indent + 2, rest)  # "- key: ..." opens a mapping at indent + 2
                item, i = self.mapping(i, indent + 2)
                out.append(item)
            else:
                raise Unsupported("sequence item outside the rendered subset")
        return out, i


def parse(text: str) -> dict[str, Any]:
    """The template as PyYAML would read it; raises :class:`Unsupported` when the text leaves the subset."""
    lines = _Lines(text)
    if not lines.items or lines.items[0][0] != 0:
        raise Unsupported("no top-level mapping")
    data, end = lines.mapping(0, 0)
    if end != len(lines.items):
        raise Unsupported("text after the top-level mapping")
    return data
