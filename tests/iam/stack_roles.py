"""The identity policies (and boundary) of each role of a rendered stack, resolved for the IAM oracle.

The intrinsics the role policies hold become what CloudFormation would resolve them to, with realistic ids: the
stack key's ARN (``Fn::GetAtt: [KmsKey, Arn]``, ``key_arn``), the build security group's id (``Fn::Sub`` of
``${BuildSecurityGroup.GroupId}``, ``SG_ID``) and the subnet ids of an SSM-resolved network (``Ref: SubnetIds``
inside ``Fn::Join`` / ``Fn::Sub`` / ``Fn::Split``, ``SSM_SUBNETS``). Any other intrinsic fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render

KEY_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def key_arn(product: Product) -> str:
    return f"arn:aws:kms:{product.region}:{product.account_id}:key/{KEY_ID}"


SG_ID = "sg-0b1c2d3e4f5a69788"  # what EC2 picks for the build security group
SSM_SUBNETS = ["subnet-0c1d2e3f4a5b69781", "subnet-0c1d2e3f4a5b69782"]  # the SSM parameter's value
GET_ATTS = {("BuildSecurityGroup", "GroupId"): SG_ID}


def _sub(text: str, variables: dict[str, Any], product: Product) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in variables:
            return str(variables[name])
        if "." in name and tuple(name.split(".", 1)) in GET_ATTS:
            return GET_ATTS[(name.split(".", 1)[0], name.split(".", 1)[1])]
        value = _ref(name, product)
        if not isinstance(value, str):
            raise AssertionError(f"unresolved ${{{name}}} in a role policy's Fn::Sub: {text}")
        return value

    return re.sub(r"\$\{([^}!]+)\}", one, text)


def _ref(name: str, product: Product) -> str | list[str]:
    pseudo = {"AWS::Region": product.region, "AWS::AccountId": product.account_id, "AWS::Partition": product.partition}
    if name in pseudo:
        return pseudo[name]
    if name == "SubnetIds":
        return [str(s) for s in product.network.get("subnet_ids") or SSM_SUBNETS]
    raise AssertionError(f"unresolved Ref in a role policy: {name}")


def _resolve(node: Any, product: Product) -> Any:
    if isinstance(node, dict):
        if node == {"Fn::GetAtt": ["KmsKey", "Arn"]}:
            return key_arn(product)
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return _ref(arg, product)
            if key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], _resolve(arg[1], product))
                return _sub(text, variables, product)
            if key == "Fn::Join":
                return str(arg[0]).join(_resolve(arg[1], product))
            if key == "Fn::Split":
                return str(_resolve(arg[1], product)).split(str(arg[0]))
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
