"""Structural shapes of a product's test copies: a copy is rendered once per shape per process, not per product.

:func:`mlprov.access.arns.copy_arns` predicts a test copy's ARNs by translating the product's own rendering
(every physical name of ``Names`` replaced by the copy's) and checks the prediction against one rendered copy. What
that check proves depends only on how the templates build the names and which resources the copy keeps, not on
the names themselves. So the check is made for the first product of each *shape*, and the other products of that
shape are translated without a rendering.

The shape (:func:`shape_key`) is derived from the product's own rendering, not from a list of config fields:

- every resource's logical id and type (what the copy can keep or drop);
- the ARNs :func:`~mlprov.access.arns.resource_arns` reads, with every ``Names`` value replaced by its field
  (``{build_project}``) and the region and account fields of each ARN by placeholders. A name the templates build
  other than from ``Names`` stays literal (it holds the product's prefix), so such a product has a shape of its
  own and its copy is rendered and checked: the key cannot make two products share a shape through a name the
  translation misses;
- what of the product's config changes the copy and not the product (``Product.endpoints_mode``), with the
  egress and ECR-endpoint modes and the partition.

A shape is trusted only after its check passed (``record``); a shape whose check failed is never recorded, so each
of its products takes the checked paths. ``tests/render/test_copyshape.py`` checks, for every shipped example, that
the trusted path equals the eight real renderings, so a shape the key would miss is caught in CI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mlprov.config.model import Product

# shape key -> the logical ids (of resource_arns) the product has and its copies do not.
_TRUSTED: dict[str, frozenset[str]] = {}


def _placeholders(product: Product) -> dict[str, str]:
    from mlprov.access.arns import name_values  # noqa: PLC0415 - arns imports this module

    out: dict[str, str] = {}
    for field, value in name_values(product.names).items():
        out.setdefault(value, "{" + field + "}")
    return out


def _generic(arn: str, region: str, account: str) -> str:
    """``arn:partition:service:region:account:resource`` with the region and account fields as placeholders."""
    parts = arn.split(":", 5)
    if len(parts) == 6:  # the six fields of an ARN
        parts[3] = "{region}" if parts[3] == region else parts[3]
        parts[4] = "{account}" if parts[4] == account else parts[4]
    return ":".join(parts)


def shape_key(product: Product, own: Mapping[str, Any]) -> str:
    """What decides how the product's rendering translates into its copies' (module docstring), as one string."""
    from mlprov.access.arns import resource_arns, translated  # noqa: PLC0415

    generic = resource_arns(translated(own, _placeholders(product)))
    return json.dumps({
        "resources": sorted((lid, r["Type"]) for lid, r in own["Resources"].items()),
        "arns": {lid: [_generic(a, product.region, product.account_id) for a in v] for lid, v in generic.items()},
        "modes": [product.tier, product.partition, product.endpoints_mode,
                  product.for_test("t000000").endpoints_mode, product.egress_mode, product.ecr_endpoints],
    }, sort_keys=True)


def trusted(key: str) -> frozenset[str] | None:
    """The logical ids a checked copy of this shape dropped; None when no product of the shape was checked."""
    return _TRUSTED.get(key)


def record(key: str, dropped: frozenset[str]) -> None:
    """The shape's translation was checked against a rendered copy (and equalled it)."""
    _TRUSTED[key] = dropped


def checked() -> int:
    """How many shapes this process has checked (the bench prints it)."""
    return len(_TRUSTED)


def clear() -> None:
    """Forget every shape (tests: a process that has checked nothing)."""
    _TRUSTED.clear()
