"""Content-hash cache of tool findings: ``.cache/gate/<tool>/<key>.json``, one entry per template per tool.

The key hashes the template's bytes with the tool's fingerprint (tool version, rule pack contents and the
options that change results), so an unchanged template under unchanged rules and tool versions is never
scanned again, and any edit to one of them invalidates exactly what it must. Entries hold findings without
product or path, so identical templates share them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target

_FIELDS = ("rule_id", "severity", "resource", "message", "fix", "line", "pack")


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def files_digest(paths: list[Path]) -> str:
    """One hash over the names and contents of files (rule packs)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def to_entry(findings: list[Finding]) -> list[dict[str, Any]]:
    return [{k: getattr(f, k) for k in _FIELDS} | {"severity": f.severity.value} for f in findings]


def from_entry(tool: Tool, target: Target, items: list[dict[str, Any]]) -> list[Finding]:
    return [
        Finding(
            tool=tool,
            rule_id=str(i["rule_id"]),
            severity=Severity(i["severity"]),
            product=target.product,
            resource=str(i["resource"]),
            message=str(i["message"]),
            fix=str(i["fix"]),
            template=target.rel,
            line=int(i["line"]),
            pack=str(i["pack"]),
        )
        for i in items
    ]


FACTS = "facts"  # per template: its tier and inline-suppression findings (saves parsing unchanged templates)
FACTS_VERSION = "1"


class GateCache:
    """Findings per (tool fingerprint, template digest); ``enabled=False`` reads nothing and writes nothing."""

    def __init__(self, directory: Path, enabled: bool = True) -> None:
        self.dir = directory
        self.enabled = enabled

    def _path(self, tool: Tool, tool_fingerprint: str, target: Target) -> Path:
        return self.dir / tool.value / f"{fingerprint(tool_fingerprint, target.digest)}.json"

    def get(self, tool: Tool, tool_fingerprint: str, target: Target) -> list[Finding] | None:
        if not self.enabled:
            return None
        path = self._path(tool, tool_fingerprint, target)
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
            return from_entry(tool, target, items)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: scan again

    def put(self, tool: Tool, tool_fingerprint: str, target: Target, findings: list[Finding]) -> None:
        if not self.enabled:
            return
        path = self._path(tool, tool_fingerprint, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(to_entry(findings)), encoding="utf-8")
        tmp.replace(path)  # atomic: parallel gate runs never read half an entry

    def get_facts(self, target: Target) -> tuple[str, list[Finding]] | None:
        """(tier, inline-suppression findings) remembered for these template bytes."""
        if not self.enabled:
            return None
        path = self.dir / FACTS / f"{fingerprint(FACTS_VERSION, target.digest)}.json"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            found = [f for item in doc["inline"] for f in from_entry(Tool(item["tool"]), target, [item])]
            return str(doc["tier"]), found
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_facts(self, target: Target, tier: str, inline: list[Finding]) -> None:
        if not self.enabled:
            return
        path = self.dir / FACTS / f"{fingerprint(FACTS_VERSION, target.digest)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        items = [entry | {"tool": f.tool.value} for entry, f in zip(to_entry(inline), inline, strict=True)]
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"tier": tier, "inline": items}), encoding="utf-8")
        tmp.replace(path)
