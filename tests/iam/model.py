"""The requests AWS authorizes during a product's deploy path, built on the test side for the IAM oracle.

For every resource of a rendered template and every permission its (filtered) handlers, dependent actions and
service-side KMS use need, one request per resource type IAM's reference says the action authorizes on, with
realistic ARNs (random KMS key UUIDs, ``sg-``/``vpce-``/``sgr-`` ids, the VPC owner's account) and the context
keys AWS sends (``aws:RequestTag/*`` on the call that creates a tagged resource, ``aws:ResourceTag/*`` on an
existing one, ``iam:PassedToService``, ``iam:PermissionsBoundary``, ``iam:PolicyARN``, ``kms:ViaService``,
``ec2:CreateAction``, ``cloudformation:RoleArn``). The policies' own scoping code is not used: only the
generator's lists of actions (what is being checked for sufficiency) and IAM's reference data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mlprov.access import dependent, handlers, iamref, toolcalls
from mlprov.access.arns import resource_arns
from mlprov.config.model import Product
from mlprov.deploypath import PRODUCT_TAG, product_service_role_arn, template_bucket_name

from tests.iam.oracle import Request

# The service principal each resource type passes its role to (CreateProject, CreatePipeline, PutTargets).
PASSED_TO = {"AWS::CodeBuild::Project": "codebuild.amazonaws.com", "AWS::CodePipeline::Pipeline": "codepipeline.amazonaws.com",
             "AWS::Events::Rule": "events.amazonaws.com"}
CREATES = {"AWS::KMS::Key": ("kms", "key", "CreateKey"), "AWS::EC2::SecurityGroup": ("ec2", "security-group", "CreateSecurityGroup"),
           "AWS::EC2::VPCEndpoint": ("ec2", "vpc-endpoint", "CreateVpcEndpoint")}


@dataclass(frozen=True)
class Labeled:
    label: str  # e.g. "KmsKey create kms:PutKeyPolicy"
    request: Request


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        out = set()
        if "Ref" in node and isinstance(node["Ref"], str):
            out.add(node["Ref"])
        if "Fn::GetAtt" in node:
            att = node["Fn::GetAtt"]
            out.add(att[0] if isinstance(att, list) else str(att).split(".")[0])
        for v in node.values():
            out |= _refs(v)
        return out
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


class World:
    """Concrete ids for one product rendering: what AWS would have picked."""

    def __init__(self, product: Product, template: Mapping[str, Any], seed: int = 7) -> None:
        self.product, self.template = product, template
        self.rng = random.Random(seed)
        self.part, self.region, self.acct = product.partition, product.region, product.account_id
        self.resources: dict[str, Any] = dict(template["Resources"])
        self.arns = resource_arns(template)
        self.ids: dict[str, str] = {}
        net = product.network
        self.vpc_owner = str(net.get("vpc_owner_account") or self.acct)
        self.vpc_id = str(net.get("vpc_id") or self._hex("vpc-", 17))
        self.subnets = [str(s) for s in net.get("subnet_ids") or [self._hex("subnet-", 17), self._hex("subnet-", 17)]]
        self.existing_sg = self._hex("sg-", 17)

    def _hex(self, prefix: str, n: int) -> str:
        return prefix + "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def id_of(self, logical: str) -> str:
        if logical not in self.ids:
            rtype = self.resources[logical]["Type"]
            self.ids[logical] = {"AWS::KMS::Key": lambda: str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                                 "AWS::EC2::SecurityGroup": lambda: self._hex("sg-", 17),
                                 "AWS::EC2::VPCEndpoint": lambda: self._hex("vpce-", 17)}[rtype]()
        return self.ids[logical]

    def tagged_arn(self, logical: str) -> str:
        service, rname, _op = CREATES[self.resources[logical]["Type"]]
        return f"arn:{self.part}:{service}:{self.region}:{self.acct}:{rname}/{self.id_of(logical)}"

    def tag(self, key: str) -> dict[str, str | list[str]]:
        return {f"{key}/{PRODUCT_TAG}": self.product.prefix}

    def of_type(self, rtype: str) -> list[str]:
        return [lid for lid, r in self.resources.items() if r["Type"] == rtype]


def _concrete(arn: str) -> str:
    """A concrete ARN for a listed pattern (stack ids, bucket objects, log streams, pipeline stages)."""
    return arn.replace("/*", "/4f2c9e1a-0b1c-4d2e-8f3a-5b6c7d8e9f01" if ":stack/" in arn else "/Source" if ":codepipeline:" in arn
                       else "/data/part-0000.csv").replace(":*", ":log-stream:build/1")


def _candidates(world: World, logical: str, action: str, rname: str, fmt: str) -> list[tuple[str, dict[str, Any]]]:
    res = world.resources[logical]
    rtype, props = res["Type"], res.get("Properties", {})
    regex = iamref.format_regex(fmt)
    service = action.split(":", maxsplit=1)[0]
    tagging = action.split(":")[1] in ("CreateTags", "DeleteTags")
    # Tagging calls act on the resource itself; other calls also on what its properties reference.
    related = [logical] if tagging else [logical, *sorted(_refs(props) & set(world.resources))]
    code = (props.get("Code") or {}).get("S3") or {}
    if rtype == "AWS::CodeCommit::Repository" and service == "s3" and rname == "object" and code:
        # The create handler reads the seed zip named by Code.S3 (what CloudFormation's handler asks S3 for).
        return [(f"arn:{world.part}:s3:::{code['Bucket']}/{code['Key']}", {})]
    named: list[tuple[str, dict[str, Any]]] = [
        (_concrete(a), {}) for lid in related for a in world.arns.get(lid, []) if regex.match(_concrete(a))]
    if named:
        return named[:1] if rname != "role" else named
    out: list[tuple[str, dict[str, Any]]] = []
    for lid in related:
        t = world.resources[lid]["Type"]
        if t in CREATES and CREATES[t][:2] == (service, rname):
            creating = lid == logical and action == f"{service}:{CREATES[t][2]}"
            if lid != logical and t == rtype and action == f"{service}:{CREATES[t][2]}":
                # The create call of a type names only the new resource of that type (CreateSecurityGroup takes
                # no other group: a rule's referenced group is the later Authorize* call's), never a sibling.
                continue
            out.append((world.tagged_arn(lid), world.tag("aws:RequestTag") | {"aws:TagKeys": [PRODUCT_TAG]} if creating
                        else world.tag("aws:ResourceTag")))
    if out or tagging:
        return out
    base = f"arn:{world.part}:ec2:{world.region}:{world.vpc_owner}"
    if (service, rname) == ("ec2", "vpc") and ("VpcId" in props):
        return [(f"{base}:vpc/{world.vpc_id}", {})]
    if (service, rname) == ("ec2", "subnet") and "SubnetIds" in props:
        return [(f"{base}:subnet/{s}", {}) for s in world.subnets]
    if (service, rname) == ("ec2", "security-group") and rtype == "AWS::EC2::VPCEndpoint":
        return [(f"arn:{world.part}:ec2:{world.region}:{world.acct}:security-group/{world.existing_sg}", {})]
    if (service, rname) == ("ec2", "security-group-rule") and rtype == "AWS::EC2::SecurityGroup" and "Authorize" in action:
        return [(f"arn:{world.part}:ec2:{world.region}:{world.acct}:security-group-rule/{world._hex('sgr-', 17)}", {})]
    if (service, rname) == ("route53", "hostedzone"):
        return [(f"arn:{world.part}:route53:::hostedzone/Z{world._hex('', 20).upper()}", {})]
    return []


def _extra_context(world: World, logical: str, action: str, arn: str) -> list[dict[str, Any]]:
    """Action-specific context keys AWS sends; several entries: one request each."""
    res = world.resources[logical]
    rtype, props = res["Type"], res.get("Properties", {})
    if action == "iam:PassRole":
        return [{"iam:PassedToService": PASSED_TO.get(rtype, "cloudformation.amazonaws.com")}]
    if action in ("iam:CreateRole", "iam:PutRolePermissionsBoundary") and props.get("PermissionsBoundary"):
        boundary = props["PermissionsBoundary"]["Ref"]
        return [{"iam:PermissionsBoundary": world.arns[boundary][0]}]
    if action in ("iam:AttachRolePolicy", "iam:DetachRolePolicy"):
        refs = [r["Ref"] if isinstance(r, dict) else r for r in props.get("ManagedPolicyArns", [])]
        return [{"iam:PolicyARN": world.arns[r][0] if r in world.arns else r} for r in refs]
    if action == "ec2:CreateTags" and rtype in CREATES and ("security-group/" in arn or "vpc-endpoint/" in arn):
        created = f"{CREATES[rtype][1]}/{world.id_of(logical)}" in arn
        if created:  # tags given with the create call (TagSpecifications)
            return [world.tag("aws:RequestTag") | {"ec2:CreateAction": CREATES[rtype][2], "aws:TagKeys": [PRODUCT_TAG]},
                    world.tag("aws:ResourceTag")]
    return [{}]


def resource_requests(product: Product, template: Mapping[str, Any], handler_names: tuple[str, ...] = (
        "create", "read", "update", "delete")) -> Iterator[Labeled]:
    """Every request the service role's calls make for this rendering (a test copy: render ``for_test``)."""
    world = World(product, template)
    for logical, perms in handlers.for_template(template).items():
        res = world.resources[logical]
        props = res.get("Properties", {})
        needed = {(h, a) for h in handler_names for a in perms.get(h, [])}
        if "create" in handler_names:
            needed |= {("dependent", iamref.require(a, d.source)) for d in dependent.dependents(res["Type"], props)
                       for a in d.actions}
        for handler, action in sorted(needed):
            yield from _for_action(world, logical, handler, action)
        if "create" in handler_names:
            for use in dependent.kms_uses(res["Type"], props):
                key = props[use.property]
                target = key["Fn::GetAtt"][0] if isinstance(key, dict) and "Fn::GetAtt" in key else None
                if target:
                    for action in use.actions:
                        yield Labeled(f"{logical} kms-via-{use.service} {action}", Request(
                            action, world.tagged_arn(target),
                            world.tag("aws:ResourceTag") | {"kms:ViaService": f"{use.service}.{world.region}.amazonaws.com"}))


