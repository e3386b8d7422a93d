"""GitHub Actions matrices that carry each product's account, region, roles and environment (from accounts.yaml).

Two shapes, both ``{"include": [...]}`` for ``strategy.matrix: ${{ fromJSON(...) }}``:

- by product (the deploy: one job per product, never two deploys of one product at once): ``product``,
  ``account``, ``account_name``, ``region``, ``environment``, ``production``, ``plan_role``, ``deploy_role``,
  ``drift_role``;
- by account (PR previews, the scheduled drift): one entry per account and region with the same fields, ``group``
  (``<account name>-<region>``) and ``products`` (space-separated). A matrix holds at most 256 jobs per workflow
  run (https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs), so a fleet fans out by
  account and region, not by product.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlprov.config.accounts import ACCOUNTS_FILE, Account, account_of, load_accounts
from mlprov.config.loader import load_product
from mlprov.config.model import Product

GROUP_BY = ("product", "account")


def _fields(account: Account, region: str) -> dict[str, Any]:
    return {"account": account.account_id, "account_name": account.name, "region": region,
            "environment": account.environment, "production": account.production,
            "plan_role": account.roles["plan"], "deploy_role": account.roles["deploy"], "drift_role": account.roles["drift"]}


def _placed(root: Path, names: list[str]) -> list[tuple[Product, Account]]:
    accounts = load_accounts(root)
    products = [load_product(root / "products" / f"{name}.yaml") for name in names]
    return [(p, account_of(accounts, p, root / ACCOUNTS_FILE)) for p in products]


def by_product(root: Path, names: list[str]) -> list[dict[str, Any]]:
    """One entry per product, in the order given."""
    return [{"product": p.name, **_fields(a, p.region)} for p, a in _placed(root, names)]


def by_account(root: Path, names: list[str]) -> list[dict[str, Any]]:
    """One entry per (account, region), sorted by account name then region; products sorted within."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for p, a in _placed(root, names):
        entry = groups.setdefault((a.name, p.region), {"group": f"{a.name}-{p.region}", **_fields(a, p.region), "products": []})
        entry["products"].append(p.name)
    out = []
    for key in sorted(groups):
        entry = groups[key]
        entry["products"] = " ".join(sorted(entry["products"]))
        out.append(entry)
    return out


def matrix(root: Path, names: list[str], group_by: str = "product") -> dict[str, list[dict[str, Any]]]:
    entries = by_product(root, names) if group_by == "product" else by_account(root, names)
    return {"include": entries}
