"""Rule ``private-dns``: one private-DNS interface endpoint per service per VPC.

AWS: enabling private DNS on an interface endpoint creates a private hosted zone for the service's default DNS name
associated with the VPC; a VPC can have only one such zone per name, so a second endpoint for the same service with
private DNS fails with InvalidParameter "private-dns-enabled cannot be set because there is already a conflicting DNS
domain for <service DNS name> in the VPC <vpc id>". Sources: Amazon VPC / AWS PrivateLink guide, "Access an AWS
service using an interface VPC endpoint" (private DNS, "you can't enable private DNS" when a private hosted zone
for the name is already associated with the VPC), Route 53 "ConflictingDomainExists" (a VPC is already associated
with another hosted zone that has the same name); the message is the one the issue recorded from AWS. A conflicting
private hosted zone the network team associated with the VPC is the rule ``private-dns-zone`` (:mod:`.hosted_zone`).
moto creates any number of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.errors import truthy

RULE = "private-dns"
SOURCE = ("second private-DNS interface endpoint per service per VPC refused (AWS PrivateLink guide: interface "
          "endpoints, private DNS; Route 53 ConflictingDomainExists)")


def dns_name(service_name: str) -> str:
    """com.amazonaws.<region>.<service> -> <service>.<region>.amazonaws.com (the name private DNS takes over)."""
    parts = service_name.split(".")
    if len(parts) >= 4 and parts[0] == "com" and parts[1] == "amazonaws":
        return f"{'.'.join(parts[3:])}.{parts[2]}.amazonaws.com"
    return service_name


def conflict(backend: Any, vpc_id: str, service_name: str) -> str | None:
    """The id of the endpoint that already holds private DNS for the service in the VPC, if any."""
    for endpoint in backend.vpc_end_points.values():
        if (endpoint.vpc_id == vpc_id and endpoint.service_name == service_name and truthy(endpoint.private_dns_enabled)
                and str(endpoint.vpc_endpoint_type or "").lower() == "interface" and getattr(endpoint, "state", "") != "deleted"):
            return str(endpoint.id)
    return None


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_vpc_endpoint(self: Any, vpc_id: str, service_name: str, endpoint_type: str | None, *args: Any, **kwargs: Any) -> Any:
        if (active() and truthy(kwargs.get("private_dns_enabled")) and str(endpoint_type or "").lower() == "interface"
                and conflict(self, vpc_id, service_name)):
            from moto.ec2.exceptions import EC2ClientError  # noqa: PLC0415

            raise EC2ClientError("InvalidParameter", "private-dns-enabled cannot be set because there is already a conflicting "
                                                     f"DNS domain for {dns_name(service_name)} in the VPC {vpc_id}")
        return original(self, vpc_id, service_name, endpoint_type, *args, **kwargs)

    create_vpc_endpoint.__wrapped__ = original  # type: ignore[attr-defined]  # moto's signature (strict.vpce)
    return create_vpc_endpoint


def install() -> None:
    from moto.ec2.models.vpcs import VPCBackend  # noqa: PLC0415

    wrap(VPCBackend, "create_vpc_endpoint", _checked)
