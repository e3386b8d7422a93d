"""The identity policies (and boundary) of each role of a rendered stack, resolved for the IAM oracle.

The only intrinsic the role policies hold is the stack key's ARN (``Fn::GetAtt: [KmsKey, Arn]``); it becomes a
concrete key ARN of the product's account and region (``key_arn``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render

KEY_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def key_arn(product: Product) -> str:
    return f"arn:aws:kms:{product.region}:{product.account_id}:key/{KEY_ID}"


def _resolve(node: Any, product: Product) -> Any:
    if isinstance(node, dict):
        if node == {"Fn::GetAtt": ["KmsKey", "Arn"]}:
            return key_arn(product)
        if any(k.startswith("Fn::") or k == "Ref" for k in node):
            raise AssertionError(f"unresolved intrinsic in a role policy: {node}")
        return {k: _resolve(v, product) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, product) for v in node]
    return node


def role_policies(path: Path) -> tuple[Product, dict[str, list[dict[str, Any]]], dict[str, Any] | None, dict[str, Any]]:
    """(product, identity policy documents by role logical id, boundary document or None, template)."""
    product = load_product(path)
    template = render(product)[1]
    res = template["Resources"]
    docs: dict[str, list[dict[str, Any]]] = {}
    for lid, r in res.items():
        if r["Type"] != "AWS::IAM::Role":
            continue
        docs[lid] = [p["PolicyDocument"] for p in r["Properties"].get("Policies", [])]
        for ref in r["Properties"].get("ManagedPolicyArns", []):
            docs[lid].append(res[ref["Ref"]]["Properties"]["PolicyDocument"])
    for r in res.values():
        if r["Type"] == "AWS::IAM::Policy":
            for role in r["Properties"]["Roles"]:
                docs[role["Ref"]].append(r["Properties"]["PolicyDocument"])
    boundary = res.get("PermissionBoundaryPolicy", {}).get("Properties", {}).get("PolicyDocument")
    return (product, {k: _resolve(v, product) for k, v in docs.items()},
            _resolve(boundary, product) if boundary else None, template)
