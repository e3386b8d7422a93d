"""Copies of a parsed config with one field changed or removed, by its path of keys and indexes (mutation tests)."""

from __future__ import annotations

import copy
from typing import Any


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A deep copy of ``data`` with the field at ``path`` set to ``value`` (the empty path: ``value`` itself)."""
    if not path:
        return value
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def drop_at(data: Any, path: tuple[Any, ...]) -> Any:
    """A deep copy of ``data`` without the field at ``path`` (a key removed, or an item)."""
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return out
