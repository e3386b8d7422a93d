"""The committed files of one product (template and deployer policy) and the staleness check.

``expected(product)`` is the single definition of what ``mlprov render`` writes and what
``mlprov render --check`` compares against the working tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config.model import Product
from generator.paths import template_path
from generator.render.engine import render


@dataclass(frozen=True)
class Rendering:
    path: Path
    content: str


def expected(product: Product) -> list[Rendering]:
    """The files a product's config renders to, with their exact content."""
    text, _template = render(product)
    return [Rendering(template_path(product.path), text)]


def stale(renderings: list[Rendering]) -> list[tuple[Path, str]]:
    """(path, reason) for each rendering whose committed file is missing or differs."""
    out: list[tuple[Path, str]] = []
    for r in renderings:
        if not r.path.is_file():
            out.append((r.path, "missing"))
        elif r.path.read_text(encoding="utf-8") != r.content:
            out.append((r.path, "out of date"))
    return out


def write(renderings: list[Rendering]) -> list[Path]:
    """Write the files that differ; return the paths written."""
    written: list[Path] = []
    for r in renderings:
        if r.path.is_file() and r.path.read_text(encoding="utf-8") == r.content:
            continue
        r.path.parent.mkdir(parents=True, exist_ok=True)
        r.path.write_text(r.content, encoding="utf-8")
        written.append(r.path)
    return written
