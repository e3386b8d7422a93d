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
    """``json.dumps(document, indent=2)`` and a newline, the same characters; written by :func:`_indented` (the
    standard library's indenting encoder is its pure-Python one), or by ``json.dumps`` for any value outside
    JSON's own types."""
    try:
        return _indented(document, "") + "\n"
    except _NotPlain:
        return json.dumps(document, indent=2, sort_keys=False) + "\n"


class _NotPlain(Exception):
    """A value ``_indented`` leaves to ``json.dumps`` (a key that is not a str, a float, a subclass of int...)."""


_STRING = json.encoder.encode_basestring_ascii  # what json.dumps uses for a str (ensure_ascii, its default)
_CONSTANTS = {True: "true", False: "false", None: "null"}


def _indented(value: Any, indent: str) -> str:
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        if any(type(k) is not str for k in value):
            raise _NotPlain
        # A str is written in place (what _indented would return for it): most values of a policy are.
        items = [f"{inner}{_STRING(k)}: {_STRING(v) if type(v) is str else _indented(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + "  "
        between = ",\n" + inner
        if all(type(v) is str for v in value):  # an Action or Resource list: every element written in place
            return "[\n" + inner + between.join(map(_STRING, value)) + "\n" + indent + "]"
        return "[\n" + inner + between.join(_indented(v, inner) for v in value) + "\n" + indent + "]"
    if kind is bool or value is None:
        return _CONSTANTS[value]
    if kind is int:
        return int.__repr__(value)
    raise _NotPlain


def access_files(product: Product, template: Mapping[str, Any], folder: Path) -> list[tuple[Path, str]]:
    return [(folder / ACCESS_DIR / f"{p['kind']}.json", render_json(p))
            for p in contract(product, template)["principals"]]


def leftovers(folder: Path, wanted: set[Path]) -> list[Path]:
    found = [*folder.glob(LEGACY), *(folder / ACCESS_DIR).glob("*.json")]
    return sorted(p for p in found if p not in wanted)
