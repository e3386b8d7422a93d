"""Privilege-escalation scan of generated IAM documents, with cloudsplaining's rules (Rhino Security Labs' methods).

Two views of each document:

- cloudsplaining's own: escalation methods, and permissions-management actions, allowed on ``"*"`` without a
  condition (cloudsplaining treats any ``Condition`` as a constraint; conditions are proved by the IAM oracle tests);
- resource-blind, stricter: the methods that act on *users or groups* (no product has any), matched against every
  allowed action whatever its resource or condition. The product's own roles and policies legitimately need role
  methods (PutRolePolicy on the SageMaker role, ...): those are bounded by ARN and condition, and checked by the oracle.

A :class:`Document` names where an IAM document lives: a deploy-path principal's policy or boundary
(``deployer/policy-1``, ``cloudformation-service-role/boundary``) or a template resource (its logical id). Template
documents may hold CloudFormation intrinsics; :mod:`mlprov.access.plaindoc` turns them into plain IAM JSON first.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlprov.access.plaindoc import plain_document

USER_GROUP_METHODS = ("AttachUserPolicy", "AttachGroupPolicy", "PutUserPolicy", "PutGroupPolicy", "CreateAccessKey",
                      "CreateLoginProfile", "UpdateLoginProfile", "AddUserToGroup")
IAM_POLICY_TYPES = ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy",
                    "AWS::IAM::GroupPolicy")
INLINE_POLICY_TYPES = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")


@dataclass(frozen=True)
class Document:
    """One IAM document and where it lives: ``resource`` (the gate's location) and ``part`` (what inside it)."""

    resource: str  # "deployer/policy-1" | "drift/boundary" | a template logical id
    part: str  # "policy 1" | "boundary" | "inline policy <name>" | "AWS::IAM::ManagedPolicy"
    document: Mapping[str, Any]
    principal: str = ""  # the principal kind, empty for a template resource

    @property
    def where(self) -> str:
        if self.principal:
            return f"{self.principal} {self.part}"
        return f"template {self.resource}" + (f"/{self.part.removeprefix('inline policy ')}" if self.part.startswith("inline") else "")


@dataclass(frozen=True)
class Escalation:
    where: str
    check: str  # "escalation-on-*", "permissions-management-on-*", "user-or-group-method"
    detail: str  # the method (escalation-on-*, user-or-group-method) or the action (permissions-management-on-*)
    actions: tuple[str, ...] = ()  # the method's actions, lower case as cloudsplaining lists them

    def line(self) -> str:
        return f"{self.where}: {self.check}: {self.detail}"


def principal_documents(contract: Mapping[str, Any]) -> list[Document]:
    """Every policy and the boundary (when there is one) of every principal of a ``create-policy --json`` contract."""
    out: list[Document] = []
    for principal in contract["principals"]:
        kind = str(principal["kind"])
        out += [Document(f"{kind}/policy-{i}", f"policy {i}", doc, kind) for i, doc in enumerate(principal["policies"], 1)]
        if principal.get("boundary"):
            out.append(Document(f"{kind}/boundary", "boundary", principal["boundary"], kind))
    return out


def template_documents(template: Mapping[str, Any]) -> list[Document]:
    """Every identity-policy document of a template: IAM policy resources, and the inline policies of roles, users, groups.

    Anything that is not shaped like CloudFormation's IAM resources (hostile or broken input) is skipped here:
    cfn-lint reports it. Trust policies (AssumeRolePolicyDocument) grant nothing to the role and are not scanned.
    """
    resources = template.get("Resources")
    out: list[Document] = []
    for logical, res in (resources.items() if isinstance(resources, Mapping) else []):
        props = res.get("Properties") if isinstance(res, Mapping) else None
        if not isinstance(props, Mapping):
            continue
        kind = res.get("Type")
        if kind in IAM_POLICY_TYPES and (doc := _policy(props.get("PolicyDocument"))) is not None:
            out.append(Document(str(logical), str(kind), doc))
        policies = props.get("Policies") if kind in INLINE_POLICY_TYPES else None
        for pol in policies if isinstance(policies, list) else []:
            if isinstance(pol, Mapping) and (doc := _policy(pol.get("PolicyDocument"))) is not None:
                out.append(Document(str(logical), f"inline policy {pol.get('PolicyName', '?')}", doc))
    return out


def _policy(value: Any) -> Mapping[str, Any] | None:
    """A PolicyDocument (CloudFormation type ``Json``): a mapping, or a string holding a JSON object (scanned too:
    whether every handler accepts the string form is not documented, so the scan assumes it does)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None


def scan_document(where: str, document: Mapping[str, Any]) -> list[Escalation]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from cloudsplaining.scan.policy_document import PolicyDocument  # noqa: PLC0415
        from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS  # noqa: PLC0415

    doc = PolicyDocument(plain_document(document))
    out = [Escalation(where, "escalation-on-*", e["type"], tuple(e["actions"])) for e in doc.allows_privilege_escalation]
    out += [Escalation(where, "permissions-management-on-*", a) for a in doc.permissions_management_without_constraints]
    allowed = {a.lower() for a in doc.all_allowed_actions}
    out += [Escalation(where, "user-or-group-method", m, tuple(PRIVILEGE_ESCALATION_METHODS[m])) for m in USER_GROUP_METHODS
            if set(PRIVILEGE_ESCALATION_METHODS[m]) <= allowed]
    return list(dict.fromkeys(out))  # two statements granting the same action: one finding


def documents(contract: Mapping[str, Any], template: Mapping[str, Any] | None = None) -> Iterable[Document]:
    yield from principal_documents(contract)
    yield from template_documents(template or {})


def scan(contract: Mapping[str, Any], template: Mapping[str, Any] | None = None) -> list[Escalation]:
    """Every escalation finding in a product's deploy-path principals (and its template's own IAM documents)."""
    return [e for doc in documents(contract, template) for e in scan_document(doc.where, doc.document)]
