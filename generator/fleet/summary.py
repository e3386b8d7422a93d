"""One summary for a fleet run: a text table (one line per product, totals last) and a JSON file for CI."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from mlprov.fleet.runner import Outcome

T = TypeVar("T")
Columns = Sequence[tuple[str, Callable[[Any], str]]]


@dataclass(frozen=True)
class Kind(Generic[T]):
    """One fleet action: its per-product task, and how its outcomes are shown and recorded."""

    action: str
    task: Callable[[argparse.Namespace, Path, str], tuple[int, T]]
    status: Callable[[Outcome[T]], str]
    columns: Columns
    detail: Callable[[Any], dict[str, Any]]


def table(outcomes: list[Outcome[T]], status: Callable[[Outcome[T]], str], columns: Columns) -> str:
    """Columns: product, status, the given ones (blank for a product that failed), seconds; a totals line."""
    head = ["product", "status", *[name for name, _f in columns], "seconds"]
    rows = []
    for o in outcomes:
        cells = [f(o.result) if o.result is not None else "" for _n, f in columns]
        rows.append([o.product, status(o), *cells, f"{o.seconds:.1f}"])
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [head, *rows]]
    errors = [f"{o.product}: {o.error}" for o in outcomes if o.error]
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[status(o)] = counts.get(status(o), 0) + 1
    total = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    return "\n".join([*lines, f"{len(outcomes)} product(s): {total}", *errors]) + "\n"


def write_json(path: Path, kind: Kind[T], outcomes: list[Outcome[T]], *, jobs: int, seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"action": kind.action, "jobs": jobs, "seconds": round(seconds, 3), "products": [
        {"product": o.product, "status": kind.status(o), "exit_code": o.exit_code, "seconds": round(o.seconds, 3),
         "error": o.error, **(kind.detail(o.result) if o.result is not None else {})} for o in outcomes]}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path
