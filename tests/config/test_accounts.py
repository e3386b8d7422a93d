"""The accounts file: its schema, the checks the schema cannot make, the defaults, and validate-config over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from mlprov.cli import main
from mlprov.config.accounts import ACCOUNTS_FILE, load_accounts, parse, problems_of
from mlprov.config.loader import load_product
from mlprov.errors import ConfigErrors, UserError

REPO = Path(__file__).resolve().parents[2]
GOOD = {"accounts": {"123456789012": {"name": "ml-prod", "default_region": "eu-west-1", "environment": "production-approval",
                                      "production": True}}}


def test_every_product_of_the_repository_is_in_the_accounts_file() -> None:
    accounts = load_accounts(REPO)
    for config in sorted((REPO / "products").glob("*.yaml")):
        product = load_product(config)
        assert product.account_id in accounts, f"{config.name}: account {product.account_id} is not in accounts.yaml"


def test_roles_default_to_the_bootstrap_roles_of_the_account() -> None:
    acct = parse(Path("a.yaml"), yaml.safe_dump(GOOD))["123456789012"]
    assert acct.roles == {"plan": "arn:aws:iam::123456789012:role/mlprov/mlprov-plan",
                          "deploy": "arn:aws:iam::123456789012:role/mlprov/mlprov-deploy",
                          "drift": "arn:aws:iam::123456789012:role/mlprov/mlprov-drift"}
    assert (acct.name, acct.default_region, acct.environment, acct.production) == ("ml-prod", "eu-west-1", "production-approval", True)


def test_given_roles_and_other_partitions() -> None:
    custom = {"deploy": "arn:aws:iam::123456789012:role/ci/deployer"}
    data = {"accounts": {"123456789012": {**GOOD["accounts"]["123456789012"], "roles": custom},
                         "210987654321": {"name": "ml-cn", "default_region": "cn-north-1", "environment": "cn"}}}
    accounts = parse(Path("a.yaml"), yaml.safe_dump(data))
    assert accounts["123456789012"].roles["deploy"] == "arn:aws:iam::123456789012:role/ci/deployer"
    assert accounts["123456789012"].roles["plan"] == "arn:aws:iam::123456789012:role/mlprov/mlprov-plan"
    assert accounts["210987654321"].roles["drift"] == "arn:aws-cn:iam::210987654321:role/mlprov/mlprov-drift"
    assert accounts["210987654321"].production is False


@pytest.mark.parametrize(("change", "expected"), [
    ({"accounts": {"12345": GOOD["accounts"]["123456789012"]}},
     ["field 'accounts': '12345' is not valid; an account id is 12 digits, quoted: '123456789012'"]),
    ({"accounts": {"123456789012": {"name": "ml-prod", "environment": "prod"}}},
     ["field 'accounts.123456789012.default_region' is missing: add it"]),
    ({"accounts": {"123456789012": {**GOOD["accounts"]["123456789012"], "rolez": {}}}},
     ["field 'accounts.123456789012.rolez' is not a known field: remove it or fix its spelling "
      "(known fields here: default_region, environment, name, production, roles)"]),
    ({"accounts": {"123456789012": {**GOOD["accounts"]["123456789012"], "roles": {"deploy": "arn:aws:iam::123456789012:user/x"}}}},
     ["field 'accounts.123456789012.roles.deploy': 'arn:aws:iam::123456789012:user/x' is not valid; "
      "an IAM role ARN, e.g. arn:aws:iam::123456789012:role/mlprov/mlprov-deploy"]),
    ({"accounts": {"123456789012": {**GOOD["accounts"]["123456789012"], "environment": "prod approval"}}},
     ["field 'accounts.123456789012.environment': 'prod approval' is not valid; "
      "letters, digits, '.', '_' and '-', e.g. production-approval"]),
    ({"accounts": {}}, ["field 'accounts': {} should be non-empty; list at least one account: "
                        "'123456789012': {name: ..., default_region: ..., environment: ...}"]),
    ([1, 2], ["the top level must be a mapping: accounts: {'123456789012': {name: ..., ...}}"]),
])
def test_schema_problems_name_the_field_and_the_fix(change: object, expected: list[str]) -> None:
    assert problems_of(change) == expected


def test_a_role_in_another_account_is_refused() -> None:
    data = {"accounts": {"123456789012": {**GOOD["accounts"]["123456789012"], "roles": {"plan": "arn:aws:iam::999999999999:role/p"}}}}
    assert problems_of(data) == [
        "field 'accounts.123456789012.roles.plan': arn:aws:iam::999999999999:role/p is in account 999999999999, not "
        "123456789012; give the role in this account (the OIDC provider's account)"]


def test_production_does_not_share_an_environment_with_non_production() -> None:
    data = {"accounts": {**GOOD["accounts"], "210987654321": {"name": "ml-dev", "default_region": "us-east-1",
                                                              "environment": "production-approval"}}}
    assert problems_of(data) == [
        "field 'environment': 'production-approval' is shared by production and non-production accounts; give production "
        "accounts their own environment (with required reviewers)"]


def test_empty_file_duplicate_keys_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigErrors) as exc:
        parse(tmp_path / ACCOUNTS_FILE, "  \n")
    assert exc.value.lines() == [f"{tmp_path / ACCOUNTS_FILE}: the file is empty: list the accounts (docs/accounts.md)"]
    with pytest.raises(ConfigErrors) as exc:
        parse(tmp_path / ACCOUNTS_FILE, "accounts: {}\naccounts: {}\n")
    assert exc.value.lines() == [f"{tmp_path / ACCOUNTS_FILE}: YAML syntax error at line 2, column 1: duplicate key 'accounts': "
                                 "give each field once; fix the YAML syntax"]
    with pytest.raises(UserError) as uexc:
        load_accounts(tmp_path)
    assert uexc.value.message == f"{tmp_path / ACCOUNTS_FILE}: no such file: every product's account must be listed there"


def test_validate_config_checks_the_accounts_file(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(REPO / ACCOUNTS_FILE, repo_copy / ACCOUNTS_FILE)
    name = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
    assert main(["validate-config", name]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{repo_copy / ACCOUNTS_FILE}: valid (1 account(s))"
    config = repo_copy / "products" / f"{name}.yaml"
    config.write_text(config.read_text().replace("account_id: '123456789012'", "account_id: '555555555555'"))
    assert main(["validate-config", name]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{config}: field 'account_id': 555555555555 is not in {repo_copy / ACCOUNTS_FILE}",
        f"hint: add '555555555555' under accounts: in {repo_copy / ACCOUNTS_FILE}, or fix the config's account_id",
        "1 of 1 config(s) invalid"]
    (repo_copy / ACCOUNTS_FILE).write_text("accounts:\n  '555555555555': {name: x}\n")
    assert main(["validate-config", name]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{repo_copy / ACCOUNTS_FILE}: field 'accounts.555555555555.default_region' is missing: add it",
        f"{repo_copy / ACCOUNTS_FILE}: field 'accounts.555555555555.environment' is missing: add it",
        f"{repo_copy / ACCOUNTS_FILE}: invalid"]
