"""Seed the local endpoint with what a product config references but its stack does not create.

- every product: the bootstrap's template bucket (``deploypath.template_bucket_name(account, region)``), as
  ``mlprov bootstrap`` makes it (SSE-KMS, versioning, every public access block), because a template over the
  51,200-byte inline limit can only reach CloudFormation through it (forecast MLPROV-F002);
- starter: the existing ``artifact_bucket``; professional/enterprise: the optional ``access_log_bucket`` (with the
  bucket policy the logging service needs); an ``s3`` source: its bucket, versioned, EventBridge notifications on
  (what ``mlprov forecast`` checks: MLPROV-F006..F008); a ``connection`` source: its connection, AVAILABLE
  (MLPROV-F015);
- enterprise, ``vpc_resolution: ssm``: a VPC with two subnets, published under the config's SSM parameter names;
- enterprise, ``vpc_resolution: direct``: the config's own VPC and subnets, under the config's ids
  (:mod:`mlprov.local_aws.customids`), so the committed example deploys as it is; :func:`point_at` changes nothing
  for it any more;
- enterprise, ``security_group_mode: existing``: a security-group provisioner stack exporting a group under the
  config's ``security_group_export`` name.

Idempotent per region: what exists already is reused. Clients come from ``client(service, region)``.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlprov.config.model import Product
from mlprov.deploypath import template_bucket_name

ClientFactory = Callable[[str, str], Any]
VPC_CIDR = "10.20.0.0/16"
SEED_TAG = "mlprov:local-fixture"


@dataclass
class Seeded:
    """What :func:`seed` made (or found) for one product."""

    created: list[str] = field(default_factory=list)
    vpc_id: str = ""
    subnet_ids: list[str] = field(default_factory=list)


def _bucket(s3: Any, name: str, region: str, out: Seeded) -> None:
    if name in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        return
    kwargs: dict[str, Any] = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **kwargs)
    out.created.append(f"S3 bucket {name}")


def _network(ec2: Any, out: Seeded) -> None:
    found = ec2.describe_vpcs(Filters=[{"Name": f"tag:{SEED_TAG}", "Values": ["vpc"]}])["Vpcs"]
    if found:
        out.vpc_id = found[0]["VpcId"]
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [out.vpc_id]}])["Subnets"]
        out.subnet_ids = [s["SubnetId"] for s in sorted(subnets, key=lambda s: s["CidrBlock"])][:2]
        return
    tags = [{"ResourceType": "vpc", "Tags": [{"Key": SEED_TAG, "Value": "vpc"}]}]
    out.vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR, TagSpecifications=tags)["Vpc"]["VpcId"]
    # private-DNS interface endpoints need DNS hostnames on (off by default in a new VPC) and one subnet per AZ
    # (EC2 API Reference, CreateVpcEndpoint, PrivateDnsEnabled; AWS PrivateLink Guide, "Create an interface endpoint")
    ec2.modify_vpc_attribute(VpcId=out.vpc_id, EnableDnsHostnames={"Value": True})
    region = ec2.meta.region_name
    out.subnet_ids = [ec2.create_subnet(VpcId=out.vpc_id, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"{region}{az}")
                      ["Subnet"]["SubnetId"] for i, az in ((1, "a"), (2, "b"))]
    out.created.append(f"VPC {out.vpc_id} with subnets {', '.join(out.subnet_ids)}")


def _parameter(ssm: Any, name: str, value: str, kind: str, out: Seeded) -> None:
    ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)
    out.created.append(f"SSM parameter {name} = {value}")


def _sg_provisioner(cfn: Any, export: str, vpc_id: str, out: Seeded) -> None:
    existing = {e["Name"] for page in cfn.get_paginator("list_exports").paginate() for e in page.get("Exports", [])}
    if export in existing:
        return
    stack = "local-" + re.sub(r"[^A-Za-z0-9-]", "-", export.removesuffix("-SecurityGroupId"))[:100]
    template = {
        "Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "HTTPS inside the VPC (local fixture of the SG provisioner stack)", "VpcId": vpc_id,
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": VPC_CIDR}]}}},
        "Outputs": {"SecurityGroupId": {"Value": {"Fn::GetAtt": ["Group", "GroupId"]}, "Export": {"Name": export}}},
    }
    cfn.create_stack(StackName=stack, TemplateBody=json.dumps(template))
    out.created.append(f"stack {stack} exporting {export}")


def _logging_policy(s3: Any, bucket: str, account_id: str) -> None:
    """Amazon S3 User Guide, "Permissions for server access log delivery": the logging service principal."""
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]}))


def _source_bucket(s3: Any, bucket: str) -> None:
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})


def _template_bucket(s3: Any, bucket: str, region: str, out: Seeded) -> None:
    """The bucket as ``mlprov.access.bootstrap`` declares it: SSE-KMS with the AWS managed key, versioning, every
    public access block (its TLS-only policy and ownership controls are not seeded: nothing here depends on them)."""
    before = len(out.created)
    _bucket(s3, bucket, region, out)
    if len(out.created) == before:
        return
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True})
    out.created[-1] += " (the bootstrap's template bucket)"


def seed_buckets(product: Product, client: ClientFactory, out: Seeded | None = None,
                 template_bucket: bool = True) -> Seeded:
    """The buckets ``product`` references but does not create, set up as the forecast expects them, and (unless
    ``template_bucket`` is false) the bootstrap's template bucket of its account and region."""
    region, config, out = product.region, product.config, out or Seeded()
    s3 = client("s3", region)
    if template_bucket:
        _template_bucket(s3, template_bucket_name(product.account_id, region), region, out)
    for key in ("artifact_bucket", "access_log_bucket"):
        if config.get(key):
            _bucket(s3, str(config[key]), region, out)
    if config.get("access_log_bucket"):
        _logging_policy(s3, str(config["access_log_bucket"]), product.account_id)
    source = config.get("source", {})
    if source.get("type") == "s3":
        _bucket(s3, str(source["bucket"]), region, out)
        _source_bucket(s3, str(source["bucket"]))
    if source.get("type") == "connection":
        seed_connection(product, client, out=out)
    return out


