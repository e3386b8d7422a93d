"""Create a VPC and subnets under ids chosen by the caller, on the embedded moto server (same process).

A ``vpc_resolution: direct`` config names an existing landing-zone network by its ids (``vpc-0a1b2c3d4e5f67890``).
On AWS ids are never chosen, they are those of the network team's VPC; locally that VPC has to be recreated under the
same ids so the committed example deploys unchanged. moto 5.2 offers custom ids for some services (its id manager,
``moto.utilities.id_generator``), not for EC2 VPCs or subnets: here moto's id generators for the two are replaced for
the duration of one create call. Only the seeding uses this; it needs the server in this process (``LocalAws``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

# (module, name) of the generator each create call uses (moto.ec2.models.vpcs / subnets import them by name)
GENERATORS = {"vpc": ("moto.ec2.models.vpcs", "random_vpc_id"), "subnet": ("moto.ec2.models.subnets", "random_subnet_id")}


@contextlib.contextmanager
def fixed_id(kind: str, value: str) -> Iterator[None]:
    """While the block runs, the next ``kind`` ("vpc" or "subnet") moto creates gets id ``value``."""
    import importlib  # noqa: PLC0415

    module_name, attr = GENERATORS[kind]
    module = importlib.import_module(module_name)
    original = getattr(module, attr)
    setattr(module, attr, lambda: value)
    try:
        yield
    finally:
        setattr(module, attr, original)


def exists(ec2: Any, kind: str, value: str) -> bool:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        if kind == "vpc":
            return bool(ec2.describe_vpcs(VpcIds=[value])["Vpcs"])
        return bool(ec2.describe_subnets(SubnetIds=[value])["Subnets"])
    except ClientError as exc:
        if "NotFound" in str(exc.response.get("Error", {}).get("Code", "")):
            return False
        raise


def vpc_with_ids(ec2: Any, vpc_id: str, subnet_ids: list[str], cidr: str, tags: list[dict[str, Any]]) -> list[str]:
    """The VPC and subnets under these ids (created when missing, one subnet per AZ, DNS support and hostnames on
    as private DNS needs); returns what was created."""
    created: list[str] = []
    if not exists(ec2, "vpc", vpc_id):
        with fixed_id("vpc", vpc_id):
            ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tags)
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        created.append(f"VPC {vpc_id}")
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    base = cidr.rsplit(".", 2)[0]  # 10.20.0.0/16 -> 10.20
    for i, subnet_id in enumerate(subnet_ids):
        if not exists(ec2, "subnet", subnet_id):
            with fixed_id("subnet", subnet_id):
                ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"{base}.{100 + i}.0/24", AvailabilityZone=zones[i % len(zones)])
            created.append(f"subnet {subnet_id}")
    return created
