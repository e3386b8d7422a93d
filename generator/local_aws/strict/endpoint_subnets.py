"""Rule ``endpoint-subnet-zones``: an interface endpoint takes one subnet per Availability Zone.

AWS: "You can select one subnet per Availability Zone" (AWS PrivateLink Guide, "Create an interface endpoint"); a
request with two subnets in one zone fails with ``DuplicateSubnetsInSameZone``: "Found another VPC endpoint subnet in
the availability zone of <subnet id>. VPC endpoint subnets should be in different availability zones supported by the
VPC endpoint service." Code and message are AWS's as quoted from CloudFormation events and API answers in
terraform-aws-modules/terraform-aws-vpc issues #451 and #583 ("(Service: AmazonEC2; Status Code: 400; Error Code:
DuplicateSubnetsInSameZone ...)"); no AWS reference page found lists them. It names the second subnet of the zone
(our reading of those reports). moto puts an endpoint into any number of subnets of one zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.vpce import arguments, ec2_error, interface, wrapping, zones_of

RULE = "endpoint-subnet-zones"
SOURCE = ("interface endpoint with two subnets in one Availability Zone refused: DuplicateSubnetsInSameZone (AWS "
          "PrivateLink Guide, Create an interface endpoint: one subnet per Availability Zone)")


def message(subnet_id: str) -> str:
    return (f"Found another VPC endpoint subnet in the availability zone of {subnet_id}. VPC endpoint subnets should be in "
            "different availability zones supported by the VPC endpoint service.")


def duplicate(zones: list[tuple[str, str]]) -> str | None:
    """The first subnet whose zone an earlier subnet of the request already has, if any."""
    seen: set[str] = set()
    for sid, zone in zones:
        if zone in seen:
            return sid
        seen.add(zone)
    return None


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        if active():
            call = arguments(original, self, args, kwargs)
            second = duplicate(zones_of(self, call.get("subnet_ids"))) if interface(call) else None
            if second:
                raise ec2_error("DuplicateSubnetsInSameZone", message(second))
        return original(self, *args, **kwargs)

    return wrapping(original, create_vpc_endpoint)


def install() -> None:
    from moto.ec2.models.vpcs import VPCBackend  # noqa: PLC0415

    wrap(VPCBackend, "create_vpc_endpoint", _checked)
