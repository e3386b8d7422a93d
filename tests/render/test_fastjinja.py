"""The renderer's environment class writes what Jinja's own classes write, and refuses what they refuse."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, PackageLoader, StrictUndefined, UndefinedError
from mlprov.config.loader import load_product
from mlprov.render import context
from mlprov.render.engine import TEMPLATE, environment, render_text
from mlprov.render.fastjinja import _DICT_ATTRIBUTES, RenderEnvironment
from mlprov.render.quoting import UnquotedValueError, finalize, flow, json_q, num, pad, q

from tests.conftest import PRODUCTS


def _jinja_environment() -> Environment:
    """engine.environment() built on Jinja's own Environment (its getattr)."""
    env = Environment(loader=PackageLoader("mlprov.render", "templates"), undefined=StrictUndefined, finalize=finalize,
                      autoescape=True, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update({"q": q, "num": num, "json_q": json_q, "pad": pad, "flow": flow})
    return env


def test_the_engine_uses_the_render_environment() -> None:
    env = environment()
    assert type(env) is RenderEnvironment and env.code_generator_class is Environment.code_generator_class
    assert env.finalize is finalize and env.undefined is StrictUndefined and env.autoescape is True


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_shipped_product_renders_the_same_as_with_jinjas_classes(path: Path) -> None:
    product = load_product(path)
    jinja_text = _jinja_environment().get_template(TEMPLATE).render(**context.build(product))
    assert environment().get_template(TEMPLATE).render(**context.build(product)) == jinja_text
    assert render_text(product) == "\n".join(line for line in jinja_text.splitlines() if line.strip()) + "\n"


def _both(source: str, **values: Any) -> tuple[object, object]:
    outcomes: list[object] = []
    for env in (_jinja_environment(), environment()):
        try:
            outcomes.append(env.from_string(source).render(**values))
        except (UnquotedValueError, UndefinedError, TypeError) as exc:
            outcomes.append((type(exc), str(exc)))
    return outcomes[0], outcomes[1]


CASES: list[tuple[str, dict[str, Any]]] = [
    ("{{ d.k | q }}", {"d": {"k": "v"}}),
    ("{{ d.k }}", {"d": {"k": "v\nEvil: 1"}}),  # unquoted: refused
    ("{{ d.missing | q }}", {"d": {"k": "v"}}),  # undefined: refused
    ("{{ d.items }}", {"d": {"items": "shadowed"}}),  # a dict method's name is the method, refused as unquoted
    ("{{ d.items | q }}", {"d": {"items": "shadowed"}}),
    ("{{ d.get | q }}", {"d": {}}),
    ("{{ d.__class__ | q }}", {"d": {"__class__": "x"}}),
    ("{{ d.k | q }}", {"d": OrderedDict(k="ordered")}),
    ("{{ d.k | q }}", {"d": defaultdict(lambda: "made", {})}),
    ("{{ d.k.j | q }}", {"d": {"k": {"j": "nested"}}}),
    ("{{ d['k'] | num }}{{ d.k | num }}", {"d": {"k": 3}}),
    ("{{ o.real | num }}", {"o": 7}),
    ("{{ 'literal' }}", {}),  # a constant of the template itself, folded at compile time (by Jinja, both ways)
    ("{{ v | pad }}x{{ v | num }}", {"v": 2}),
    ("{% autoescape false %}{{ v | q }}{% endautoescape %}", {"v": "a<b"}),
    ("{% autoescape false %}{{ v }}{% endautoescape %}", {"v": "a<b"}),
    ("{% macro m(x) %}- {{ x | q }}{% endmacro %}{{ m(v) }}|{{ m(v) | q }}", {"v": '<&"'}),
    ("{% set s = v | q %}{{ s }}{{ s ~ 'x' }}", {"v": "y"}),
]


@pytest.mark.parametrize(("source", "values"), CASES)
def test_jinjas_classes_and_the_render_environment_agree(source: str, values: dict[str, Any]) -> None:
    jinja, ours = _both(source, **values)
    assert ours == jinja


def test_unquoted_values_are_still_refused_with_the_message() -> None:
    with pytest.raises(UnquotedValueError, match=r"template emitted 'x\\nEvil: 1' without a quoting filter"):
        environment().from_string("{{ d.k }}").render(d={"k": "x\nEvil: 1"})
    with pytest.raises(UndefinedError, match="has no attribute 'missing'"):
        environment().from_string("{{ d.missing | q }}").render(d={})


@pytest.mark.parametrize("name", ["items", "keys", "get", "pop", "copy", "__class__", "__doc__", "__len__", "enterprise",
                                  "k", "fromkeys", "__dict__", "__name__", "mro"])
def test_the_dict_attribute_names_are_exactly_what_getattr_finds_on_a_dict(name: str) -> None:
    assert (name in _DICT_ATTRIBUTES) == hasattr({}, name)
