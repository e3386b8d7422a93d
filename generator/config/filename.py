"""The tokens a config's file name encodes, and the check that they agree with its content.

Grammar (``.yaml``)::

    {organization}-{environment}-{app_id}-{region}-{use_case}[-wl-{workload}]-{source}[-{sg_mode}-{vpc_resolution}]

e.g. ``techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml`` or
``globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml``.
The two enterprise tokens are present exactly when the tier is enterprise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCES = ("codecommit", "s3", "connection")
SG_MODES = ("standalone", "existing")
VPC_RESOLUTIONS = ("direct", "ssm")
_REGION = re.compile(
    r"^(us|eu|ap|ca|sa|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$"
)
GRAMMAR = "{organization}-{environment}-{app_id}-{region}-{use_case}[-wl-{workload}]-{source}[-{sg_mode}-{vpc_resolution}].yaml"


@dataclass(frozen=True)
class FileTokens:
    organization: str
    environment: str
    app_id: str
    region: str
    use_case: str
    workload: str | None
    source: str
    sg_mode: str | None
    vpc_resolution: str | None

    @property
    def is_enterprise(self) -> bool:
        return self.sg_mode is not None


class FileNameError(ValueError):
    """The file name does not follow the grammar."""


def parse(path: Path) -> FileTokens:
    stem = path.name
    for ext in (".yaml", ".yml"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
    parts = stem.split("-")
    if len(parts) < 6:
        raise FileNameError(f"file name does not follow {GRAMMAR}")
    org, env, app = parts[:3]
    rest = parts[3:]
    region = None
    for n in (3, 4):
        if _REGION.match("-".join(rest[:n])):
            region, rest = "-".join(rest[:n]), rest[n:]
            break
    if region is None:
        raise FileNameError(f"no AWS region after the third token; the file name must follow {GRAMMAR}")
    sg_mode = vpc = None
    if len(rest) >= 2 and rest[-1] in VPC_RESOLUTIONS and rest[-2] in SG_MODES:
        sg_mode, vpc, rest = rest[-2], rest[-1], rest[:-2]
    if not rest or rest[-1] not in SOURCES:
        raise FileNameError(
            f"the file name must end with the source ({', '.join(SOURCES)}), followed for enterprise by "
            f"the security-group mode ({'|'.join(SG_MODES)}) and the VPC resolution ({'|'.join(VPC_RESOLUTIONS)})"
        )
    source, rest = rest[-1], rest[:-1]
    workload = None
    if len(rest) >= 2 and rest[-2] == "wl":
        workload, rest = rest[-1], rest[:-2]
    if not rest:
        raise FileNameError(f"no use case between the region and the source; the file name must follow {GRAMMAR}")
    return FileTokens(org, env, app, region, "-".join(rest), workload, source, sg_mode, vpc)


def expected_name(config: dict[str, Any]) -> str:
    """The file name a config's content calls for."""
    parts = [config["organization"], config["environment"], config["app_id"], config["region"], config["use_case"]]
    if config.get("workload"):
        parts += ["wl", config["workload"]]
    parts.append(config["source"]["type"])
    if config["tier"] == "enterprise":
        net = config["network"]
        parts += [net["security_group_mode"], net["vpc_resolution"]]
    return "-".join(parts) + ".yaml"


def mismatches(tokens: FileTokens, config: dict[str, Any]) -> list[str]:
    """One message per token of the file name that disagrees with the content (config already schema-valid)."""
    out: list[str] = []
    pairs = [
        ("organization", tokens.organization, config["organization"]),
        ("environment", tokens.environment, config["environment"]),
        ("app_id", tokens.app_id, config["app_id"]),
        ("region", tokens.region, config["region"]),
        ("use_case", tokens.use_case, config["use_case"]),
        ("workload", tokens.workload, config.get("workload")),
        ("source.type", tokens.source, config["source"]["type"]),
    ]
    for field, in_name, in_content in pairs:
        if in_name != in_content:
            out.append(
                f"field '{field}': the file name says {in_name!r} but the config says {in_content!r}; "
                f"make them agree (expected file name: {expected_name(config)})"
            )
    enterprise = config["tier"] == "enterprise"
    if tokens.is_enterprise and not enterprise:
        out.append(
            f"field 'tier': the file name ends with enterprise tokens '-{tokens.sg_mode}-{tokens.vpc_resolution}' "
            f"but tier is {config['tier']!r}; set tier: enterprise or rename the file to {expected_name(config)}"
        )
    elif enterprise and not tokens.is_enterprise:
        out.append(
            "field 'tier': tier is 'enterprise' but the file name lacks the '-{sg_mode}-{vpc_resolution}' tokens; "
            f"rename the file to {expected_name(config)}"
        )
    elif enterprise:
        net = config["network"]
        for field, in_name, in_content in (
            ("network.security_group_mode", tokens.sg_mode, net["security_group_mode"]),
            ("network.vpc_resolution", tokens.vpc_resolution, net["vpc_resolution"]),
        ):
            if in_name != in_content:
                out.append(
                    f"field '{field}': the file name says {in_name!r} but the config says {in_content!r}; "
                    f"make them agree (expected file name: {expected_name(config)})"
                )
    return out
