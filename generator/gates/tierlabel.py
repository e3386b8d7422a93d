"""The gate's tier comes from the product's config, never from the template it is judging.

Our guard rules read ``Metadata.MlProvisioner.Tier`` to know which promises apply; a template relabelled
``Tier: starter`` would escape the enterprise rules. So the tier is the config's ``tier`` (waivers are matched
against it), and a template whose label differs from its config gets a CRITICAL finding that no waiver can
cover: the label is part of what the gate enforces, and the fix is ``mlprov render``.
"""

from __future__ import annotations

from pathlib import Path

from mlprov.config.yamlload import YamlSyntaxError, load
from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target

RULE = "MLPROV_TIER_LABEL"


def config_tier(target: Target) -> str | None:
    """The ``tier`` of ``products/<name>.yaml`` beside the template's folder, or None without a (readable) config."""
    config = Path(target.template).parent.with_suffix(".yaml")
    try:
        data = load(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return None  # validate-config reports a broken config; the gate judges the template
    tier = data.get("tier") if isinstance(data, dict) else None
    return str(tier) if isinstance(tier, str) else None


def check(target: Target, template_tier: str) -> tuple[str, list[Finding]]:
    """(the tier to gate with, the label finding if the template's label is not the config's tier)."""
    tier = config_tier(target)
    if tier is None:
        return template_tier, []
    if template_tier == tier:
        return tier, []
    label = template_tier or "(missing)"
    return tier, [Finding(Tool.CFN_GUARD, RULE, Severity.CRITICAL, target.product, "",
                          f"Metadata.MlProvisioner.Tier is {label} but the config's tier is {tier}: the template is "
                          f"judged as {tier}, and a label that differs from the config is not accepted",
                          f"run `mlprov render {target.product}` (never edit the committed template's Metadata)",
                          target.rel, 1, "mlprov")]
