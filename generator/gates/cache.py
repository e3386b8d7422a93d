"""Content-hash cache of tool findings: ``<cache>/gate/<tool>/<key>.json``, one entry per template per tool.

The cache folder is outside the work tree and every entry is authenticated (:mod:`mlprov.cachedir`): an entry
whose HMAC does not verify (planted, copied to another key's name, edited) is ignored and the template scanned again.

The key hashes the template's bytes (or, for a tool that reads more, its runner's ``digest`` of all its inputs: the
iam-escalation tool adds the product's config) with the tool's fingerprint (tool version, rule pack contents and the
options that change results), so an unchanged template under unchanged rules and tool versions is never
scanned again, and any edit to one of them invalidates exactly what it must. Entries hold findings without
product or path, so identical templates share them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from mlprov.atomic import write_text
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
    """Findings per (tool fingerprint, template digest); ``enabled=False`` reads nothing and writes nothing.
    ``secret``: the HMAC key (see :func:`mlprov.cachedir.key`)."""

    def __init__(self, directory: Path, enabled: bool = True, secret: bytes = b"") -> None:
        self.dir = directory
        self.enabled = enabled
        self.secret = secret

    def _mac(self, name: str, body: str) -> str:
        return hmac.new(self.secret, f"{name}\0{body}".encode(), hashlib.sha256).hexdigest()

    def _read(self, path: Path) -> Any:
        """The entry's JSON body, or None when missing, unreadable or not authenticated for this name."""
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            body, mac = str(doc["body"]), str(doc["mac"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        name = path.relative_to(self.dir).as_posix()
        if not self.secret or not hmac.compare_digest(mac, self._mac(name, body)):
            return None
        return json.loads(body)

    def _write(self, path: Path, value: Any) -> None:
        body = json.dumps(value)
        write_text(path, json.dumps({"mac": self._mac(path.relative_to(self.dir).as_posix(), body), "body": body}))

    def _path(self, tool: Tool, tool_fingerprint: str, digest: str) -> Path:
        return self.dir / tool.value / f"{fingerprint(tool_fingerprint, digest)}.json"

    def get(self, tool: Tool, tool_fingerprint: str, target: Target, digest: str | None = None) -> list[Finding] | None:
        """``digest``: the runner's key of the target's inputs (default: the template's bytes)."""
        if not self.enabled:
            return None
        items = self._read(self._path(tool, tool_fingerprint, digest or target.digest))
        try:
            return None if items is None else from_entry(tool, target, items)
        except (ValueError, KeyError, TypeError):
            return None  # authenticated but of another format: scan again

    def put(self, tool: Tool, tool_fingerprint: str, target: Target, findings: list[Finding], digest: str | None = None) -> None:
        if self.enabled:
            self._write(self._path(tool, tool_fingerprint, digest or target.digest), to_entry(findings))  # atomic: temp file + rename

    def get_facts(self, target: Target) -> tuple[str, list[Finding]] | None:
        """(tier, inline-suppression findings) remembered for these template bytes."""
        if not self.enabled:
            return None
        doc = self._read(self.dir / FACTS / f"{fingerprint(FACTS_VERSION, target.digest)}.json")
        try:
            found = [f for item in doc["inline"] for f in from_entry(Tool(item["tool"]), target, [item])]
            return str(doc["tier"]), found
        except (ValueError, KeyError, TypeError):
            return None

    def put_facts(self, target: Target, tier: str, inline: list[Finding]) -> None:
        if not self.enabled:
            return
        items = [entry | {"tool": f.tool.value} for entry, f in zip(to_entry(inline), inline, strict=True)]
        self._write(self.dir / FACTS / f"{fingerprint(FACTS_VERSION, target.digest)}.json", {"tier": tier, "inline": items})
