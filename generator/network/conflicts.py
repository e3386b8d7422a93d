"""Static check: at most one product of the repository creates the private-DNS endpoints of a VPC.

AWS allows one private-DNS interface endpoint per service per VPC ("private-dns-enabled cannot be set because
there is already a conflicting DNS domain"; AWS PrivateLink Guide, "Manage DNS names for VPC endpoint
services" / "Private DNS for interface endpoints"). Two configs of this repository with ``network.endpoints:
create`` in the same VPC can therefore never both deploy; this check refuses that from the files alone.
What it cannot see (a VPC named by two different SSM parameters, endpoints the network team created, hosted
zones) is the forecast's job against AWS.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlprov.config.model import Product


def vpc_key(product: Product) -> tuple[str, str, str] | None:
    """(account, region, VPC reference) of an enterprise product; None for other tiers."""
    if product.tier != "enterprise":
        return None
    net = product.network
    ref = str(net["vpc_id"]) if net.get("vpc_resolution") == "direct" else f"SSM parameter {net['vpc_id_parameter']}"
    return (product.account_id, product.region, ref)


def conflicts(product: Product, others: Iterable[Product]) -> list[str]:
    """One line per other product that also creates the endpoints of ``product``'s VPC."""
    key = vpc_key(product)
    if key is None or product.endpoints_mode != "create":
        return []
    out = []
    for other in sorted(others, key=lambda p: p.path.name):
        if other.path.resolve() == product.path.resolve() or other.endpoints_mode != "create":
            continue
        if vpc_key(other) == key:
            out.append(
                f"field 'network.endpoints': create, but {other.path.name} also creates the private-DNS endpoints "
                f"of VPC {key[2]} ({key[1]}); AWS allows one per service per VPC: set 'endpoints: existing' in one of them"
            )
    return out
