"""Property: an arbitrary string in any string field either fails validation (exit 2) or renders a template
whose resources and structure equal the clean rendering's. No value can add, drop or reshape anything."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mlprov.config.loader import load_product, validate_data
from mlprov.config.model import Product
from mlprov.errors import ConfigErrors, ExitCode
from mlprov.render.engine import render

from tests.conftest import REPO
from tests.treeedit import set_at

BASES = [
    REPO / "products" / "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit.yaml",
    REPO / "products" / "techcorp-prod-a002-us-west-2-customer-churn-ml-s3.yaml",
    REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml",
    REPO / "products" / "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm.yaml",
]
# Fields that choose the variant (validated as enums); every other string field is free to vary.
CONTROL = {("tier",), ("source", "type"), ("network", "vpc_resolution"), ("network", "security_group_mode"),
           ("network", "endpoints"), ("network", "egress")}


_TMP: list[Path] = []


def tmp_dir() -> Path:
    """One scratch folder for the whole module (hypothesis examples cannot use function-scoped fixtures)."""
    if not _TMP:
        _TMP.append(Path(tempfile.mkdtemp(prefix="mlprov-property-")))
    return _TMP[0]


def _string_fields(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, str):
        return [path]
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _string_fields(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _string_fields(v, (*path, i))]
    return []


def _shape(node: Any) -> Any:
    """The template's structure: keys, list lengths and intrinsic-function names; scalars collapse."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return type(node).__name__


RAW = {base: yaml.safe_load(base.read_text()) for base in BASES}
CASES = [(base, field) for base in BASES for field in _string_fields(yaml.safe_load(base.read_text()))]
CLEAN = {base: _shape(render(Product(base, yaml.safe_load(base.read_text())))[1]) for base in BASES}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case=st.sampled_from(CASES), value=st.text(max_size=80))
def test_validated_value_fails_with_exit_2_or_keeps_structure(case: tuple[Path, tuple[Any, ...]], value: str) -> None:
    base, field = case
    data = set_at(RAW[base], field, value)
    problems = validate_data(base, data)
    if problems:
        # The same problems reach the user as a ConfigErrors: exit 2, one line per problem naming the field.
        path = tmp_dir() / base.name
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            load_product(path)
        except ConfigErrors as exc:
            assert exc.exit_code == ExitCode.USAGE
            assert exc.lines() and all(line.startswith(f"{path}: ") for line in exc.lines())
        else:
            raise AssertionError(f"validate_data found {problems} but load_product accepted the file")
        return
    assert _shape(render(Product(base, data))[1]) == CLEAN[base]


@SETTINGS
@given(
    case=st.sampled_from([c for c in CASES if c[1] not in CONTROL]),
    value=st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
    | st.sampled_from(["x\nResources:\n  Evil:\n    Type: AWS::IAM::User", '"}]\n---\n- ', "{{ 7*7 }}", "${AWS::Region}"]),
)
def test_even_unvalidated_values_cannot_change_structure(case: tuple[Path, tuple[Any, ...]], value: str) -> None:
    """Bypassing validation entirely: the quoting alone keeps the template's structure."""
    base, field = case
    data = set_at(RAW[base], field, value)
    text, template = render(Product(base, data))
    assert _shape(template) == CLEAN[base]
    assert set(template["Resources"]) == set(yaml.load(text, Loader=yaml.CSafeLoader)["Resources"])
