"""checkov: one process over every template, cloudformation framework only, nothing downloaded or uploaded.

checkov lives in its own venv (``make setup-checkov`` → ``.tools/checkov/bin/checkov``); ``$MLPROV_CHECKOV`` or a
``checkov`` on PATH may be used instead. Checks skipped by an inline ``checkov:skip`` are reported as failures:
the tool must not honour suppressions outside waivers.yaml.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from mlprov.errors import UserError
from mlprov.gates.cache import fingerprint
from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target
from mlprov.gates.toolbase import ToolOutput, base_env, by_path, cached_version, tool_failed

VENV_BINARY = Path(".tools") / "checkov" / "bin" / "checkov"
OPTIONS = ("--framework", "cloudformation", "--skip-download", "--skip-results-upload", "--compact", "-o", "json")
OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",  # no severity/guideline mapping download
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "CKV_NO_PROGRESS_BAR": "true",
    "PYTHONWARNINGS": "ignore",
}
HINT = "run 'make setup-checkov' (checkov in .tools/checkov), or set MLPROV_CHECKOV to a checkov binary"


def checkov_binary(root: Path) -> Path:
    """$MLPROV_CHECKOV, else the project's checkov venv, else one on PATH."""
    env = os.environ.get("MLPROV_CHECKOV")
    if env:
        return Path(env)
    bundled = root / VENV_BINARY
    if bundled.is_file():
        return bundled
    on_path = shutil.which("checkov")
    if on_path:
        return Path(on_path)
    raise UserError(f"checkov not found: {bundled} is missing and none is on PATH", hint=HINT)


class Checkov:
    tool = Tool.CHECKOV

    def __init__(self, root: Path, cache_dir: Path) -> None:
        self.binary = checkov_binary(root)
        self.version = cached_version(cache_dir, self.binary, [str(self.binary), "--version"])
        self.fingerprint = fingerprint(self.tool.value, self.version, *OPTIONS)

    def digest(self, target: Target) -> str:
        return target.digest

    def command(self, targets: list[Target]) -> list[str]:
        files = [arg for t in targets for arg in ("-f", str(t.template))]
        return [str(self.binary), *OPTIONS, *files]

    def env(self) -> dict[str, str]:
        env = base_env(**OFFLINE_ENV)
        for secret in ("BC_API_KEY", "PRISMA_API_URL", "CKV_API_KEY"):
            env.pop(secret, None)  # never talk to the platform
        return env

    def _reports(self, out: ToolOutput) -> list[dict[str, Any]]:
        try:
            doc = json.loads(out.stdout)
        except ValueError:
            raise tool_failed(self.tool, out, HINT) from None
        reports = doc if isinstance(doc, list) else [doc]
        return [r for r in reports if isinstance(r, dict) and isinstance(r.get("results"), dict)]

    def _finding(self, check: dict[str, Any], target: Target, skipped: bool) -> Finding:
        resource = str(check.get("resource", ""))
        logical_id = resource.rsplit(".", 1)[-1] if "." in resource else resource
        message = str(check.get("check_name", "")).strip()
        if skipped:
            message += " (an inline checkov skip was ignored)"
        lines = check.get("file_line_range") or [0]
        severity = str(check.get("severity") or "medium").lower()
        return Finding(
            tool=self.tool,
            rule_id=str(check.get("check_id", "")),
            severity=Severity(severity) if severity in Severity._value2member_map_ else Severity.MEDIUM,
            product=target.product,
            resource=logical_id,
            message=message,
            fix=str(check.get("guideline") or f"make the resource satisfy checkov {check.get('check_id', '')}"),
            template=target.rel,
            line=int(lines[0] or 0),
        )

    def parse(self, out: ToolOutput, targets: list[Target]) -> dict[str, list[Finding]]:
        if out.returncode not in (0, 1):
            raise tool_failed(self.tool, out, HINT)
        index = by_path(targets)
        result: dict[str, list[Finding]] = {t.product: [] for t in targets}
        for report in self._reports(out):
            results = report["results"]
            for kind, skipped in (("failed_checks", False), ("skipped_checks", True)):
                for check in results.get(kind) or []:
                    target = index.get(str(check.get("file_abs_path", "")))
                    if target is not None:
                        result[target.product].append(self._finding(check, target, skipped))
        return result
