"""A validated product: its config, the variant it picks, and everything derived from it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlprov import __version__
from mlprov.config.names import Names
from mlprov.config.regions import partition, region_code

MANAGED_BY = "ml-provisioner"


@dataclass(frozen=True)
class Variant:
    tier: str
    source: str
    vpc_resolution: str | None = None
    sg_mode: str | None = None
    workload: bool = False
    # networking (enterprise only; see docs/networking.md): endpoints create | existing, egress endpoints | nat
    endpoints: str | None = None
    egress: str | None = None
    ecr_endpoints: bool = False

    @property
    def label(self) -> str:
        parts = [self.tier, self.source]
        if self.tier == "enterprise":
            parts += [f"sg={self.sg_mode}", f"vpc={self.vpc_resolution}"]
            if self.endpoints == "existing":
                parts.append("endpoints=existing")
            if self.egress == "nat":
                parts.append("egress=nat")
            if self.ecr_endpoints:
                parts.append("ecr-endpoints")
        if self.workload:
            parts.append("workload")
        return " / ".join(parts)


@dataclass(frozen=True)
class Product:
    path: Path
    config: dict[str, Any]
    test_suffix: str | None = field(default=None)

    @property
    def name(self) -> str:
        """The product's name: its config file name without .yaml."""
        return self.path.stem

    @property
    def tier(self) -> str:
        return str(self.config["tier"])

    @property
    def source(self) -> str:
        return str(self.config["source"]["type"])

    @property
    def network(self) -> dict[str, Any]:
        net: dict[str, Any] = self.config.get("network", {})
        return net

    @property
    def variant(self) -> Variant:
        net = self.network
        return Variant(
            tier=self.tier,
            source=self.source,
            vpc_resolution=net.get("vpc_resolution"),
            sg_mode=net.get("security_group_mode"),
            workload=bool(self.config.get("workload")),
            endpoints=self.endpoints_mode,
            egress=self.egress_mode,
            ecr_endpoints=self.ecr_endpoints,
        )

    @property
    def endpoints_mode(self) -> str | None:
        """``create`` or ``existing`` (enterprise; None otherwise). A test copy never creates private-DNS
        endpoints: AWS allows one per service per VPC, and the product it copies owns them (docs/networking.md)."""
        if self.tier != "enterprise":
            return None
        if self.test_suffix:
            return "existing"
        return str(self.network.get("endpoints", "create"))

    @property
    def egress_mode(self) -> str | None:
        """``endpoints`` or ``nat`` (enterprise; None otherwise)."""
        return str(self.network.get("egress", "endpoints")) if self.tier == "enterprise" else None

    @property
    def ecr_endpoints(self) -> bool:
        """Whether the stack creates the ECR endpoints (only when it creates endpoints at all)."""
        return self.endpoints_mode == "create" and bool(self.network.get("ecr_endpoints", False))

    @property
    def account_id(self) -> str:
        return str(self.config["account_id"])

    @property
    def region(self) -> str:
        return str(self.config["region"])

    @property
    def partition(self) -> str:
        return partition(self.region)

    @property
    def prefix(self) -> str:
        c = self.config
        parts = [c["organization"], c["environment"], c["app_id"], region_code(c["region"]), c["use_case"]]
        if c.get("workload"):
            parts.append(c["workload"])
        if self.test_suffix:
            parts.append(self.test_suffix)
        return "-".join(parts)

    @property
    def names(self) -> Names:
        return Names(prefix=self.prefix, account_id=self.account_id)

    @property
    def log_retention_days(self) -> int | None:
        value = self.config.get("log_retention_days")
        return int(value) if value is not None else None

    @property
    def tags(self) -> dict[str, str]:
        """Every resource's tags: the user's extra tags, then the mlprov:* tags (which always win)."""
        c = self.config
        tags = {str(k): str(v) for k, v in sorted(c.get("tags", {}).items())}
        tags.update(
            {
                "mlprov:product": self.prefix,
                "mlprov:tier": self.tier,
                "mlprov:environment": str(c["environment"]),
                "mlprov:owner": str(c["owner"]),
                "mlprov:cost-center": str(c["cost_center"]),
                "mlprov:managed-by": MANAGED_BY,
            }
        )
        return tags

    @property
    def generator_version(self) -> str:
        return __version__

    def for_test(self, suffix: str) -> Product:
        """The same product with an isolated suffix on stack and resource names (test deploys)."""
        return replace(self, test_suffix=suffix)
