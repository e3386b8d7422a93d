"""The account roles' statements: each product's exact statements compressed to its name space, then merged.

The account-level principals (deploy, plan, drift) hold the union of their account's products anyway. Listing every
product's every resource ARN makes a role grow per resource (about 10.5 k characters per enterprise product: no
account role could hold more than about 5). Here each product's ARNs are cut to the product's **name space**
before merging: an ARN whose resource part holds the product's prefix ``P`` (its stack name, which starts every
physical name, test copies ``P-t??????`` included) at a name boundary becomes ``<partition:service:region:account:
type/...>P-*`` (or ``P/*``, ``P:*``: the separator that follows ``P`` in that ARN is kept, so ``P-*`` never matches
a product ``Px``). Kept exactly as the product's contract has them:

- ARNs without the prefix: the template bucket's ``templates/*`` objects, the VPC and subnets, the network's SSM
  parameters, the ``key/*`` / ``security-group/*`` ARNs scoped by the ``mlprov:product`` tag condition;
- ARNs where the name ends at ``P`` (the model package group ``P``: ``P*`` would match ``Px``);
- every statement granting ``iam:PassRole``: the service role ``P-cfn`` only, with ``iam:PassedToService``
  (a ``P-*`` role pattern would let CloudFormation run with the product's CodeBuild role);
- every condition (``cloudformation:RoleArn`` = the product's service role stays on the product's own stacks).

So the account roles are a documented superset of the per-product contract (``create-policy --json``, unchanged):
everything named in the account's products' name spaces, nothing else (``tests/iam/test_account_roles.py``).
A workload sibling ``P-blue`` lies in ``P``'s name space (same organization, environment, app id, region and use
case): a role of an account that holds ``P`` may read and change-set ``P-blue``'s stack (with ``P``'s service
role only, which cannot touch ``P-blue``'s resources).

Merging: per resource, the union of the actions granted on it (under one condition); resources with the same
actions and condition form one statement; statements with the same actions and resources whose condition is one
non-negated operator on one key (the products' ``mlprov:product`` tag values) join their values (IAM ORs the
values of one key: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

SEPARATORS = "-/:"
PASSES_A_ROLE = "iam:PassRole"


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def compress_arn(arn: str, prefix: str) -> str:
    """``arn`` cut to ``prefix``'s name space (``...prefix-*``), or ``arn`` itself when it is not in it."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or not prefix:
        return arn
    res = parts[5]
    start = res.find(prefix)
    while start > 0 and res[start - 1] not in "/:":
        start = res.find(prefix, start + 1)  # the prefix must begin a name (or a path element)
    if start < 0:
        return arn
    end = start + len(prefix)
    if end >= len(res) or res[end] not in SEPARATORS:
        return arn  # the name ends at the prefix, or continues it (``Px``): not a name-space boundary
    return ":".join([*parts[:5], res[: end + 1] + "*"])


def compress(statements: Iterable[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """The statements with their resources cut to ``prefix``'s name space (``iam:PassRole`` ones unchanged)."""
    out: list[dict[str, Any]] = []
    for st in statements:
        actions = _as_list(st["Action"])
        resources = _as_list(st["Resource"])
        if PASSES_A_ROLE not in actions:
            resources = sorted({compress_arn(r, prefix) for r in resources})
        out.append({**st, "Action": actions, "Resource": resources})
    return out


def covers(pattern: str, other: str) -> bool:
    """Whether every string ``other`` matches also matches ``pattern`` (sound, not complete): ``pattern`` ends in
    ``*`` and ``other`` starts with the rest of it, character for character (wildcards included)."""
    return pattern != other and pattern.endswith("*") and other.startswith(pattern[:-1])


def drop_covered(resources: Iterable[str]) -> list[str]:
    """The resources without those another one covers (``P-blue-*`` under ``P-*``: a workload sibling)."""
    items = sorted(set(resources))
    wide = [r for r in items if r.endswith("*")]
    return [r for r in items if not any(covers(w, r) for w in wide)]


def _cond_key(condition: Any) -> str:
    return json.dumps(condition or {}, sort_keys=True)


def _joinable(condition: dict[str, Any]) -> tuple[str, str] | None:
    """(operator, key) when the condition is one non-negated operator on one key (values may then be ORed)."""
    if len(condition) != 1:
        return None
    (operator, body), = condition.items()
    if "Not" in operator or operator.startswith("Null") or not isinstance(body, dict) or len(body) != 1:
        return None
    return operator, next(iter(body))


def merge(statement_lists: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One set of statements granting exactly the union of the given ones (see the module docstring)."""
    per_resource: dict[tuple[str, str], set[str]] = defaultdict(set)
    for statements in statement_lists:
        for st in statements:
            for res in _as_list(st["Resource"]):
                per_resource[(_cond_key(st.get("Condition")), res)] |= set(_as_list(st["Action"]))
    grouped: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    for (cond, res), actions in per_resource.items():
        grouped[(tuple(sorted(actions)), cond)].add(res)
    grouped = {key: set(drop_covered(resources)) for key, resources in grouped.items()}
    joined: dict[tuple[Any, ...], dict[str, Any]] = {}
    for (action_set, cond), resources in grouped.items():
        condition = json.loads(cond)
        join = _joinable(condition) if condition else None
        key: tuple[Any, ...] = (action_set, tuple(sorted(resources)), join or cond)
        if join and key in joined:
            operator, ckey = join
            values = set(_as_list(joined[key]["Condition"][operator][ckey])) | set(_as_list(condition[operator][ckey]))
            joined[key]["Condition"] = {operator: {ckey: sorted(values)}}
            continue
        joined[key] = {"Action": list(action_set), "Resource": sorted(resources), "Condition": condition}
    return _finish(sorted(joined.values(), key=lambda s: (s["Resource"] == ["*"], bool(s["Condition"]), s["Action"],
                                                           s["Resource"])))


def _sid(st: dict[str, Any]) -> str:
    services = sorted({a.split(":")[0] for a in st["Action"]})
    words = "".join(w.capitalize() for s in services for w in re.split(r"[^a-z0-9]+", s) if w)
    if st["Resource"] == ["*"]:
        return "NoResourceLevelPermissions" if not st["Condition"] else f"{words}CreateTagged"
    return f"{words}{'Conditioned' if st['Condition'] else 'InTheProductsNameSpaces'}"


def _finish(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    used: set[str] = set()
    out: list[dict[str, Any]] = []
    for st in statements:
        base = sid = _sid(st)
        n = 1
        while sid in used:
            n += 1
            sid = f"{base}{n}"
        used.add(sid)
        acts, res = st["Action"], st["Resource"]
        item: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Action": acts if len(acts) > 1 else acts[0],
                                "Resource": res if len(res) > 1 else res[0]}
        if st["Condition"]:
            item["Condition"] = st["Condition"]
        out.append(item)
    return out
