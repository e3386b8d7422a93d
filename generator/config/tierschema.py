"""The JSON Schema of each tier, loaded from the committed files beside this module."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

TIERS = ("starter", "professional", "enterprise")
_PACKAGE = "mlprov.config"


def _load(name: str) -> dict[str, Any]:
    text = resources.files(_PACKAGE).joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def schema(tier: str) -> dict[str, Any]:
    return _load(tier)


@cache
def registry() -> Registry[Any]:
    """The schemas a tier schema refers to (``common.schema.json``)."""
    common: Registry[Any] = Registry().with_resource(
        "https://ml-provisioner.dev/schemas/common.schema.json", Resource.from_contents(_load("common"))
    )
    return common


@cache
def validator(tier: str) -> Draft202012Validator:
    return Draft202012Validator(schema(tier), registry=registry(), format_checker=FormatChecker())
