"""The review report's resource list: each resource with its key security properties, grouped by service.

The properties read are the ones a reviewer asks about: encryption (and which key), the IAM permissions
boundary, public access, and retention (DeletionPolicy, log retention, key deletion window, versioning).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlprov.render.inventory import STATEFUL
from mlprov.reports.intrinsics import short

NONE = "—"


@dataclass(frozen=True)
class ResourceRow:
    logical_id: str
    type: str
    encryption: str = NONE
    key: str = NONE
    boundary: str = NONE
    public_access: str = NONE
    retention: str = NONE

    @property
    def service(self) -> str:
        parts = self.type.split("::")
        return parts[1] if len(parts) > 2 else self.type

    @property
    def stateful(self) -> bool:
        return self.logical_id in STATEFUL


def _s3(p: dict[str, Any]) -> dict[str, str]:
    rules = (p.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration") or [{}]
    default = rules[0].get("ServerSideEncryptionByDefault") or {}
    block = p.get("PublicAccessBlockConfiguration") or {}
    flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    on = [f for f in flags if block.get(f) is True]
    public = "blocked (all 4 settings)" if len(on) == 4 else (f"partly blocked: {', '.join(on)}" if on else "NOT BLOCKED")
    versioning = (p.get("VersioningConfiguration") or {}).get("Status", "off")
    return {"encryption": short(default.get("SSEAlgorithm")) or "S3 default (SSE-S3)", "key": short(default.get("KMSMasterKeyID")),
            "public_access": public, "retention": f"versioning {versioning}"}


def _ingress(p: dict[str, Any]) -> str:
    rules = p.get("SecurityGroupIngress") or []
    if not rules:
        return "no ingress"
    text = [f"{r.get('IpProtocol')}:{r.get('FromPort')}-{r.get('ToPort')} from "
            f"{short(r.get('CidrIp') or r.get('CidrIpv6') or r.get('SourceSecurityGroupId'))}" for r in rules]
    opened = any(r.get("CidrIp") in {"0.0.0.0/0"} or r.get("CidrIpv6") == "::/0" for r in rules)
    return ("OPEN TO THE INTERNET: " if opened else "") + "; ".join(text)


def _pick(rtype: str, p: dict[str, Any]) -> dict[str, str]:
    """The security properties of one resource type (only those that apply)."""
    if rtype == "AWS::S3::Bucket":
        return _s3(p)
    if rtype == "AWS::KMS::Key":
        rotation = "rotation on" if p.get("EnableKeyRotation") is True else "ROTATION OFF"
        window = p.get("PendingWindowInDays", 30)
        return {"encryption": f"customer managed key, {rotation}", "retention": f"deletion window {window} days"}
    if rtype == "AWS::Logs::LogGroup":
        days = p.get("RetentionInDays")
        return {"encryption": "KMS" if p.get("KmsKeyId") else "CloudWatch default", "key": short(p.get("KmsKeyId")),
                "retention": f"{short(days)} days" if days is not None else "NEVER EXPIRES"}
    if rtype == "AWS::SNS::Topic":
        return {"encryption": "KMS" if p.get("KmsMasterKeyId") else "none", "key": short(p.get("KmsMasterKeyId"))}
    if rtype == "AWS::CodeBuild::Project":
        key = p.get("EncryptionKey")
        return {"encryption": "KMS (customer key)" if key else "AWS managed key", "key": short(key),
                "public_access": "inside the VPC" if p.get("VpcConfig") else NONE}
    if rtype == "AWS::CodePipeline::Pipeline":
        store = p.get("ArtifactStore") or {}
        key = (store.get("EncryptionKey") or {}).get("Id")
        return {"encryption": "KMS (customer key)" if key else "AWS managed key", "key": short(key)}
    if rtype == "AWS::CodeCommit::Repository":
        key = p.get("KmsKeyId")
        return {"encryption": "KMS (customer key)" if key else "AWS managed key", "key": short(key)}
    if rtype == "AWS::IAM::Role":
        return {"boundary": short(p.get("PermissionsBoundary")) or "NO BOUNDARY"}
    if rtype == "AWS::EC2::SecurityGroup":
        return {"public_access": _ingress(p)}
    if rtype == "AWS::EC2::VPCEndpoint":
        return {"public_access": f"{p.get('VpcEndpointType', 'Gateway')} endpoint in {short(p.get('VpcId'))}"}
    if rtype == "AWS::SSM::Parameter":
        return {"encryption": "plain String" if p.get("Type", "String") == "String" else short(p.get("Type"))}
    if rtype == "AWS::S3::BucketPolicy":
        sids = [str(s.get("Sid", "")) for s in (p.get("PolicyDocument") or {}).get("Statement", []) if s.get("Effect") == "Deny"]
        return {"public_access": "denies: " + ", ".join(sids) if sids else NONE}
    return {}


def row(logical_id: str, body: dict[str, Any]) -> ResourceRow:
    rtype = str(body.get("Type", ""))
    props = body.get("Properties") or {}
    picked = {k: v for k, v in _pick(rtype, props).items() if v}
    policy = body.get("DeletionPolicy")
    if policy:
        picked["retention"] = f"DeletionPolicy {policy}" + (f"; {picked['retention']}" if picked.get("retention") else "")
    return ResourceRow(logical_id, rtype, **picked)


def grouped(template: dict[str, Any]) -> dict[str, list[ResourceRow]]:
    """Service name -> its resources, services sorted, resources in template order."""
    out: dict[str, list[ResourceRow]] = {}
    for lid, body in (template.get("Resources") or {}).items():
        r = row(lid, body or {})
        out.setdefault(r.service, []).append(r)
    return dict(sorted(out.items()))
