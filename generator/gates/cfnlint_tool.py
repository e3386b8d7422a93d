"""cfn-lint: one ``--format json`` process over every template, in the interpreter mlprov runs in.

``--mandatory-checks E W`` makes cfn-lint report errors and warnings even where a template's
``Metadata.cfn-lint.config.ignore_checks`` would hide them (waivers live in waivers.yaml only).
"""

from __future__ import annotations

import json
import re
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mlprov.gates.cache import fingerprint
from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target
from mlprov.gates.toolbase import ToolOutput, base_env, by_path, tool_failed

OPTIONS = ("--format", "json", "--mandatory-checks", "E", "W")
LEVELS = {"Error": Severity.HIGH, "Warning": Severity.MEDIUM, "Informational": Severity.LOW}
ENTRY = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"


_REGION = re.compile(r"""^region:\s*["']?([a-z0-9-]+)""", re.MULTILINE)


def repo_regions(root: Path) -> list[str]:
    """Every region a product config of the repository names (us-east-1 when none): what templates are linted against.

    The same list for every batch keeps cached results independent of which templates happened to be scanned together.
    """
    found = {m.group(1) for config in (root / "products").glob("*.yaml") for m in _REGION.finditer(config.read_text(encoding="utf-8"))}
    return sorted(found) or ["us-east-1"]


class CfnLint:
    tool = Tool.CFN_LINT

    def __init__(self, root: Path) -> None:
        self.version = version("cfn-lint")
        self.regions = repo_regions(root)
        self.fingerprint = fingerprint(self.tool.value, self.version, *OPTIONS, "--regions", *self.regions)

    def digest(self, target: Target) -> str:
        return target.digest

    def command(self, targets: list[Target]) -> list[str]:
        return [sys.executable, "-c", ENTRY, *OPTIONS, "--regions", *self.regions, "--", *(str(t.template) for t in targets)]

    def env(self) -> dict[str, str]:
        return base_env()

    def parse(self, out: ToolOutput, targets: list[Target]) -> dict[str, list[Finding]]:
        try:
            matches: list[dict[str, Any]] = json.loads(out.stdout or "[]")
        except ValueError:
            raise tool_failed(self.tool, out, "cfn-lint is a dependency of mlprov: reinstall with 'make setup-python'") from None
        if out.returncode not in (0, 2, 4, 6, 8, 10, 12, 14) or not isinstance(matches, list):
            raise tool_failed(self.tool, out, "cfn-lint is a dependency of mlprov: reinstall with 'make setup-python'")
        index = by_path(targets)
        result: dict[str, list[Finding]] = {t.product: [] for t in targets}
        for m in matches:
            target = index.get(str(m.get("Filename", "")))
            if target is None:
                continue
            rule = m.get("Rule") or {}
            loc = m.get("Location") or {}
            path = loc.get("Path") or []
            resource = str(path[1]) if len(path) > 1 and path[0] == "Resources" else ""
            source = rule.get("Source") or ""
            result[target.product].append(
                Finding(
                    tool=self.tool,
                    rule_id=str(rule.get("Id", "")),
                    severity=LEVELS.get(str(m.get("Level")), Severity.MEDIUM),
                    product=target.product,
                    resource=resource,
                    message=str(m.get("Message", "")).strip(),
                    fix=f"{rule.get('ShortDescription', '')}: see {source}" if source else str(rule.get("ShortDescription", "")),
                    template=target.rel,
                    line=int((loc.get("Start") or {}).get("LineNumber") or 0),
                )
            )
        return result
