"""The renderer's Jinja environment class: two of Jinja's steps done in fewer operations, with the same results.

**Output without the escape call.** With autoescape on, Jinja compiles each expression output (outside a volatile
eval context) to ``escape(environment.finalize(value))``. Our ``finalize`` (:func:`mlprov.render.quoting.finalize`)
returns ``value`` unchanged when it is a ``Markup`` and raises otherwise; ``markupsafe.escape`` of a ``Markup`` is
``Markup(value.__html__())``, and ``Markup.__html__`` returns the value itself (neither
:class:`~mlprov.render.quoting.Quoted` nor the ``Markup`` Jinja's macros return overrides it): the same characters,
never escaped. So on every value ``finalize`` lets through, the escape call is the identity on the text, and
compiling the output to ``(environment.finalize(value))`` writes exactly the same bytes while every value still goes
through ``finalize`` and its refusal (the security property: no value reaches the YAML without a quoting filter).
Only the two ``Markup`` copies per value go. Anything else is left to Jinja: a volatile eval context keeps its
runtime choice, autoescape off keeps ``str(...)``, and an environment without ``finalize`` keeps the escape call.

**Attribute lookup on plain dicts.** ``{{ p.enterprise }}`` compiles to ``environment.getattr(p, "enterprise")``,
which tries ``getattr`` first and, on ``AttributeError``, the item. For an object of type exactly ``dict``,
``getattr`` succeeds only for the names the dict type and ``object`` define (``dir(dict)``: a dict instance has no
``__dict__`` and its type is fixed), so for any other name that is a key the original returns ``obj[name]`` after a
raised and caught ``AttributeError``; :meth:`RenderEnvironment.getattr` returns it directly. Every other case (a
dict method's name, a missing key, any other type) goes to Jinja's own method.

Jinja is pinned (``Jinja2==3.1.6`` in pyproject.toml) since the code generator's two output hooks are its internals;
tests/render/test_fastjinja.py renders every shipped product with Jinja's own classes and with these and compares,
and checks the refusals (an unquoted value, an undefined name, a dict method's name).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator, Frame

_DICT_ATTRIBUTES = frozenset(dir(dict))


class FinalizeOnlyCodeGenerator(CodeGenerator):
    """Jinja's code generator, emitting ``(environment.finalize(value))`` where it would emit
    ``escape(environment.finalize(value))``."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        eval_ctx = frame.eval_ctx
        if eval_ctx.autoescape and not eval_ctx.volatile and finalize.src is not None:
            self.write("(" + finalize.src)  # _output_child_post closes both parentheses
            return
        super()._output_child_pre(node, frame, finalize)


class RenderEnvironment(Environment):
    """An environment compiling with :class:`FinalizeOnlyCodeGenerator` and reading a plain dict's keys directly."""

    code_generator_class = FinalizeOnlyCodeGenerator

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # Jinja's method decides (the undefined value)
        return super().getattr(obj, attribute)
