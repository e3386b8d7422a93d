"""Privilege-escalation scan of generated IAM documents, with cloudsplaining's rules (Rhino Security Labs' methods).

Two views of each document:

- cloudsplaining's own: escalation methods, and permissions-management actions, allowed on ``"*"``;
- resource-blind, stricter: the methods that act on *users or groups* (no product has any), matched against every
  allowed action whatever its resource. The product's own roles and policies legitimately need role methods
  (PutRolePolicy on the SageMaker role, ...): those are bounded by ARN and condition, and checked by the oracle.

A finding names the document (principal kind, policy index, or the template's logical id) and the method.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

USER_GROUP_METHODS = ("AttachUserPolicy", "AttachGroupPolicy", "PutUserPolicy", "PutGroupPolicy", "CreateAccessKey",
                      "CreateLoginProfile", "UpdateLoginProfile", "AddUserToGroup")


@dataclass(frozen=True)
class Escalation:
    where: str
    check: str  # "escalation-on-*", "permissions-management-on-*", "user-or-group-method"
    detail: str

    def line(self) -> str:
        return f"{self.where}: {self.check}: {self.detail}"


def _documents(template: Mapping[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for logical, res in template.get("Resources", {}).items():
        props = res.get("Properties", {})
        if res.get("Type") in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            yield logical, props["PolicyDocument"]
        for pol in props.get("Policies", []) if res.get("Type") == "AWS::IAM::Role" else []:
            yield f"{logical}/{pol['PolicyName']}", pol["PolicyDocument"]


def scan_document(where: str, document: Mapping[str, Any]) -> list[Escalation]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from cloudsplaining.scan.policy_document import PolicyDocument  # noqa: PLC0415
        from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS  # noqa: PLC0415

    doc = PolicyDocument(json.loads(json.dumps(document)))
    out = [Escalation(where, "escalation-on-*", e["type"]) for e in doc.allows_privilege_escalation]
    out += [Escalation(where, "permissions-management-on-*", a) for a in doc.permissions_management_without_constraints]
    allowed = {a.lower() for a in doc.all_allowed_actions}
    out += [Escalation(where, "user-or-group-method", m) for m in USER_GROUP_METHODS
            if set(PRIVILEGE_ESCALATION_METHODS[m]) <= allowed]
    return out


def scan(contract: Mapping[str, Any], template: Mapping[str, Any] | None = None) -> list[Escalation]:
    """Every escalation finding in a product's deploy-path principals (and its template's own IAM documents)."""
    found: list[Escalation] = []
    for principal in contract["principals"]:
        for i, doc in enumerate(principal["policies"]):
            found += scan_document(f"{principal['kind']} policy {i + 1}", doc)
    for where, doc in _documents(template or {}):
        found += scan_document(f"template {where}", doc)
    return found
