"""Whether ``needle in str(tree)`` for a parsed template, without building ``str(tree)`` (~54 KB per product).

The service role lists exports when ``"Fn::ImportValue" in str(template["Resources"])`` (:mod:`servicerole`);
:func:`in_repr` answers the same for every tree, walking it instead of writing it:

- a tree of exact ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None`` (every parsed rendering):
  ``str`` writes it as the ``repr`` of each str (keys and values) and number and of True/False/None, between
  brackets, braces, ``,``, ``:`` and spaces. For a :func:`plain` needle (ASCII letters, digits and ``:``, not ending
  in ``:``, its first character not a lowercase hex digit nor one of ``ntrxuU``) an occurrence in that text lies
  within one str's repr: it holds no space, quote, bracket or comma, and a ``:`` of the ``": "`` separator is
  followed by a space. ``repr`` writes each character of the str as itself or as an escape ``\\`` +
  [ntr\\\\'"xuU0-9a-f]...; the needle holds no ``\\`` and cannot start inside an escape (its first character is none
  of those), so an occurrence is a run of characters written as themselves: the needle is in the str itself.
  Conversely the needle's characters are printable ASCII, never quotes or ``\\``, so a str holding it has it in its
  repr. A number's repr (``-``, digits, ``.``, ``e``, ``+``, ``inf``, ``nan``) holds it only if it has no letter but
  ``e`` or lies within ``inf`` / ``nan``, and True/False/None only if it lies within the word: :func:`plain` refuses
  such needles.
- anything else (a subclass, a date, an object with its own repr, a tree deeper than :data:`MAX_DEPTH`, such as
  a cycle of YAML aliases): ``str(tree)`` itself.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 64
_SCALARS = (int, float, bool, type(None))
_WORDS = ("True", "False", "None", "inf", "nan")


class _Other(Exception):
    """A node outside the plain types (or too deep): the caller writes ``str(tree)``."""


def plain(needle: str) -> bool:
    """Whether :func:`in_repr` may walk for ``needle`` (the module docstring's conditions)."""
    if not needle or not all(c.isascii() and (c.isalnum() or c == ":") for c in needle):
        return False
    if needle.endswith(":") or needle[0] in "0123456789abcdefntrxuU":
        return False
    if any(needle in w for w in _WORDS):
        return False
    # not a number's text: it holds a letter other than e (inf/nan are words above)
    return any(c.isalpha() and c != "e" for c in needle)


def in_repr(needle: str, tree: Any) -> bool:
    """``needle in str(tree)``."""
    if not plain(needle):
        return needle in str(tree)
    try:
        return _walk(needle, tree)
    except _Other:
        return needle in str(tree)


def _walk(needle: str, root: Any) -> bool:
    stack = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > MAX_DEPTH:
            raise _Other
        kind = type(node)
        if kind is dict:
            for k in node:
                kk = type(k)
                if kk is str:
                    if needle in k:
                        return True
                elif kk not in _SCALARS:
                    raise _Other
            values: Any = node.values()
        elif kind is list:
            values = node
        elif kind is str:
            return needle in node
        elif kind in _SCALARS:
            continue
        else:
            raise _Other
        for v in values:  # a dict's values and a list's items alike
            vk = type(v)
            if vk is str:
                if needle in v:
                    return True
            elif vk is dict or vk is list:
                push((v, depth + 1))
            elif vk not in _SCALARS:
                raise _Other
    return False
