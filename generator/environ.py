"""Environment variables changed for the length of a block, then restored exactly (set, changed or absent)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator


@contextlib.contextmanager
def scoped_environ(updates: dict[str, str], remove: Iterable[str] = ()) -> Iterator[None]:
    """Set ``updates`` and unset ``remove`` in ``os.environ`` while the block runs."""
    removed = list(remove)
    saved = {k: os.environ.get(k) for k in [*updates, *removed]}
    for key in removed:
        os.environ.pop(key, None)
    os.environ.update(updates)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
