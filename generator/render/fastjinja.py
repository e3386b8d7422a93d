"""The renderer's Jinja environment class: Jinja's attribute lookup done in fewer operations, with the same results.

Only public API is overridden: ``Environment.getattr``, which Jinja documents for subclasses (its sandbox). Dropping
the ``escape()`` copy Jinja wraps around ``finalize`` would save ~0.3 ms more per product, but only through private
methods of Jinja's code generator, which this project does not rely on.

**Attribute lookup on plain dicts.** ``{{ p.enterprise }}`` compiles to ``environment.getattr(p, "enterprise")``,
which tries ``getattr`` first and, on ``AttributeError``, the item. For an object of type exactly ``dict``,
``getattr`` succeeds only for the names the dict type and ``object`` define (``dir(dict)``: a dict instance has no
``__dict__`` and its type is fixed), so for any other name that is a key the original returns ``obj[name]`` after a
raised and caught ``AttributeError``; :meth:`RenderEnvironment.getattr` returns it directly. Every other case (a
dict method's name, a missing key, any other type) goes to Jinja's own method.

tests/render/test_fastjinja.py renders every shipped product with Jinja's own Environment and with this one and
compares, and checks the refusals (an unquoted value, an undefined name, a dict method's name).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

_DICT_ATTRIBUTES = frozenset(dir(dict))


class RenderEnvironment(Environment):
    """An environment reading a plain dict's keys directly."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # Jinja's method decides (the undefined value)
        return super().getattr(obj, attribute)
