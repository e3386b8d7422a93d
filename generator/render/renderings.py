"""The committed files of one product (template and access files) and the staleness check.

``expected(product)`` is the single definition of what ``mlprov render`` writes and what
``mlprov render --check`` compares against the working tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlprov.atomic import write_text
from mlprov.config.model import Product
from mlprov.paths import product_dir, template_path
from mlprov.render.engine import render


@dataclass(frozen=True)
class Rendering:
    path: Path
    content: str


def expected(product: Product) -> list[Rendering]:
    """The files a product's config renders to, with their exact content."""
    from mlprov.access.files import access_files  # noqa: PLC0415

    text, template = render(product)
    folder = product_dir(product.path)
    return [
        Rendering(template_path(product.path), text),
        *(Rendering(path, content) for path, content in access_files(product, template, folder)),
    ]


def leftovers(renderings: list[Rendering]) -> list[Path]:
    """Access files (and legacy deployer-policy files) that the current rendering no longer produces."""
    from mlprov.access.files import leftovers as found  # noqa: PLC0415

    if not renderings:
        return []
    return found(renderings[0].path.parent, {r.path for r in renderings})


def stale(renderings: list[Rendering]) -> list[tuple[Path, str]]:
    """(path, reason) for each rendering whose committed file is missing or differs."""
    out: list[tuple[Path, str]] = []
    for r in renderings:
        if not r.path.is_file():
            out.append((r.path, "missing"))
        elif r.path.read_text(encoding="utf-8") != r.content:
            out.append((r.path, "out of date"))
    out += [(p, "no longer rendered (delete it)") for p in leftovers(renderings)]
    return out


def changed(renderings: list[Rendering]) -> list[Rendering]:
    """The renderings whose committed file is missing or differs (compared as text, universal newlines)."""
    return [r for r in renderings if not (r.path.is_file() and r.path.read_text(encoding="utf-8") == r.content)]


def write(renderings: list[Rendering]) -> list[Path]:
    """Write the files that differ and delete the leftovers, in this process; return the paths written."""
    written = [write_text(r.path, r.content) for r in changed(renderings)]
    for p in leftovers(renderings):
        p.unlink()
        written.append(p)
    return written
