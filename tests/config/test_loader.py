"""Config validation: every kind of bad input gives exit-2 lines naming file, field and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from mlprov.config.loader import load_product
from mlprov.errors import ConfigErrors, ExitCode, UserError

from tests.conftest import PRODUCTS, REPO

PRO = REPO / "products" / "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml"
ENT = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as info:
        load_product(path)
    assert info.value.exit_code == ExitCode.USAGE
    return info.value.problems


def _edited(src: Path, tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(src.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return _write(tmp_path, src.name, data)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_example_is_valid(path: Path) -> None:
    product = load_product(path)
    assert product.name == path.stem


def test_missing_field_names_it_and_the_fix(tmp_path: Path) -> None:
    assert _problems(_edited(PRO, tmp_path, alarm_email=None)) == [
        "field 'alarm_email' is missing: add it (E-mail for CloudWatch alarm notifications; "
        "use an e-mail address such as ml-platform@example.com)"
    ]


def test_wrong_type(tmp_path: Path) -> None:
    assert _problems(_edited(PRO, tmp_path, log_retention_days="forever")) == [
        "field 'log_retention_days': expected a whole number, got a string; use one of 90, 120, 150, 180, 365, "
        "400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
    ]


def test_retention_below_minimum_is_refused(tmp_path: Path) -> None:
    problems = _problems(_edited(PRO, tmp_path, log_retention_days=30))
    assert problems == [
        "field 'log_retention_days': 30 is not one of: 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, "
        "2557, 2922, 3288, 3653"
    ]


def test_bad_format(tmp_path: Path) -> None:
    assert _problems(_edited(PRO, tmp_path, alarm_email="not-an-email")) == [
        "field 'alarm_email': 'not-an-email' is not valid; use an e-mail address such as ml-platform@example.com"
    ]


def test_account_id_must_be_twelve_digits(tmp_path: Path) -> None:
    assert _problems(_edited(PRO, tmp_path, account_id="12345")) == [
        "field 'account_id': '12345' is not valid; use the 12-digit account id as a quoted string, "
        'e.g. "123456789012"'
    ]


def test_unknown_field(tmp_path: Path) -> None:
    problems = _problems(_edited(PRO, tmp_path, alarm_emial="x@example.com"))
    assert len(problems) == 1
    assert problems[0].startswith("field 'alarm_emial' is not a known field: remove it or fix its spelling (known")


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, PRO.name, "tier: professional\norganization: [techcorp\n")
    (problem,) = _problems(path)
    assert problem.startswith("YAML syntax error at line 3, column 1:")
    assert problem.endswith("; fix the YAML syntax")


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, PRO.name, PRO.read_text() + "tier: starter\n")
    (problem,) = _problems(path)
    assert "duplicate key 'tier': give each field once" in problem


def test_empty_file(tmp_path: Path) -> None:
    assert _problems(_write(tmp_path, PRO.name, "  \n")) == [
        "the file is empty: start from an example config under products/"
    ]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert _problems(_write(tmp_path, PRO.name, "- a\n- b\n")) == [
        "the top level must be a mapping of fields (tier: ..., organization: ..., ...)"
    ]


def test_unknown_file() -> None:
    with pytest.raises(UserError) as info:
        load_product(Path("/nonexistent/x.yaml"))
    assert info.value.lines() == [
        "/nonexistent/x.yaml: no such config file",
        "hint: give a path, or a name under products/; run 'mlprov list-products' to see them",
    ]


def test_tier_must_match_enterprise_tokens_in_the_file_name(tmp_path: Path) -> None:
    data = yaml.safe_load(PRO.read_text())
    path = _write(tmp_path, PRO.name.replace(".yaml", "-standalone-direct.yaml"), data)
    assert _problems(path) == [
        "field 'tier': the file name ends with enterprise tokens '-standalone-direct' but tier is 'professional'; "
        "set tier: enterprise or rename the file to techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml"
    ]


def test_enterprise_without_tokens_in_the_file_name(tmp_path: Path) -> None:
    data = yaml.safe_load(ENT.read_text())
    path = _write(tmp_path, "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit.yaml", data)
    assert _problems(path) == [
        "field 'tier': tier is 'enterprise' but the file name lacks the '-{sg_mode}-{vpc_resolution}' tokens; "
        "rename the file to globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"
    ]


def test_file_name_token_disagreeing_with_content(tmp_path: Path) -> None:
    path = _edited(PRO, tmp_path, region="eu-west-1")
    assert _problems(path) == [
        "field 'region': the file name says 'us-west-2' but the config says 'eu-west-1'; make them agree "
        "(expected file name: techcorp-prod-a001-eu-west-1-customer-churn-ml-codecommit.yaml)"
    ]


def test_enterprise_mode_fields_are_required_by_mode(tmp_path: Path) -> None:
    data = yaml.safe_load(ENT.read_text())
    data["network"].pop("ingress_cidr")
    data["network"]["subnet_ids"] = ["subnet-0a1b2c3d4e5f67891"]
    problems = _problems(_write(tmp_path, ENT.name, data))
    assert problems == [
        "field 'network.ingress_cidr' is missing: add it (CIDR allowed to reach the VPC endpoints on 443 "
        "(security_group_mode: standalone); use the VPC's private CIDR, e.g. 10.20.0.0/16 (never 0.0.0.0/0; "
        "prefix length 8-32))",
        "field 'network.subnet_ids': needs at least 2 items, got 1; list at least two distinct subnet ids",
    ]


def test_open_ingress_cidr_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(ENT.read_text())
    data["network"]["ingress_cidr"] = "0.0.0.0/0"
    (problem,) = _problems(_write(tmp_path, ENT.name, data))
    assert problem.startswith("field 'network.ingress_cidr': '0.0.0.0/0' is not valid; use the VPC's private CIDR")


def test_field_of_the_other_mode_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(ENT.read_text())
    data["network"]["vpc_id_parameter"] = "/network/prod/vpc-id"
    assert _problems(_write(tmp_path, ENT.name, data)) == [
        "field 'network.vpc_id_parameter' is not allowed with this choice of vpc_resolution / "
        "security_group_mode: remove it"
    ]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    problems = _problems(_edited(PRO, tmp_path, alarm_email="x", owner=None, cost_center="!"))
    assert [p.split(":")[0] for p in problems] == [
        "field 'alarm_email'",
        "field 'cost_center'",
        "field 'owner' is missing",
    ]
