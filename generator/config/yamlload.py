"""Strict YAML loading for configs and waivers.yaml: duplicate keys are refused, errors carry line and column, and
the document is bounded before it is built: its size, its aliases and the size it would have with every alias
expanded (a "billion laughs" alias bomb is a few hundred bytes that expand to 10^9 nodes; PyYAML shares aliased
nodes, but whatever walks the result, JSON Schema validation, rendering, JSON dumps, expands it).

An eligible document is composed by libyaml first (:mod:`mlprov.config.yamlfast`: the same values); any other, or
any error there, goes through the pure-Python loader, whose acceptance and messages are the reference."""

from __future__ import annotations

from typing import Any

import yaml
from mlprov.config import yamlfast


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""


_Loaders: list[type[Any]] = [_StrictLoader]
if yamlfast.FAST is not None:
    class _FastStrictLoader(yamlfast.FAST):  # type: ignore[misc,valid-type]
        """CSafeLoader with the same constructors (the same SafeConstructor code with the same two overrides)."""

    _Loaders.append(_FastStrictLoader)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}: give each field once", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


for _loader in _Loaders:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date that matches YAML's timestamp pattern but does not exist (2026-02-30) is a syntax error at its line,
    not a ValueError from deep inside PyYAML (which would be reported as a bug)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible date {node.value!r} ({exc}); give a real date YYYY-MM-DD", node.start_mark) from None


for _loader in _Loaders:
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlSyntaxError(ValueError):
    """The text is not valid YAML (the message names line and column), or too big to be a config."""


MAX_CHARS = 1_000_000  # a config or waivers.yaml is a few KiB
MAX_ALIASES = 100
MAX_NODES = 100_000  # nodes after expanding every alias


def bounded(root: yaml.Node | None) -> None:
    """Raise YamlSyntaxError when the node graph has too many aliases, a recursive one, or expands too far."""
    expanded: dict[int, int] = {}
    aliases = 0
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        nonlocal aliases
        key = id(node)
        if key in expanded:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlSyntaxError(f"YAML uses more than {MAX_ALIASES} aliases (the last one of the anchor at line "
                                      f"{node.start_mark.line + 1}): write the values out")
            return expanded[key]
        if key in active:
            raise YamlSyntaxError(f"YAML alias refers to itself (line {node.start_mark.line + 1})")
        active.add(key)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        total = 1 + sum(size(c) for c in children)
        active.discard(key)
        if total > MAX_NODES:
            raise YamlSyntaxError(f"YAML expands to more than {MAX_NODES} nodes (line {node.start_mark.line + 1}): "
                                  "an alias bomb or a document far too large for a config")
        expanded[key] = total
        return total

    if root is not None:
        size(root)


class _Unsuitable(Exception):
    """The fast path declines a document (the pure-Python loader decides)."""


def _fast(text: str) -> Any:
    loader = _Loaders[1](text)
    try:
        node = loader.get_single_node()
        if node is not None and (yamlfast.depth(node) or yamlfast.MAX_DEPTH + 1) > yamlfast.MAX_DEPTH:
            raise _Unsuitable  # deep or self-referencing: the reference loader decides
        bounded(node)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def _pure(text: str) -> Any:
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        bounded(node)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def load(text: str, *, fast: bool = True) -> Any:
    """The document's value; YamlSyntaxError naming line and column. ``fast=False``: the pure-Python loader only."""
    if len(text) > MAX_CHARS:
        raise YamlSyntaxError(f"YAML document too large: {len(text)} characters (limit {MAX_CHARS})")
    if fast and yamlfast.eligible(text):
        try:
            return _fast(text)
        except Exception:  # noqa: BLE001, S110 - any refusal or doubt: the reference loader below decides and words it
            pass
    try:
        return _pure(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(f"YAML syntax error at {where}: {problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML syntax error: {exc}") from exc
