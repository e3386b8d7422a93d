"""Render a product into its CloudFormation template, then parse the text back and check its structure.

The environment uses ``StrictUndefined`` (a missing variable is an error) and a ``finalize`` hook that
refuses any value not emitted through :mod:`mlprov.render.quoting`. The parsed template must hold
exactly the variant's resources (:mod:`mlprov.render.inventory`); anything else fails loudly.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from mlprov.config.model import Product
from mlprov.errors import MlprovError
from mlprov.render import context, fastparse, inventory
from mlprov.render.fastjinja import RenderEnvironment
from mlprov.render.quoting import finalize, flow, json_q, num, pad, q

TEMPLATE = "stack.yaml.j2"
ALLOWED_SECTIONS = {"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Resources", "Outputs"}


class RenderError(MlprovError):
    """The rendered text is not the template it must be: a bug in the templates, never the user's input."""


@cache
def environment() -> Environment:
    env = RenderEnvironment(  # Jinja's Environment, two steps faster with the same results (render.fastjinja)
        loader=PackageLoader("mlprov.render", "templates"),
        auto_reload=False,  # the templates are package data: no stat of each file at every get_template
        undefined=StrictUndefined,
        finalize=finalize,
        # Autoescape only marks macro output as Markup so `finalize` can tell it from raw values;
        # every value reaching the text is a Quoted (a Markup), so no HTML escaping ever applies.
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update({"q": q, "num": num, "json_q": json_q, "pad": pad, "flow": flow})
    return env


def render_text(product: Product) -> str:
    """The template text of a product (not yet checked). Blank lines left by Jinja blocks are dropped:
    every value is a one-line quoted scalar, so no blank line carries meaning."""
    return drop_blank_lines(environment().get_template(TEMPLATE).render(**context.build(product)))


# Characters other than " " and "\n" that str.strip() strips or str.splitlines() splits at, in ASCII.
_OTHER_SPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
_BLANK_RUN = re.compile(r"\n(?: *\n)+")


def drop_blank_lines(text: str) -> str:
    """The lines of ``text`` that are not blank, each ending in a newline:
    ``"\\n".join(line for line in text.splitlines() if line.strip()) + "\\n"``.

    When the text is ASCII without tabs, carriage returns and the other separators (the rendered text: every value
    is quoted in printable ASCII), ends in a newline and starts with a non-blank line, every blank line is spaces
    after a newline, ended by a newline, and collapsing each run of them into the newline before gives the same
    text in one regex pass; anything else takes the line-by-line form."""
    if (text.isascii() and text.endswith("\n") and text[: text.find("\n")].strip(" ")
            and not any(ch in text for ch in _OTHER_SPACE)):
        return _BLANK_RUN.sub("\n", text)
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> dict[str, Any]:
    """The rendered text as YAML reads it: the renderer's own subset directly (:mod:`mlprov.render.fastparse`, about
    twenty times faster than libyaml's loader on a committed template), anything else through PyYAML's safe loader."""
    try:
        return fastparse.parse(text)
    except fastparse.Unsupported:
        pass  # outside the subset: the general YAML pass below decides
    data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (libyaml's when available)
    if not isinstance(data, dict):
        raise RenderError("rendered template is not a mapping")
    return data


def parse_sequence(text: str) -> list[Any]:
    """A rendered block sequence (the boundary's statements, from the macros) as YAML reads it: the renderer's subset
    directly, under a one-key mapping, anything else through the safe loader (libyaml's when available)."""
    try:
        return list(fastparse.parse("Items:\n" + text)["Items"])
    except fastparse.Unsupported:
        pass  # outside the subset: the general YAML pass below decides
    data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    if not isinstance(data, list):
        raise RenderError("rendered statements are not a sequence")
    return data


def check_structure(product: Product, template: dict[str, Any]) -> None:
    """Refuse a template whose sections or resources differ from the variant's inventory."""
    extra = set(template) - ALLOWED_SECTIONS
    if extra:
        raise RenderError(f"rendered template has unexpected top-level sections: {sorted(extra)}")
    expected = {r.logical_id: r.type for r in inventory.resources(product.variant)}
    got = {k: v.get("Type") if isinstance(v, dict) else None for k, v in template.get("Resources", {}).items()}
    if got != expected:
        missing = sorted(set(expected) - set(got))
        unexpected = sorted(set(got) - set(expected))
        wrong = sorted(k for k in set(got) & set(expected) if got[k] != expected[k])
        raise RenderError(
            f"rendered template for {product.name} does not match its inventory: "
            f"missing {missing}, unexpected {unexpected}, wrong type {wrong}"
        )


def render(product: Product) -> tuple[str, dict[str, Any]]:
    """The checked template text and its parsed form."""
    text = render_text(product)
    try:
        template = parse(text)
    except yaml.YAMLError as exc:
        raise RenderError(f"rendered template for {product.name} is not valid YAML: {exc}") from exc
    check_structure(product, template)
    return text, template