def _connections(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [str(v) for k, v in node.items() if k == "ConnectionArn" and isinstance(v, str)]
        return own + [a for v in node.values() for a in _connections(v)]
    return [a for v in node for a in _connections(v)] if isinstance(node, list) else []


def _for_action(world: World, logical: str, handler: str, action: str) -> Iterator[Labeled]:
    rtypes = iamref.resource_types(action)
    label = f"{logical} {handler} {action}"
    rtype = world.resources[logical]["Type"]
    if action.endswith(":PassConnection"):
        # AWS authorizes the pass under the connection ARN's own prefix ("Connections rename - Summary of changes",
        # https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html), whatever name the registry lists.
        for arn in sorted(set(_connections(world.resources[logical].get("Properties", {})))):
            yield Labeled(f"{label} on connection", Request(f"{arn.split(':')[2]}:PassConnection", arn))
        return
    if not rtypes:
        ctx: dict[str, Any] = {}
        if rtype in CREATES and action == f"{CREATES[rtype][0]}:{CREATES[rtype][2]}":
            ctx = world.tag("aws:RequestTag") | {"aws:TagKeys": [PRODUCT_TAG]}
        yield Labeled(label, Request(action, "*", ctx))
        return
    produced = False
    for rname, fmt, required in rtypes:
        for arn, ctx in _candidates(world, logical, action, rname, fmt):
            for extra in _extra_context(world, logical, action, arn):
                produced = True
                yield Labeled(f"{label} on {rname}", Request(action, arn, {**ctx, **extra}))
        del required
    if not produced:
        yield Labeled(f"{label} UNMODELLED", Request(action, "arn:aws:unmodelled:::x"))


def _seed_requests(product: Product, template: Mapping[str, Any], action: str, *, sources: bool) -> Iterator[Labeled]:
    """The seed uploads (mlprov.seeds.upload): each repository's Code.S3 object (HeadObject, PutObject) and, for the
    deployer of an S3 source, a conditional PutObject (If-None-Match: *) of each source key."""
    for logical, res in sorted(template["Resources"].items()):
        code = (res.get("Properties", {}).get("Code") or {}).get("S3")
        if res["Type"] == "AWS::CodeCommit::Repository" and code:
            yield Labeled(f"tool {action} seed of {logical}", Request(action, f"arn:aws:s3:::{code['Bucket']}/{code['Key']}"))
    src = product.config["source"]
    if sources and action == "s3:PutObject" and src["type"] == "s3" and src.get("seed", True):
        for field_ in ("build_key", "deploy_key"):
            yield Labeled(f"tool {action} seed of source.{field_}", Request(
                action, f"arn:aws:s3:::{src['bucket']}/{src[field_]}", {"s3:if-none-match": "*"}))


def tool_requests(product: Product, template: Mapping[str, Any], actions: list[str], *,
                  seed_sources: bool = False) -> Iterator[Labeled]:
    """The tool's own calls (collected from the code) on the product's stack and resources; ``seed_sources``: the
    deployer's writes of absent S3 source keys too."""
    world = World(product, template)
    stack = (f"arn:{world.part}:cloudformation:{world.region}:{world.acct}:stack/{product.names.stack}"
             "/4f2c9e1a-0b1c-4d2e-8f3a-5b6c7d8e9f01")
    for action in actions:
        rtypes = iamref.resource_types(action)
        if not rtypes:
            yield Labeled(f"tool {action}", Request(action, "*"))
            continue
        if action in ("s3:GetObject", "s3:PutObject"):
            # The tool's only object calls: the template upload to the bootstrap's bucket (aws/templatesource.py).
            bucket = template_bucket_name(product.account_id, product.region)
            yield Labeled(f"tool {action} template", Request(action, f"arn:{world.part}:s3:::{bucket}/templates/"
                                                                    "3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa998877665544332211.json"))
            yield from _seed_requests(product, template, action, sources=seed_sources)
            continue
        if action.startswith("cloudformation:"):
            ctx: dict[str, Any] = {}
            if action == "cloudformation:CreateChangeSet":
                ctx = {"cloudformation:RoleArn": product_service_role_arn(product)}
            yield Labeled(f"tool {action}", Request(action, stack, ctx))
            continue
        found = False
        for logical in world.resources:
            for rname, fmt, _req in rtypes:
                for arn, ctx in _candidates(world, logical, action, rname, fmt):
                    if arn.split(":")[4] in (world.acct, "") and not ctx.get(f"aws:RequestTag/{PRODUCT_TAG}"):
                        found = True
                        yield Labeled(f"tool {action} on {logical}", Request(action, arn, ctx))
        if action.startswith("ssm:GetParameter"):
            net = product.network
            for key in ("vpc_id_parameter", "subnet_ids_parameter"):
                if net.get(key):
                    found = True
                    yield Labeled(f"tool {action} on {key}", Request(
                        action, f"arn:{world.part}:ssm:{world.region}:{world.acct}:parameter{net[key]}"))
        conn = product.config["source"].get("connection_arn")
        if action.endswith(":GetConnection") and conn and action.split(":")[0] == conn.split(":")[2]:
            found = True  # the forecast's MLPROV-F015 reads the connection under its ARN's own prefix
            yield Labeled(f"tool {action} on the connection", Request(action, conn))
        del found


def tool_actions_called() -> list[str]:
    return toolcalls.actions()
