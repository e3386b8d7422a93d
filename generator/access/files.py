"""The committed access files of a product: ``products/<name>/access/<kind>.json``, one per principal.

Each file is one principal of ``create-policy --json`` (name, kind, arn, trust, boundary, policies), rendered
with no trust settings (the account roles' OIDC trust is rendered by ``mlprov bootstrap``, which knows the
repository). ``mlprov render`` writes them; ``render --check`` compares them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mlprov.access.principals import contract
from mlprov.config.model import Product

ACCESS_DIR = "access"
LEGACY = "deployer-policy*.json"  # the single-principal files of earlier versions: deleted by `mlprov render`


def render_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def access_files(product: Product, template: Mapping[str, Any], folder: Path) -> list[tuple[Path, str]]:
    return [(folder / ACCESS_DIR / f"{p['kind']}.json", render_json(p))
            for p in contract(product, template)["principals"]]


def leftovers(folder: Path, wanted: set[Path]) -> list[Path]:
    found = [*folder.glob(LEGACY), *(folder / ACCESS_DIR).glob("*.json")]
    return sorted(p for p in found if p not in wanted)
