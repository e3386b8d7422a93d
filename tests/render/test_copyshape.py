"""A test copy is rendered once per structural shape: the other products of that shape are translated, and the
translation equals the real renderings for every shipped example; a shape whose check failed is never trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mlprov.access import arns, copyshape
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render

from tests.render.copy_support import counting_renders as _counting
from tests.render.copy_support import eight_renderings as _eight

REPO = Path(__file__).resolve().parents[2]
PRODUCTS = sorted((REPO / "products").glob("*.yaml"))
ENT = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"
ENT_SSM = REPO / "products" / "globalbank-prod-b005-eu-west-1-demand-forecasting-ml-codecommit-standalone-ssm.yaml"


@pytest.fixture(autouse=True)
def _no_checked_shapes() -> None:
    copyshape.clear()


def sibling(product: Product, app_id: str | None = None, **config: Any) -> Product:
    """The same product under another app id (so every physical name differs), as the bench's fleet makes them."""
    old = str(product.config["app_id"])
    new = app_id or f"{old[0]}9{old[2:]}"
    path = product.path.with_name(product.path.name.replace(f"-{old}-", f"-{new}-"))
    return Product(path=path, config={**product.config, "app_id": new, **config})


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_a_checked_shape_translates_every_example_as_eight_renderings_do(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    product = load_product(path)
    seed = sibling(product)
    rendered = _counting(monkeypatch)
    arns.copy_arns(seed, render(seed)[1])
    assert rendered == list(arns.TEST_SUFFIXES[:1]) and copyshape.checked() == 1  # the first of the shape: one copy rendered, checked
    own = render(product)[1]
    assert copyshape.shape_key(product, own) == copyshape.shape_key(seed, render(seed)[1])
    rendered.clear()
    predicted = arns.copy_arns(product, own)
    assert rendered == []  # the same shape: no copy rendered
    assert predicted == _eight(product)


def test_products_of_another_structure_have_another_shape() -> None:
    keys = {p.name: copyshape.shape_key(product := load_product(p), render(product)[1]) for p in PRODUCTS}
    # how the VPC is resolved changes the template's parameters, not its resources or names: one shape
    assert keys[ENT.name] == keys[ENT_SSM.name]
    by_tier: dict[str, set[str]] = {}
    for p in PRODUCTS:
        by_tier.setdefault(load_product(p).tier, set()).add(keys[p.name])
    assert len(by_tier) == 3 and sum(map(len, by_tier.values())) == len(set().union(*by_tier.values()))  # no shared shape
    ent = load_product(ENT)
    existing = Product(path=ent.path, config={**ent.config, "network": {**ent.config["network"], "endpoints": "existing"}})
    assert existing.endpoints_mode == "existing"
    assert copyshape.shape_key(existing, render(existing)[1]) != keys[ENT.name]
    s3 = load_product(REPO / "products" / "techcorp-prod-a002-us-west-2-customer-churn-ml-s3.yaml")
    codecommit = load_product(REPO / "products" / "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml")
    assert keys[s3.path.name] != keys[codecommit.path.name]


def test_the_key_holds_no_name_of_the_product() -> None:
    product = load_product(ENT)
    key = copyshape.shape_key(product, render(product)[1])
    assert product.prefix not in key and product.account_id not in key and product.region not in key
    assert '"{build_project}"' not in key and "project/{build_project}" in key


def test_a_name_the_translation_misses_gives_each_product_its_own_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if a template built the CodeBuild role's name outside ``Names``: the name stays literal in the key (it
    holds the product's prefix), so two siblings never share a shape through it."""
    product = load_product(ENT)
    seed = sibling(product)
    real_values = arns.name_values
    monkeypatch.setattr(arns, "name_values", lambda names: {k: v for k, v in real_values(names).items() if k != "codebuild_role"})
    assert copyshape.shape_key(product, render(product)[1]) != copyshape.shape_key(seed, render(seed)[1])


def test_a_shape_whose_check_failed_is_never_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    product = load_product(ENT)
    own = render(product)[1]
    real_translation = arns.translation
    broken = {"on": True}

    def wrong(first: Any, other: Any) -> dict[str, str] | None:
        table = real_translation(first, other)
        if table is not None and broken["on"]:
            table[product.names.build_project] = "not-the-copys-name"
        return table

    monkeypatch.setattr(arns, "translation", wrong)
    reference = _eight(product)
    rendered = _counting(monkeypatch)
    assert arns.copy_arns(product, own) == reference  # the check failed: the fallbacks, exact
    assert copyshape.trusted(copyshape.shape_key(product, own)) is None and copyshape.checked() == 0
    rendered.clear()
    assert arns.copy_arns(product, own) == reference
    assert rendered[:1] == list(arns.TEST_SUFFIXES[:1])  # checked again, not trusted


def test_a_trusted_shape_still_refuses_an_ambiguous_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    product = load_product(ENT)
    seed = sibling(product)
    arns.copy_arns(seed, render(seed)[1])
    monkeypatch.setattr(arns, "translation", lambda first, other: None)
    reference = _eight(product)
    rendered = _counting(monkeypatch)
    assert arns.copy_arns(product, render(product)[1]) == reference
    assert rendered == list(arns.TEST_SUFFIXES)  # no translation at all: every copy rendered
