"""The committed files of one product (template and deployer policy) and the staleness check.

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
    from mlprov.policy.documents import deployer_documents, file_names, render_json  # noqa: PLC0415

    text, template = render(product)
    docs = deployer_documents(template)
    folder = product_dir(product.path)
    return [
        Rendering(template_path(product.path), text),
        *(Rendering(folder / name, render_json(doc)) for name, doc in zip(file_names(len(docs)), docs, strict=True)),
    ]


def _leftovers(renderings: list[Rendering]) -> list[Path]:
    """Policy parts from an earlier rendering that the current one no longer produces."""
    if not renderings:
        return []
    folder = renderings[0].path.parent
    wanted = {r.path for r in renderings}
    return sorted(p for p in folder.glob("deployer-policy*.json") if p not in wanted)


def stale(renderings: list[Rendering]) -> list[tuple[Path, str]]:
    """(path, reason) for each rendering whose committed file is missing or differs."""
    out: list[tuple[Path, str]] = []
    for r in renderings:
        if not r.path.is_file():
            out.append((r.path, "missing"))
        elif r.path.read_text(encoding="utf-8") != r.content:
            out.append((r.path, "out of date"))
    out += [(p, "no longer rendered (delete it)") for p in _leftovers(renderings)]
    return out


def write(renderings: list[Rendering]) -> list[Path]:
    """Write the files that differ; return the paths written."""
    written: list[Path] = []
    for r in renderings:
        if r.path.is_file() and r.path.read_text(encoding="utf-8") == r.content:
            continue
        write_text(r.path, r.content)
        written.append(r.path)
    for p in _leftovers(renderings):
        p.unlink()
        written.append(p)
    return written
