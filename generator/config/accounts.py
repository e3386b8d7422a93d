"""The accounts file (``accounts.yaml`` beside ``products/``): the AWS accounts the products deploy into.

Each account names the roles CI assumes there (plan, deploy, drift; default the ``/mlprov/mlprov-<kind>`` roles
``mlprov bootstrap`` creates, :func:`mlprov.deploypath.account_role_arn`), its default region, and the GitHub
environment its deploy jobs run in. A job assumes its product's account role in the product's own region: one
role cannot serve every product (10 managed policies per role, IAM quotas:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and regulated companies keep dev,
test and prod in separate accounts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from mlprov.config.messages import describe
from mlprov.config.model import Product
from mlprov.config.regions import partition
from mlprov.config.yamlload import YamlSyntaxError, load
from mlprov.deploypath import account_role_arn
from mlprov.errors import ConfigErrors, UserError

ACCOUNTS_FILE = "accounts.yaml"
# file key -> deploypath.ACCOUNT_ROLES kind
ROLE_KINDS = {"plan": "plan", "deploy": "deployer", "drift": "drift"}


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    default_region: str
    environment: str
    production: bool
    roles: dict[str, str]  # "plan" | "deploy" | "drift" -> role ARN


@cache
def _validator() -> Draft202012Validator:
    text = resources.files("mlprov.config").joinpath("schemas", "accounts.schema.json").read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text))


def _semantic(data: dict[str, Any]) -> list[str]:
    """What the schema cannot say: each role lives in its own account; production never shares an environment."""
    problems: list[str] = []
    kinds: dict[str, set[bool]] = {}
    for account_id, acct in data["accounts"].items():
        for key, arn in sorted(acct.get("roles", {}).items()):
            if arn.split(":")[4] != account_id:
                problems.append(f"field 'accounts.{account_id}.roles.{key}': {arn} is in account {arn.split(':')[4]}, "
                                f"not {account_id}; give the role in this account (the OIDC provider's account)")
        kinds.setdefault(acct["environment"], set()).add(bool(acct.get("production", False)))
    for env, flags in sorted(kinds.items()):
        if len(flags) > 1:
            problems.append(f"field 'environment': {env!r} is shared by production and non-production accounts; "
                            "give production accounts their own environment (with required reviewers)")
    return problems


def problems_of(data: Any) -> list[str]:
    """Every problem of the accounts file's content, one line each (empty when valid)."""
    if not isinstance(data, dict):
        return ["the top level must be a mapping: accounts: {'123456789012': {name: ..., ...}}"]
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    found = sorted({describe(e, {}) for e in errors})
    return found or _semantic(data)


def parse(path: Path, text: str) -> dict[str, Account]:
    """The accounts of a file's text; raises ConfigErrors naming every problem."""
    if not text.strip():
        raise ConfigErrors(str(path), ["the file is empty: list the accounts (docs/accounts.md)"])
    try:
        data = load(text)
    except YamlSyntaxError as exc:
        raise ConfigErrors(str(path), [f"{exc}; fix the YAML syntax"]) from exc
    problems = problems_of(data)
    if problems:
        raise ConfigErrors(str(path), problems)
    out: dict[str, Account] = {}
    for account_id, acct in data["accounts"].items():
        part = partition(acct["default_region"])
        roles = {key: acct.get("roles", {}).get(key) or account_role_arn(account_id, kind, part)
                 for key, kind in ROLE_KINDS.items()}
        out[account_id] = Account(account_id, acct["name"], acct["default_region"], acct["environment"],
                                  bool(acct.get("production", False)), roles)
    return out


def load_accounts(root: Path) -> dict[str, Account]:
    """The accounts of the repository at ``root``; a missing file is a usage error naming the fix."""
    path = root / ACCOUNTS_FILE
    if not path.is_file():
        raise UserError(f"{path}: no such file: every product's account must be listed there",
                        hint="add accounts.yaml beside products/ (docs/accounts.md)")
    return parse(path, path.read_text(encoding="utf-8"))


def account_of(accounts: dict[str, Account], product: Product, accounts_path: Path) -> Account:
    """The product's account, or a UserError naming the config's field and the accounts file."""
    try:
        return accounts[product.account_id]
    except KeyError:
        raise UserError(f"{product.path}: field 'account_id': {product.account_id} is not in {accounts_path}",
                        hint=f"add '{product.account_id}' under accounts: in {accounts_path}, "
                             "or fix the config's account_id") from None

