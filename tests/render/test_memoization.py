"""Memoized parts of a cold render leak nothing between products: any order, any variant after any other, gives the
bytes a fresh process gives; test-copy ARNs from two renderings equal the eight renderings they replace."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from mlprov.access import arns, copyshape
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render
from mlprov.render.parallel import chunk_size
from mlprov.render.renderings import expected

from tests.render.copy_support import counting_renders as _counting
from tests.render.copy_support import eight_renderings as _eight

REPO = Path(__file__).resolve().parents[2]
PRODUCTS = sorted((REPO / "products").glob("*.yaml"))
STARTER = REPO / "products" / "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit.yaml"
PRO = REPO / "products" / "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml"
ENT = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"
ENT_SSM = REPO / "products" / "globalbank-prod-b005-eu-west-1-demand-forecasting-ml-codecommit-standalone-ssm.yaml"


@pytest.fixture(autouse=True)
def _no_checked_shapes() -> None:
    """Each test counts renderings from a process that has checked no copy shape (tests/render/test_copyshape.py)."""
    copyshape.clear()


def _files(product: Product) -> list[tuple[str, str]]:
    return [(str(r.path), r.content) for r in expected(product)]


def _committed(path: Path) -> list[tuple[str, str]]:
    """What the golden files hold for a shipped product (rendered and committed by `mlprov render`)."""
    return [(p, Path(p).read_text(encoding="utf-8")) for p, _c in _files(load_product(path))]


def _alone(path: str, config: dict[str, Any]) -> list[tuple[str, str]]:
    """The renderings of one product in a fresh (spawned) process: nothing memoized before it."""
    return _files(Product(path=Path(path), config=config))


def _in_fresh_process(product: Product) -> list[tuple[str, str]]:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_alone, str(product.path), json.loads(json.dumps(product.config))).result()


@pytest.mark.parametrize("order", [(STARTER, PRO, ENT, ENT_SSM), (ENT_SSM, ENT, PRO, STARTER)], ids=["forward", "reverse"])
def test_products_in_either_order_give_the_committed_bytes(order: tuple[Path, ...]) -> None:
    for path in order:
        assert _files(load_product(path)) == _committed(path), path.name


def test_a_different_variant_at_the_same_path_after_a_cached_one() -> None:
    """The cache keys hold the whole config (and path, and test suffix): the same file name with another variant's
    content (security group mode existing, SSM-resolved network) renders as it does alone."""
    first = load_product(ENT)
    _files(first)  # memoizes test-copy ARNs, ARN-format matches, quoted strings for this product
    other = load_product(REPO / "products" / "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm.yaml")
    config = {**other.config, "app_id": first.config["app_id"]}  # same prefix and names as `first`, other network
    swapped = Product(path=first.path, config=config)
    assert swapped.variant != first.variant
    after_cached = _files(swapped)
    assert after_cached == _in_fresh_process(swapped)
    assert after_cached != _files(first)


def test_a_test_copy_is_not_served_its_products_memo() -> None:
    product = load_product(PRO)
    base = arns.product_arns(product, render(product)[1])
    copy = product.for_test("tabc123")
    copied = arns.product_arns(copy, render(copy)[1])
    assert copied.own != base.own and copied.own["stack"] == [
        f"arn:aws:cloudformation:us-west-2:{product.account_id}:stack/{copy.names.stack}/*"]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_test_copy_arns_from_fewer_renderings_equal_the_eight(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    product = load_product(path)
    reference = _eight(product)
    own = render(product)[1]
    rendered = _counting(monkeypatch)
    assert arns.copy_arns(product, own) == reference
    assert rendered == list(arns.TEST_SUFFIXES[:1])  # translated from the product's own rendering, checked on one copy
    rendered.clear()
    assert arns.copy_arns(product) == reference  # without it: from the first copy, checked on the second
    assert rendered == list(arns.TEST_SUFFIXES[:2])


def test_the_products_own_rendering_is_kept_to_the_copys_resources() -> None:
    """An enterprise product creates its private-DNS endpoints (and their security group) and publishes their ids;
    its test copies use the existing ones (Product.endpoints_mode), so their ARNs are the own rendering's, less the
    SSM parameters of those ids."""
    product = load_product(ENT)
    own = arns.resource_arns(render(product)[1])
    copy = arns.copy_arns(product, render(product)[1])[0]
    assert product.endpoints_mode == "create" and set(copy) < set(own)
    assert set(own) - set(copy) == {k for k in own if k.startswith("VpcEndpointId") or k == "SecurityGroupIdParameter"}


def test_a_name_the_translation_misses_falls_back_to_eight_renderings(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if a template built a physical name outside ``Names``: neither the own rendering nor the first copy,
    translated, gives the real copy, so every copy is rendered, and the patterns stay exact."""
    product = load_product(ENT)
    reference = _eight(product)
    own = render(product)[1]
    real_values = arns.name_values
    monkeypatch.setattr(arns, "name_values", lambda names: {k: v for k, v in real_values(names).items() if k != "codebuild_role"})
    rendered = _counting(monkeypatch)
    assert arns.copy_arns(product, own) == reference
    assert rendered == list(arns.TEST_SUFFIXES)


def test_an_ambiguous_translation_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two names equal in the source of a translation but not in a copy cannot be translated: every copy is
    rendered."""
    product = load_product(STARTER)
    first, other = product.for_test(arns.TEST_SUFFIXES[0]).names, product.for_test(arns.TEST_SUFFIXES[1]).names
    sources = (product.names, first)
    real_values = arns.name_values

    def clashing(names: Any) -> dict[str, str]:
        values = real_values(names)
        values["twin"] = values["stack"] if names in sources else "something else"
        return values

    monkeypatch.setattr(arns, "name_values", clashing)
    assert arns.translation(first, other) is None and arns.translation(product.names, other) is None
    reference = _eight(product)
    own = render(product)[1]
    rendered = _counting(monkeypatch)
    assert arns.copy_arns(product, own) == reference
    assert rendered == list(arns.TEST_SUFFIXES)


def test_translated_keeps_what_is_not_a_name() -> None:
    template = {"Metadata": {"MlProvisioner": {"StackName": "a-t0", "Tier": "starter"}},
                "Resources": {"R": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a-t0-b", "Tags": [{"Key": "a-t0"}],
                                                                               "Other": "a-t0-bx"}},
                              "S": {"Type": "AWS::SNS::Topic"}}}
    out = arns.translated(template, {"a-t0": "a-t1", "a-t0-b": "a-t1-b"})
    assert out["Metadata"]["MlProvisioner"] == {"StackName": "a-t1", "Tier": "starter"}
    assert out["Resources"]["R"]["Properties"] == {"BucketName": "a-t1-b", "Tags": [{"Key": "a-t0"}], "Other": "a-t0-bx"}
    assert out["Resources"]["S"] == {"Type": "AWS::SNS::Topic", "Properties": {}}
    assert template["Resources"]["R"]["Properties"]["BucketName"] == "a-t0-b"  # the rendering itself is not touched


def test_chunk_size() -> None:
    assert chunk_size(999, 2) == 16
    assert chunk_size(40, 2) == 5
    assert chunk_size(7, 8) == 1
