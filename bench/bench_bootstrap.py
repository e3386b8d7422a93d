"""Figures of the bootstrap at account scale (issues 10 and 14): the account roles of all 27 examples in one account
(policies and sizes), the bootstrap templates' sizes against CloudFormation's limits, what one enterprise product adds
to each account role, how many enterprise products one account role holds (synthetic products: an enterprise
example with other app ids), and the IAM oracle's request counts for the account roles. Prints figures; not a test.

Run from the repository root: ``PYTHONPATH=. .venv/bin/python bench/bench_bootstrap.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from mlprov.access import namespace
from mlprov.access.bootstrap import account_policies, stacks
from mlprov.access.grants import PolicyError
from mlprov.access.packing import pack_statements
from mlprov.access.principals import contract, iam_size
from mlprov.access.trust import TrustSettings
from mlprov.aws.templatesource import choose
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render

from tests.conftest import PRODUCTS, REPO

ACCOUNT = "123456789012"
KINDS = ("deployer", "plan", "drift")
SYNTHETIC = "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm"


def _pairs(paths: list[Path]) -> list[tuple[Product, dict[str, Any]]]:
    return [(p, render(p)[1]) for p in (load_product(x) for x in paths)]


def _compressed(pairs: list[tuple[Product, dict[str, Any]]], compress: bool = True) -> dict[str, list[list[dict[str, Any]]]]:
    out: dict[str, list[list[dict[str, Any]]]] = {k: [] for k in KINDS}
    for product, template in pairs:
        for principal in contract(product, template)["principals"]:
            if principal["kind"] in KINDS:
                statements = [st for doc in principal["policies"] for st in doc["Statement"]]
                out[principal["kind"]].append(namespace.compress(statements, product.names.stack) if compress else statements)
    return out


def examples() -> None:
    pairs = _pairs(PRODUCTS)
    print(f"all {len(pairs)} examples in account {ACCOUNT}:")
    for kind, docs in account_policies(ACCOUNT, pairs).items():
        sizes = [iam_size(d) for d in docs]
        print(f"  {kind:<9} {len(docs)} managed policies (limit 10), {sum(sizes):,} characters: {sizes} (limit 6,144 each)")
    for kind, lists in _compressed(pairs, compress=False).items():
        docs = pack_statements(namespace.merge(lists), kind, max_policies=1000)
        print(f"  {kind:<9} without name-space compression (exact ARNs, same merge and packing): {len(docs)} managed policies, "
              f"{sum(iam_size(d) for d in docs):,} characters")
    for boot in stacks(pairs, TrustSettings()):
        source = choose(boot.text(), boot.template, boot.account, boot.region)
        if "service-roles" not in boot.folder:
            print(f"  {boot.name:<48} {len(boot.text().encode()):>7,} bytes as YAML -> {source.kind} ({source.size:,} bytes)")
    roles = [boot for boot in stacks(pairs, TrustSettings()) if "service-roles" in boot.folder]
    sizes = sorted(len(b.text().encode()) for b in roles)
    print(f"  {len(roles)} service-role stacks: {sizes[0]:,} .. {sizes[-1]:,} bytes as YAML")


def capacity(limit: int = 40) -> None:
    """Add synthetic enterprise products (other app ids) until a role needs more than 10 managed policies."""
    base = yaml.safe_load((REPO / "products" / f"{SYNTHETIC}.yaml").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(limit):
            app = f"b{500 + i}"
            path = Path(tmp) / "products" / SYNTHETIC.replace("b003", app)
            path.parent.mkdir(exist_ok=True)
            path.with_suffix(".yaml").write_text(yaml.safe_dump({**base, "app_id": app}, sort_keys=False))
            paths.append(path.with_suffix(".yaml"))
        per_kind = _compressed(_pairs(paths))
    print(f"synthetic enterprise products ({SYNTHETIC} with app ids b500..):")
    for kind in KINDS:
        sizes: list[int] = []
        held = 0
        for n in range(1, limit + 1):
            try:
                docs = pack_statements(namespace.merge(per_kind[kind][:n]), kind)
            except PolicyError:
                break
            held = n
            sizes.append(sum(iam_size(d) for d in docs))
        step = (sizes[-1] - sizes[0]) / max(1, len(sizes) - 1)
        print(f"  {kind:<9} holds {held}{'+' if held == limit else ''} enterprise products in 10 managed policies; "
              f"one product adds about {step:,.0f} characters (1 product: {sizes[0]:,}, {held}: {sizes[-1]:,})")


def oracle() -> None:
    from tests.iam import test_account_roles as t  # noqa: PLC0415

    for kind in KINDS:
        suff = t._sufficiency(kind)
        denied = [x for x in t._run(kind, suff) if not x[1].allowed]
        print(f"  oracle {kind:<9} sufficiency: {len(suff):,} requests, {len(denied)} denied")


def main() -> None:
    examples()
    capacity()
    oracle()


if __name__ == "__main__":
    main()
