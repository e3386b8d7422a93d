"""Inline suppressions are refused: waivers live in ``waivers.yaml`` only.

A template carrying cfn-lint ``Metadata.cfn-lint.config.ignore_checks``, checkov ``Metadata.checkov.skip`` or a
``checkov:skip=`` comment, or guard ``Metadata.guard.SuppressedRules`` (at template or resource level) gets one
``MLPROV_INLINE_SUPPRESSION`` finding per suppression, attributed to the tool it tries to silence. The runners
also keep the tools from honouring them (cfn-lint ``--mandatory-checks``, checkov's skipped checks reported
as failures; cfn-guard's CLI does not read ``SuppressedRules``).
"""

from __future__ import annotations

import re
from typing import Any

from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target

RULE_ID = "MLPROV_INLINE_SUPPRESSION"
FIX = "remove the inline suppression; a check that truly does not apply gets an owned, dated entry in waivers.yaml"
_COMMENT = re.compile(r"#.*checkov:skip=([A-Za-z0-9_]+)")
_RESOURCE_LINE = re.compile(r"^  ([A-Za-z0-9]+):\s*$")


def _finding(target: Target, tool: Tool, resource: str, what: str, line: int = 0) -> Finding:
    where = f"resource {resource}" if resource else "the template"
    return Finding(
        tool=tool,
        rule_id=RULE_ID,
        severity=Severity.HIGH,
        product=target.product,
        resource=resource,
        message=f"inline suppression {what} in {where} is refused: suppressions live in waivers.yaml",
        fix=FIX,
        template=target.rel,
        line=line,
        pack="mlprov" if tool is Tool.CFN_GUARD else "",
    )


def _get(meta: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(meta, dict):
            return None
        meta = meta.get(key)
    return meta


def _ids(value: Any) -> str:
    if isinstance(value, list):
        items = [str(v.get("id", v)) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(items)
    return str(value)


def _from_metadata(target: Target, resource: str, meta: Any) -> list[Finding]:
    out: list[Finding] = []
    ignored = _get(meta, "cfn-lint", "config", "ignore_checks")
    if ignored:
        out.append(_finding(target, Tool.CFN_LINT, resource, f"Metadata.cfn-lint.config.ignore_checks [{_ids(ignored)}]"))
    skipped = _get(meta, "checkov", "skip")
    if skipped:
        out.append(_finding(target, Tool.CHECKOV, resource, f"Metadata.checkov.skip [{_ids(skipped)}]"))
    suppressed = _get(meta, "guard", "SuppressedRules")
    if suppressed:
        out.append(_finding(target, Tool.CFN_GUARD, resource, f"Metadata.guard.SuppressedRules [{_ids(suppressed)}]"))
    return out


def _from_comments(target: Target) -> list[Finding]:
    out: list[Finding] = []
    resource = ""
    in_resources = False
    for number, line in enumerate(target.data.decode("utf-8", errors="replace").splitlines(), start=1):
        if line and not line[0].isspace() and not line.startswith("#"):
            in_resources = line.startswith("Resources:")
            resource = ""
        elif in_resources and (m := _RESOURCE_LINE.match(line)):
            resource = m.group(1)
        if m := _COMMENT.search(line):
            out.append(_finding(target, Tool.CHECKOV, resource, f"comment checkov:skip={m.group(1)}", number))
    return out


def inline_suppressions(target: Target) -> list[Finding]:
    """One finding per inline suppression the template carries."""
    doc = target.doc or {}
    found = _from_metadata(target, "", doc.get("Metadata"))
    resources = doc.get("Resources")
    if isinstance(resources, dict):
        for logical_id, resource in resources.items():
            if isinstance(resource, dict):
                found += _from_metadata(target, str(logical_id), resource.get("Metadata"))
    return found + _from_comments(target)
