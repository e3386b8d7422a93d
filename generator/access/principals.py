"""The machine-readable contract of a product's deploy path: every principal with all its identity policies.

``{"product": NAME, "principals": [{"name", "kind", "arn", "trust", "boundary", "policies": [DOC, ...]}]}``,
kinds ``deployer`` | ``cloudformation-service-role`` | ``plan`` | ``drift``. Each principal's statements are packed
into IAM managed policy documents of at most 6,144 characters (whitespace not counted), at most
:data:`MAX_POLICIES` per role (IAM quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mlprov.access import accountroles, servicerole, trust
from mlprov.access.grants import PolicyError
from mlprov.access.scoping import Ctx
from mlprov.config.model import Product
from mlprov.deploypath import ACCOUNT_ROLES, account_role_arn, service_role_name

MANAGED_POLICY_LIMIT = 6144
MAX_POLICIES = 10
KIND_ORDER = ("deployer", "cloudformation-service-role", "plan", "drift")


# What json.dumps(document, separators=(",", ":")) builds for every call (its other arguments the defaults):
# one encoder for them all, the same text.
_COMPACT = json.JSONEncoder(separators=(",", ":"))


def iam_size(document: Mapping[str, Any]) -> int:
    """Characters IAM counts: the JSON without whitespace outside strings."""
    return len(_COMPACT.encode(document))


def _doc(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


EMPTY_DOC_SIZE = iam_size(_doc([]))


def pack(statements: list[dict[str, Any]], name: str, limit: int = MANAGED_POLICY_LIMIT) -> list[dict[str, Any]]:
    docs: list[list[dict[str, Any]]] = [[]]
    size = EMPTY_DOC_SIZE  # iam_size of the last document: compact JSON adds a statement's size and one comma
    for st in statements:
        own = iam_size(st)
        if EMPTY_DOC_SIZE + own > limit:
            raise PolicyError(f"{name}: statement {st['Sid']} alone exceeds {limit} characters")
        if docs[-1] and size + 1 + own > limit:
            docs.append([])
            size = EMPTY_DOC_SIZE
        size += own + (1 if docs[-1] else 0)
        docs[-1].append(st)
    if len(docs) > MAX_POLICIES:
        raise PolicyError(f"{name}: {len(docs)} managed policies, over IAM's {MAX_POLICIES} per role")
    return [_doc(d) for d in docs if d]


def principals(product: Product, template: Mapping[str, Any],
               settings: trust.TrustSettings | None = None) -> list[dict[str, Any]]:
    settings = settings or trust.TrustSettings()
    acct, part = product.account_id, product.partition
    out: list[dict[str, Any]] = []
    # One scoping context for the four: each reads it only (its memos are functions of its product and template).
    ctx = Ctx(product, template)
    for kind in KIND_ORDER:
        if kind == "cloudformation-service-role":
            name = service_role_name(product.names.stack)
            arn = accountroles.service_role_arn(product)
            trust_doc: dict[str, Any] | None = trust.service_role()
            statements = servicerole.statements(product, template, ctx)
        else:
            name = ACCOUNT_ROLES[kind]
            arn = account_role_arn(acct, kind, part)
            trust_doc = trust.account_role(kind, acct, part, settings)
            statements = accountroles.statements(kind, product, template, ctx)
        out.append({"name": name, "kind": kind, "arn": arn, "trust": trust_doc, "boundary": None,
                    "policies": pack(statements, f"{kind} of {product.names.stack}")})
    return out


def contract(product: Product, template: Mapping[str, Any], settings: trust.TrustSettings | None = None) -> dict[str, Any]:
    return {"product": product.names.stack, "principals": principals(product, template, settings)}
