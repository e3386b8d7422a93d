"""The Jinja environment of the HTML reports: autoescape always on, StrictUndefined, templates in this package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
           "#ff7f0e", "#393b79", "#637939", "#7b4173", "#3182bd", "#6b6ecf")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # every template is HTML or SVG: escape in all of them, whatever the file name says
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "svg"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["palette"] = PALETTE
    return env


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
