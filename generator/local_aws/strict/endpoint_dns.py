"""Rule ``endpoint-vpc-dns``: an interface endpoint with private DNS needs the VPC's two DNS attributes on.

AWS: PrivateDnsEnabled "To use a private hosted zone, you must set the following VPC attributes to true:
enableDnsHostnames and enableDnsSupport" (Amazon EC2 API Reference, CreateVpcEndpoint, PrivateDnsEnabled,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html). The refusal's message is the one
AWS documents in the Amazon GuardDuty User Guide (Runtime Monitoring coverage issues, "VPC Endpoint Creation
Failed"): "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to
true for <vpc id>" (Service: Ec2, Status Code: 400). Its error code is not documented there; ``InvalidParameter`` is
our choice (the code of EC2's other CreateVpcEndpoint parameter refusals). moto creates the endpoint whatever the
attributes say (a new VPC has enableDnsHostnames off, so every private-DNS endpoint needs it turned on first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.errors import truthy
from mlprov.local_aws.strict.vpce import arguments, ec2_error, interface, wrapping

RULE = "endpoint-vpc-dns"
SOURCE = ("private-DNS interface endpoint in a VPC with enableDnsSupport or enableDnsHostnames off refused (EC2 API "
          "Reference, CreateVpcEndpoint PrivateDnsEnabled; message: GuardDuty User Guide, runtime coverage troubleshooting)")


def message(vpc_id: str) -> str:
    return f"Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for {vpc_id}"


def dns_off(backend: Any, vpc_id: str) -> list[str]:
    """The VPC's DNS attributes that are off (moto's defaults: support on, hostnames off, as on AWS)."""
    vpc = backend.get_vpc(vpc_id)
    return [attr for attr, key in (("enableDnsSupport", "enable_dns_support"), ("enableDnsHostnames", "enable_dns_hostnames"))
            if not truthy(getattr(vpc, key, False))]


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        if active():
            call = arguments(original, self, args, kwargs)
            if interface(call) and truthy(call.get("private_dns_enabled")) and dns_off(self, str(call["vpc_id"])):
                raise ec2_error("InvalidParameter", message(str(call["vpc_id"])))
        return original(self, *args, **kwargs)

    return wrapping(original, create_vpc_endpoint)


def install() -> None:
    from moto.ec2.models.vpcs import VPCBackend  # noqa: PLC0415

    wrap(VPCBackend, "create_vpc_endpoint", _checked)
