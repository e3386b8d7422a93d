"""IAM for the review report: every role's trust, boundary and policies (inline, attached managed, standalone
AWS::IAM::Policy), and the committed access files (every deploy-path principal)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlprov.errors import UserError
from mlprov.reports.intrinsics import references, short


@dataclass(frozen=True)
class StatementView:
    sid: str
    effect: str
    actions: list[str]
    resources: list[str]
    condition: str = ""
    principal: str = ""


@dataclass(frozen=True)
class PolicyView:
    name: str
    origin: str  # "inline", "managed (ManagedPolicyLogicalId)", "AWS::IAM::Policy ...", "AWS managed", "deployer policy file"
    statements: list[StatementView] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class RoleView:
    logical_id: str
    name: str
    trusted: list[str]
    boundary: str
    policies: list[PolicyView]


def _list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else ([] if value is None else [value])
    return [short(v) for v in items]


def _principal(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {', '.join(_list(v))}" for k, v in value.items())
    return short(value)


def statements(document: Any) -> list[StatementView]:
    raw = (document or {}).get("Statement", []) if isinstance(document, dict) else []
    out = []
    for s in raw if isinstance(raw, list) else [raw]:
        actions = _list(s.get("Action")) or [f"NOT {a}" for a in _list(s.get("NotAction"))]
        resources = _list(s.get("Resource")) or [f"NOT {r}" for r in _list(s.get("NotResource"))]
        condition = json.dumps(s["Condition"], sort_keys=True) if s.get("Condition") else ""
        principal = _principal(s.get("Principal")) if "Principal" in s else ""
        out.append(StatementView(str(s.get("Sid", "")), str(s.get("Effect", "")), actions, resources, condition, principal))
    return out


def _targets(value: Any) -> set[str]:
    return {name for name, _kind in references(value)}


def roles(template: dict[str, Any]) -> list[RoleView]:
    """Every AWS::IAM::Role of the template with each policy that grants it permissions."""
    res: dict[str, Any] = template.get("Resources") or {}
    out = []
    for lid, body in res.items():
        if (body or {}).get("Type") != "AWS::IAM::Role":
            continue
        p = body.get("Properties") or {}
        policies = [PolicyView(str(ip.get("PolicyName", "")), "inline", statements(ip.get("PolicyDocument")))
                    for ip in p.get("Policies") or []]
        for arn in p.get("ManagedPolicyArns") or []:
            target = next(iter(_targets(arn) & set(res)), None)
            if target:
                mp = res[target].get("Properties") or {}
                policies.append(PolicyView(short(mp.get("ManagedPolicyName")) or target, f"managed policy {target}",
                                           statements(mp.get("PolicyDocument"))))
            else:
                policies.append(PolicyView(short(arn), "AWS managed", note="document not in the template"))
        for other, ob in res.items():
            op = (ob or {}).get("Properties") or {}
            if ob.get("Type") in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"} and lid in _targets(op.get("Roles")):
                policies.append(PolicyView(short(op.get("PolicyName") or op.get("ManagedPolicyName")) or other,
                                           f"{ob['Type']} {other}", statements(op.get("PolicyDocument"))))
        trusted = [st.principal for st in statements(p.get("AssumeRolePolicyDocument")) if st.principal]
        out.append(RoleView(lid, short(p.get("RoleName")) or lid, trusted,
                            short(p.get("PermissionsBoundary")) or "none", policies))
    return out


def deployer_policies(folder: Path) -> list[PolicyView]:
    """The committed access files of a product (``access/<kind>.json``): one view per policy of each principal."""
    out = []
    order = ("deployer", "cloudformation-service-role", "plan", "drift")
    files = sorted((folder / "access").glob("*.json"), key=lambda p: (order.index(p.stem) if p.stem in order else 9, p.name))
    for path in files:
        try:
            principal = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})",
                            hint="run `mlprov render` to write it again") from exc
        docs = principal.get("policies", []) if isinstance(principal, dict) else []
        for i, doc in enumerate(docs):
            label = f"{principal.get('kind', path.stem)} {principal.get('name', '')}".strip()
            out.append(PolicyView(f"{path.name} #{i + 1}", label, statements(doc)))
    return out
