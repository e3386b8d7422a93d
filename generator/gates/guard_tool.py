"""cfn-guard: our pack (``rules/guard``) and the AWS Control Tower proactive rules in ONE validate process.

Control Tower rule files whose resource types appear in no template of the batch are left out (they would
only SKIP); the cache fingerprint covers every rule file, so that selection never changes a cached result.
Output is ``--output-format json --structured``; each failing rule becomes one finding per resource it names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlprov.gates.cache import files_digest, fingerprint
from mlprov.gates.guardbin import control_tower_rules, guard_binary, guard_version
from mlprov.gates.guardpack import load_pack, named_rules
from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target
from mlprov.gates.toolbase import ToolOutput, base_env, by_path, tool_failed

OPTIONS = ("validate", "--output-format", "json", "--structured", "--show-summary", "none")
HINT = "run 'make setup-node' (cfn-guard and the Control Tower rules come from the pinned npm package)"
_TOP_RULE = re.compile(r"^rule\s+([A-Za-z_]\w*)\s+(?:when\b|\{)", re.MULTILINE)
_TYPE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")
_CT_MESSAGE = re.compile(r"\[(CT\.[A-Z0-9]+\.PR\.\d+)\]:\s*(.+)")
_CT_FIX = re.compile(r"\[FIX\]:\s*(.+)")
_RESOURCE = re.compile(r"/Resources/([A-Za-z0-9]+)")
_LINE = re.compile(r"/Resources/([A-Za-z0-9]+)[^\[\]]*\[L:(\d+),C:\d+\]")


@dataclass(frozen=True)
class RuleInfo:
    rule_id: str
    pack: str  # "mlprov" or "control-tower"
    severity: Severity
    description: str
    fix: str
    path: Path
    types: frozenset[str]


def _ct_id(path: Path) -> str:
    return ".".join(path.stem.upper().split("-"))  # ct-s3-pr-9 -> CT.S3.PR.9


def control_tower_index(folder: Path) -> dict[str, RuleInfo]:
    """Top-level rule name -> rule, for every ``ct-*.guard`` file under ``folder``."""
    index: dict[str, RuleInfo] = {}
    for path in sorted(folder.rglob("*.guard")):
        text = path.read_text(encoding="utf-8")
        message = _CT_MESSAGE.search(text)
        fix = _CT_FIX.search(text)
        info = RuleInfo(
            rule_id=message.group(1) if message else _ct_id(path),
            pack="control-tower",
            severity=Severity.HIGH,
            description=message.group(2).strip() if message else path.stem,
            fix=fix.group(1).strip() if fix else "see the Control Tower control's documentation",
            path=path,
            types=frozenset(_TYPE.findall(text)),
        )
        for name in set(_TOP_RULE.findall(text)):
            index[name] = info
    return index


def pack_index(root: Path) -> dict[str, RuleInfo]:
    index: dict[str, RuleInfo] = {}
    for rule in load_pack(root):
        info = RuleInfo(rule.id, "mlprov", rule.severity, rule.description, rule.fix, rule.path, frozenset())
        for name in named_rules(rule.path.read_text(encoding="utf-8")):
            index[name] = info
    return index


def _walk(node: Any, paths: list[str]) -> None:
    """Every path and error text a structured guard result holds."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key in ("path", "error_message", "custom_message", "message"):
                paths.append(value)
            else:
                _walk(value, paths)
    elif isinstance(node, list):
        for item in node:
            _walk(item, paths)


class CfnGuard:
    tool = Tool.CFN_GUARD

    def __init__(self, root: Path) -> None:
        self.binary = guard_binary(root)
        self.version = guard_version(self.binary)
        self.ours = pack_index(root)
        self.control_tower = control_tower_index(control_tower_rules(root))
        files = [i.path for i in (*self.ours.values(), *self.control_tower.values())]
        self.fingerprint = fingerprint(self.tool.value, self.version, files_digest(sorted(set(files))), *OPTIONS)

    def rule_files(self, targets: list[Target]) -> list[Path]:
        """Our whole pack, and the Control Tower rules about a resource type present in some template."""
        present = set().union(*(t.resource_types for t in targets))
        ct = {i.path for i in self.control_tower.values() if not i.types or i.types & present}
        return sorted({i.path for i in self.ours.values()}) + sorted(ct)

    def digest(self, target: Target) -> str:
        return target.digest

    def command(self, targets: list[Target]) -> list[str]:
        rules = [arg for p in self.rule_files(targets) for arg in ("--rules", str(p))]
        data = [arg for t in targets for arg in ("--data", str(t.template))]
        return [str(self.binary), *OPTIONS, *rules, *data]

    def env(self) -> dict[str, str]:
        return base_env()

    def _info(self, name: str) -> RuleInfo:
        known = self.ours.get(name) or self.control_tower.get(name)
        if known:
            return known
        return RuleInfo(name, "", Severity.HIGH, name, "see the rule file", Path(), frozenset())

    def _findings(self, target: Target, failure: dict[str, Any]) -> list[Finding]:
        rule = failure.get("Rule") or {}
        info = self._info(str(rule.get("name", "")))
        texts: list[str] = []
        _walk(failure, texts)
        resources = sorted({m for text in texts for m in _RESOURCE.findall(text)}) or [""]
        lines: dict[str, int] = {}
        for text in texts:
            for res, line in _LINE.findall(text):
                if int(line) > 0:
                    lines[res] = min(lines.get(res, int(line)), int(line))
        return [
            Finding(
                self.tool, info.rule_id, info.severity, target.product, res, info.description, info.fix, target.rel,
                lines.get(res, 0), info.pack,
            )
            for res in resources
        ]

    def parse(self, out: ToolOutput, targets: list[Target]) -> dict[str, list[Finding]]:
        if out.returncode not in (0, 19):
            raise tool_failed(self.tool, out, HINT)
        try:
            reports = json.loads(out.stdout or "[]")
        except ValueError:
            raise tool_failed(self.tool, out, HINT) from None
        index = by_path(targets)
        result: dict[str, list[Finding]] = {t.product: [] for t in targets}
        for report in reports if isinstance(reports, list) else [reports]:
            target = index.get(str(report.get("name", ""))) if isinstance(report, dict) else None
            if target is None:
                continue
            for failure in report.get("not_compliant") or []:
                if isinstance(failure, dict):
                    result[target.product] += self._findings(target, failure)
        return result
