"""The one findings model every gate tool's output is merged into, and the gate's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    """Severity of a finding, ordered from worst."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class Tool(StrEnum):
    """The tools a gate runs (the SARIF file has one run per tool)."""

    CFN_LINT = "cfn-lint"
    CFN_GUARD = "cfn-guard"
    CHECKOV = "checkov"
    IAM_ESCALATION = "iam-escalation"  # our privilege-escalation scan of the deploy path's IAM documents


@dataclass(frozen=True)
class Finding:
    """One problem one tool found in one product's template.

    ``rule_id`` is the tool's own id (cfn-lint ``E3012``, guard rule name such as ``MLPROV_KMS_ROTATION`` or
    ``CT.S3.PR.1``, checkov ``CKV_AWS_18``, iam-escalation ``MLPROV-IAM-ESC-001``); ``pack`` names the rule pack
    for cfn-guard (``mlprov`` or ``control-tower``) and is empty for the other tools. ``resource`` is the logical
    id, empty when the finding is about the whole template; for iam-escalation it is the IAM document
    (``deployer/policy-1`` of a deploy-path principal, or a template resource's logical id).
    """

    tool: Tool
    rule_id: str
    severity: Severity
    product: str
    resource: str
    message: str
    fix: str
    template: str  # path of the template file, relative to the repository root
    line: int = 0
    pack: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What a waiver matches on: tool-independent rule id, product and resource."""
        return (self.tool.value, self.rule_id, self.product, self.resource)


@dataclass(frozen=True)
class Waiver:
    """One entry of ``waivers.yaml``: a finding that truly does not apply, owned and dated.

    ``product`` and ``resource`` are fnmatch globs (``*`` matches every product or resource); ``tiers`` narrows
    the products to those tiers (empty: every tier). ``index`` is the entry's 1-based position in the file.
    """

    rule_id: str
    product: str
    resource: str
    owner: str
    justification: str
    expires: date
    tiers: tuple[str, ...] = ()
    index: int = 0

    def label(self) -> str:
        return f"waivers.yaml entry {self.index} ({self.rule_id})"


@dataclass
class ToolRun:
    """What one tool did in a gate run: templates scanned, served from the cache, and seconds spent."""

    version: str = ""
    scanned: int = 0
    cache_hits: int = 0
    seconds: float = 0.0


@dataclass
class GateResult:
    """What a gate run found: open findings, findings waived (with their waiver), and waiver problems."""

    products: list[str]
    findings: list[Finding] = field(default_factory=list)
    waived: list[tuple[Finding, Waiver]] = field(default_factory=list)
    waiver_problems: list[str] = field(default_factory=list)
    tool_versions: dict[str, str] = field(default_factory=dict)
    cache_hits: int = 0
    scanned: int = 0
    active_waivers: list[Waiver] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # unused waivers and the like: reported, never failing
    tools: dict[str, ToolRun] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not self.findings and not self.waiver_problems
