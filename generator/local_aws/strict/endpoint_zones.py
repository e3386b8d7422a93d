"""Rule ``endpoint-service-zones``: an interface endpoint only goes into Availability Zones its service serves.

AWS: DescribeVpcEndpointServices lists each service's ``AvailabilityZones`` ("The Availability Zones in which the
service is available", EC2 API Reference, ServiceDetail); "you can't create an interface endpoint in an Availability
Zone that the service does not support" (AWS PrivateLink Guide, "Access an AWS service using an interface VPC
endpoint", Considerations; AWS Knowledge Center "interface-endpoint-availability-zone": "Service not supported in
this Availability Zone"). CreateVpcEndpoint then fails ``InvalidParameter``: "The VPC endpoint service <service> does
not support the availability zone of the subnet: <subnet id>." (AWS's message as quoted in
terraform-aws-modules/terraform-aws-vpc #785 and aws/aws-cdk #4912; not in the API Reference).

moto says every service serves every zone of its region. Here a small table decides instead: :func:`serve_only`
(tests, or a fixture) limits a service of a region to some zones, :func:`reset` forgets the table. The table changes
both what CreateVpcEndpoint accepts and what DescribeVpcEndpointServices answers (so ``mlprov forecast``'s
MLPROV-F011 reads the same truth the endpoint enforces).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.vpce import arguments, ec2_error, interface, wrapping, zones_of

RULE = "endpoint-service-zones"
SOURCE = ("interface endpoint in an Availability Zone its service does not serve refused (EC2 API Reference, "
          "DescribeVpcEndpointServices AvailabilityZones; AWS PrivateLink Guide, interface endpoint considerations)")
_SERVED: dict[tuple[str, str], list[str]] = {}  # (region, service name) -> the zones served


def serve_only(region: str, service_name: str, zones: Iterable[str]) -> None:
    """From now on ``service_name`` in ``region`` serves only ``zones``."""
    _SERVED[region, service_name] = sorted(zones)


def reset() -> None:
    _SERVED.clear()


def served(region: str, service_name: str) -> list[str] | None:
    """The zones the table gives the service (None: not in the table, moto's answer stands)."""
    return _SERVED.get((region, service_name))


def message(service_name: str, subnet_id: str) -> str:
    return f"The VPC endpoint service {service_name} does not support the availability zone of the subnet: {subnet_id}."


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        if active():
            call = arguments(original, self, args, kwargs)
            zones = served(str(self.region_name), str(call["service_name"])) if interface(call) else None
            for sid, zone in zones_of(self, call.get("subnet_ids")) if zones is not None else []:
                if zones is not None and zone not in zones:
                    raise ec2_error("InvalidParameter", message(str(call["service_name"]), sid))
        return original(self, *args, **kwargs)

    return wrapping(original, create_vpc_endpoint)


def _answered(original: Callable[..., Any]) -> Callable[..., Any]:
    def describe_vpc_endpoint_services(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if not active() or not _SERVED:
            return result
        region = str(arguments(original, self, args, kwargs).get("region") or self.region_name)
        details = []
        for detail in result.get("servicesDetails", []):
            zones = served(region, str(detail.get("ServiceName")))
            details.append(detail if zones is None else {**detail, "AvailabilityZones": zones})  # a copy: moto caches its own
        return {**result, "servicesDetails": details}

    return wrapping(original, describe_vpc_endpoint_services)


def install() -> None:
    from moto.ec2.models.vpcs import VPCBackend  # noqa: PLC0415

    wrap(VPCBackend, "create_vpc_endpoint", _checked)
    wrap(VPCBackend, "describe_vpc_endpoint_services", _answered)