def seed_connection(product: Product, client: ClientFactory, status: str = "AVAILABLE", out: Seeded | None = None) -> Seeded:
    """The config's CodeConnections connection, under its own ARN, in ``status`` (local-only tags: the handshake a
    real connection needs happens in the provider's console; :mod:`mlprov.local_aws.connections`)."""
    from mlprov.local_aws.connections import FIXTURE_ARN, FIXTURE_STATUS  # noqa: PLC0415

    out = out or Seeded()
    arn = str(product.config["source"]["connection_arn"])
    service = arn.split(":")[2]
    api = client(service, product.region)
    with contextlib.suppress(api.exceptions.ResourceNotFoundException):
        api.delete_connection(ConnectionArn=arn)
    api.create_connection(ProviderType="GitHub", ConnectionName=f"{product.prefix}"[:32],
                          Tags=[{"Key": FIXTURE_ARN, "Value": arn}, {"Key": FIXTURE_STATUS, "Value": status}])
    out.created.append(f"CodeConnections connection {arn} ({status})")
    return out


def seed(product: Product, client: ClientFactory) -> Seeded:
    """Create what ``product`` references in its region (see the module doc)."""
    out, region = seed_buckets(product, client), product.region
    if product.tier != "enterprise":
        return out
    net = product.network
    if net.get("vpc_resolution") == "direct":
        from mlprov.local_aws.customids import vpc_with_ids  # noqa: PLC0415

        out.vpc_id, out.subnet_ids = str(net["vpc_id"]), [str(s) for s in net["subnet_ids"]]
        tags = [{"ResourceType": "vpc", "Tags": [{"Key": SEED_TAG, "Value": "direct"}]}]
        made = vpc_with_ids(client("ec2", region), out.vpc_id, out.subnet_ids, VPC_CIDR, tags)
        out.created += [f"{what} (the config's own id)" for what in made]
    else:
        _network(client("ec2", region), out)
    if net.get("vpc_resolution") == "ssm":
        ssm = client("ssm", region)
        _parameter(ssm, str(net["vpc_id_parameter"]), out.vpc_id, "String", out)
        _parameter(ssm, str(net["subnet_ids_parameter"]), ",".join(out.subnet_ids), "StringList", out)
    if net.get("security_group_mode") == "existing":
        _sg_provisioner(client("cloudformation", region), str(net["security_group_export"]), out.vpc_id, out)
    return out


def point_at(config: dict[str, Any], seeded: Seeded) -> dict[str, Any]:
    """A ``direct`` config with its network ids replaced by the seeded ones (other configs unchanged)."""
    net = dict(config.get("network", {}))
    if net.get("vpc_resolution") != "direct":
        return config
    net.update(vpc_id=seeded.vpc_id, subnet_ids=list(seeded.subnet_ids))
    return {**config, "network": net}


def boto3_clients(endpoint: str) -> ClientFactory:
    """A client factory for ``endpoint`` (boto3 imported when called, never at import)."""
    cache: dict[tuple[str, str], Any] = {}

    def make(service: str, region: str) -> Any:
        if (service, region) not in cache:
            import boto3  # noqa: PLC0415

            cache[service, region] = boto3.client(service, endpoint_url=endpoint, region_name=region)
        return cache[service, region]

    return make
