"""Rule ``private-dns-zone``: private DNS is refused when a private hosted zone associated with the VPC holds the name.

AWS: PrivateDnsEnabled makes AWS "associate a private hosted zone with the specified VPC" for the service's default
DNS name (EC2 API Reference, CreateVpcEndpoint). When the VPC "is already associated with a private hosted zone that
contains the intended service name" (e.g. a network team's zone ``sts.eu-west-1.amazonaws.com``), CreateVpcEndpoint
fails ``InvalidParameter`` "private-dns-enabled cannot be set because there is already a conflicting DNS domain for
<name> in the VPC <vpc id>" (AWS re:Post Knowledge Center, "Resolve the conflicting DNS domain error for interface VPC
endpoints"; the same message as the second-endpoint case of :mod:`.private_dns`). A zone whose name is the service
name or a parent domain of it counts, as the Knowledge Center's "contains" reads and as ``mlprov forecast``'s
MLPROV-F013 predicts; whether AWS also refuses for a parent domain (Route 53 allows overlapping private namespaces) is
not confirmed. moto's Route 53 is not consulted by moto's EC2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.errors import truthy
from mlprov.local_aws.strict.private_dns import dns_name
from mlprov.local_aws.strict.vpce import arguments, ec2_error, interface, wrapping

RULE = "private-dns-zone"
SOURCE = ("private DNS refused when a private hosted zone associated with the VPC holds the service name (EC2 API "
          "Reference, CreateVpcEndpoint PrivateDnsEnabled; re:Post Knowledge Center, conflicting DNS domain error)")


def covering_zone(account_id: str, region: str, vpc_id: str, name: str) -> str | None:
    """The id of a private hosted zone associated with the VPC whose domain is ``name`` or a parent of it."""
    from moto.route53.models import route53_backends  # noqa: PLC0415
    from moto.utilities.utils import get_partition  # noqa: PLC0415

    backend = route53_backends[account_id][get_partition(region)]
    for zone in backend.zones.values():
        domain = str(zone.name).rstrip(".").lower()
        in_vpc = any(v.get("vpc_id") == vpc_id for v in zone.vpcs)
        if zone.private_zone is True and in_vpc and (name == domain or name.endswith("." + domain)):
            return str(zone.resource_id)
    return None


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        if active():
            call = arguments(original, self, args, kwargs)
            name, vpc = dns_name(str(call["service_name"])), str(call["vpc_id"])
            if interface(call) and truthy(call.get("private_dns_enabled")) and \
                    covering_zone(str(self.account_id), str(self.region_name), vpc, name.lower()):
                raise ec2_error("InvalidParameter", "private-dns-enabled cannot be set because there is already a "
                                                    f"conflicting DNS domain for {name} in the VPC {vpc}")
        return original(self, *args, **kwargs)

    return wrapping(original, create_vpc_endpoint)


def install() -> None:
    from moto.ec2.models.vpcs import VPCBackend  # noqa: PLC0415

    wrap(VPCBackend, "create_vpc_endpoint", _checked)
