"""The forecast's record for the review report and the PR comment: ``<reports>/<product>/forecast.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlprov.forecast.model import Finding

FILE = "forecast.json"


def write(findings: list[Finding], reports_dir: Path, product: str, *, online: bool) -> Path:
    folder = reports_dir / product
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    body = {"product": product, "online": online, "blockers": sum(f.severity == "blocker" for f in findings),
            "findings": [f.to_json() for f in findings]}
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return path


def read(reports_dir: Path, product: str) -> dict[str, Any] | None:
    """The last forecast of the product, None when there is none (or it is unreadable)."""
    path = reports_dir / product / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def lines(data: dict[str, Any]) -> list[str]:
    """One line per recorded finding, as the command prints them."""
    out = []
    for f in data.get("findings", []):
        tail = f" (fix: {f['fix']})" if f.get("fix") else ""
        out.append(f"{f['code']} {f['severity']}: {f['message']}{tail}")
    return out
