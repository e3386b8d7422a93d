"""Packing many statements into IAM managed policies: split what is too large alone, then first-fit decreasing.

IAM's limits: a managed policy document of at most 6,144 characters (whitespace not counted), at most 10 managed
policies per role (IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
A statement over the limit alone (an account role's statement naming many products' resources, or their tag
values) is split into statements with the same actions and condition over parts of its resources (or of its one
joined condition's values): IAM allows a request when any statement allows it, so the split grants the same.
"""

from __future__ import annotations

from typing import Any

from mlprov.access.grants import PolicyError
from mlprov.access.principals import MANAGED_POLICY_LIMIT, MAX_POLICIES, iam_size

OVERHEAD = iam_size({"Version": "2012-10-17", "Statement": []})


def _one_doc_size(st: dict[str, Any]) -> int:
    return iam_size({"Version": "2012-10-17", "Statement": [st]})


def _halves(values: list[str]) -> tuple[list[str], list[str]]:
    mid = len(values) // 2
    return values[:mid], values[mid:]


def _part(value: list[str]) -> str | list[str]:
    return value if len(value) > 1 else value[0]


def split(st: dict[str, Any], limit: int = MANAGED_POLICY_LIMIT) -> list[dict[str, Any]]:
    """``st`` as statements that each fit one managed policy (Sids suffixed ``A``/``B``...)."""
    if _one_doc_size(st) <= limit:
        return [st]
    resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
    if len(resources) > 1:
        parts = [{**st, "Sid": f"{st['Sid']}{tag}", "Resource": _part(half)}
                 for tag, half in zip("AB", _halves(resources), strict=True)]
        return [s for p in parts for s in split(p, limit)]
    cond = st.get("Condition") or {}
    if len(cond) == 1:
        (operator, body), = cond.items()
        if len(body) == 1:
            (key, values), = body.items()
            if isinstance(values, list) and len(values) > 1:
                parts = [{**st, "Sid": f"{st['Sid']}{tag}", "Condition": {operator: {key: _part(half)}}}
                         for tag, half in zip("AB", _halves(values), strict=True)]
                return [s for p in parts for s in split(p, limit)]
    raise PolicyError(f"statement {st['Sid']} alone exceeds {limit} characters and cannot be split")


def pack_statements(statements: list[dict[str, Any]], name: str, limit: int = MANAGED_POLICY_LIMIT,
                    max_policies: int = MAX_POLICIES) -> list[dict[str, Any]]:
    """Managed policy documents holding every statement (first-fit decreasing); PolicyError past ``max_policies``."""
    pieces = [s for st in statements for s in split(st, limit)]
    sizes = {id(s): iam_size(s) for s in pieces}
    bins: list[tuple[int, list[dict[str, Any]]]] = []  # (used characters, statements)
    for st in sorted(pieces, key=lambda s: (-sizes[id(s)], s["Sid"])):
        need = sizes[id(st)] + 1  # the comma between statements
        for i, (used, docs) in enumerate(bins):
            if used + need <= limit:
                bins[i] = (used + need, [*docs, st])
                break
        else:
            bins.append((OVERHEAD + sizes[id(st)], [st]))
    if len(bins) > max_policies:
        raise PolicyError(f"{name}: {len(bins)} managed policies, over IAM's {max_policies} per role")
    out: list[dict[str, Any]] = [{"Version": "2012-10-17", "Statement": sorted(docs, key=lambda s: s["Sid"])} for _used, docs in bins]
    for doc in out:
        if iam_size(doc) > limit:  # the arithmetic above is exact; this guards it
            raise PolicyError(f"{name}: a packed policy is {iam_size(doc)} characters, over {limit}")
    return out
