"""Every shipped example: valid, counted inside SPEC's range, cfn-lint clean, tagged, retained, bounded,
and its committed rendering (the golden file) equal to a fresh render."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mlprov.config.loader import load_product
from mlprov.render import context, inventory
from mlprov.render.engine import render
from mlprov.render.renderings import expected, stale

from tests.conftest import PRODUCTS, REPO

REQUIRED_TAGS = {"mlprov:product", "mlprov:tier", "mlprov:environment", "mlprov:owner", "mlprov:cost-center", "mlprov:managed-by"}


def _render(path: Path) -> tuple[Any, dict[str, Any]]:
    product = load_product(path)
    return product, render(product)[1]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_resource_count_in_spec_range(path: Path) -> None:
    product, template = _render(path)
    low, high = inventory.count_range(product.variant)
    listed = inventory.resources(product.variant)
    assert low <= len(template["Resources"]) <= high  # SPEC's baseline, up to MAX_ADDITIONS more
    assert all(r.addition and len(r.addition) > 20 for r in listed if r.addition)  # each addition with its reason
    assert len(template["Resources"]) == len(listed)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_committed_rendering_is_current(path: Path) -> None:
    """Golden files: `make render` regenerates them; a diff here means they were not re-committed."""
    assert stale(expected(load_product(path))) == []


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_taggable_resource_carries_the_required_tags(path: Path) -> None:
    product, template = _render(path)
    for logical_id, res in template["Resources"].items():
        if not context.taggable(res["Type"]):
            continue
        tags = res["Properties"]["Tags"]
        keys = set(tags) if isinstance(tags, dict) else {t["Key"] for t in tags}
        assert keys >= REQUIRED_TAGS, logical_id
        values = tags if isinstance(tags, dict) else {t["Key"]: t["Value"] for t in tags}
        assert values["mlprov:product"] == product.prefix


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_stateful_resources_are_retained(path: Path) -> None:
    _product, template = _render(path)
    for logical_id, res in template["Resources"].items():
        if logical_id in inventory.STATEFUL:
            assert res["DeletionPolicy"] == "RetainExceptOnCreate", logical_id  # a failed first create leaves nothing
            assert res["UpdateReplacePolicy"] == "Retain", logical_id


@pytest.mark.parametrize("path", [p for p in PRODUCTS if "-standalone-" in p.name or "-existing-" in p.name],
                         ids=lambda p: p.stem)
def test_enterprise_roles_all_carry_the_boundary(path: Path) -> None:
    _product, template = _render(path)
    roles = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert len(roles) == 4
    for role in roles:
        assert role["Properties"]["PermissionsBoundary"] == {"Ref": "PermissionBoundaryPolicy"}


def test_every_example_is_cfn_lint_clean() -> None:
    """0 errors and 0 warnings from the real cfn-lint over all committed templates, in one process."""
    templates = [str(REPO / "products" / p.stem / "template.yaml") for p in PRODUCTS]
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--format", "json", "--", *templates],
        capture_output=True, text=True, check=False,
    )
    assert json.loads(proc.stdout or "[]") == [], proc.stdout[:2000]
    assert proc.returncode == 0, proc.stderr


def test_every_variant_ships_as_an_example() -> None:
    variants = {load_product(p).variant for p in PRODUCTS}
    base = {(v.tier, v.source, v.sg_mode, v.vpc_resolution) for v in variants}
    assert len(base) == 15  # 12 SPEC variants + connection per tier
    assert {v.workload for v in variants} == {True, False}
    assert len(variants) == 27
