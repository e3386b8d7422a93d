"""The fast path of :func:`mlprov.config.yamlload.load`: libyaml (``yaml.CSafeLoader``) composes the node graph
instead of PyYAML's pure-Python reader, scanner, parser and composer (~10x less CPU for a config), for the documents
where it gives what the pure-Python loader gives; for every other document, and on any error, the caller runs the
pure-Python loader, which accepts, refuses and words its errors (line and column) exactly as before.

Why the result is the same for a document this path accepts:

- Only the node graph comes from C. Tag resolution (``Resolver.resolve``, called by the C composer), the bounds
  (:func:`mlprov.config.yamlload.bounded`: aliases, self-reference, expanded size) and the construction of the
  Python values (``SafeConstructor`` with the same duplicate-key and impossible-date constructors) are the same
  Python code run on the graph. The C composer shares an aliased node as the Python one does (an anchor maps to one
  node object, registered before its children), so alias counts and self-references are found alike.
- The graph: PyYAML's pure-Python scanner and parser are a port of libyaml's (same author, same state machines, the
  same YAML 1.1 grammar); PyYAML's own test suite (``test_yaml_ext``) compares their tokens and events on its corpus.
  The known divergences are in what a document may contain, and are excluded before C sees it (:func:`eligible`):
  tabs (libyaml accepts a trailing tab the Python scanner refuses), CR line breaks, control characters, a BOM and
  non-ASCII text (decoding and the printable-character check). An eligible text is printable ASCII and newlines.
- Depth: the Python loader recurses (~3 frames per level) and fails past ~250 levels (a RecursionError, as before);
  the C composer recurses on the C stack (a segfault past ~10^4 levels). :func:`eligible` bounds the depth the text
  can reach (flow brackets and line length: a block level needs a deeper column) far below the C limit, and a graph
  deeper than :data:`MAX_DEPTH` goes to the Python loader, which then behaves as it always did.

tests/config/test_yamlfast.py runs both loaders on every shipped YAML file and on hostile and edge-case inputs and
asserts the same value (and types) or a refusal by both.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

FAST: type[Any] | None = getattr(yaml, "CSafeLoader", None)  # None: PyYAML built without libyaml
_ELIGIBLE = re.compile(r"[\n\x20-\x7e]*")
MAX_BRACKETS = 256  # '[' and '{' in the text (flow collections)
MAX_LINE = 512  # characters in a line: the deepest column a block collection can start at
MAX_DEPTH = 64  # levels of the node graph (a config has ~5); the Python loader is safe far past it


def eligible(text: str) -> bool:
    """Printable ASCII and newlines only, with a bounded possible nesting depth."""
    return (FAST is not None and _ELIGIBLE.fullmatch(text) is not None
            and text.count("[") + text.count("{") <= MAX_BRACKETS
            and max(map(len, text.split("\n"))) <= MAX_LINE)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def depth(root: yaml.Node) -> int | None:
    """The longest path from the root, in nodes (an upper bound of the nesting any loader recurses through, aliases
    expanded); None when the graph has a cycle (a self-referencing alias). Iterative, each node once."""
    height: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            height[key] = 1 + max((height[id(c)] for c in _children(node)), default=0)
            continue
        if key in height:
            continue
        if key in active:
            return None
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in height)
    return height[id(root)]
