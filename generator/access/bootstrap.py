"""The bootstrap stacks: what the deploy path needs outside the product stacks, made once by an administrator.

Deployed in this order (``stacks`` returns them so; ``mlprov bootstrap --deploy``):

1. per account and region, ``bootstrap/<account>-<region>/template.yaml`` (stack ``mlprov-bootstrap-<account>-<region>``):
   the bucket for templates over the inline limit (``deploypath.template_bucket_name``): SSE-KMS with the AWS
   managed key, versioning, every public access block, bucket-owner-enforced ownership, and a policy that denies
   any request not over TLS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html);
2. per product, ``bootstrap/<account>/service-roles/<stack>/template.yaml`` (stack ``mlprov-bootstrap-<stack>``):
   its CloudFormation service role (``/mlprov/<stack>-cfn``) with the contract's managed policies. Adding a product
   adds one small stack;
3. per account, ``bootstrap/<account>/template.yaml`` (stack ``mlprov-bootstrap-<account>``): the deploy, plan and
   drift roles (``/mlprov/mlprov-{deploy,plan,drift}``) with OIDC trust for the repository's GitHub Actions (and the
   CI CodeBuild role when given) and the union of the products' statements, each compressed to its product's name
   space (:mod:`namespace`) so a role grows per product, not per resource.

IAM's limits bound the account roles: 10 managed policies per role, 6,144 characters each
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); an account whose products need
more is refused with the figure (bootstrap them as several accounts, or raise the quota to 20).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from mlprov.access import namespace
from mlprov.access.grants import PolicyError
from mlprov.access.packing import pack_statements
from mlprov.access.principals import MAX_POLICIES, contract
from mlprov.access.trust import TrustSettings, account_role
from mlprov.config.model import Product
from mlprov.config.regions import partition as partition_of
from mlprov.deploypath import (
    ACCOUNT_ROLES,
    PRODUCT_TAG,
    ROLE_PATH,
    account_stack_name,
    region_stack_name,
    service_role_stack_name,
    template_bucket_name,
)
from mlprov.errors import UserError

ACCOUNT_KINDS = ("deployer", "plan", "drift")
DESCRIPTION = "ML Provisioner bootstrap ({scope}): made once by an administrator with `mlprov bootstrap`"


@dataclass(frozen=True)
class BootstrapStack:
    name: str  # the stack name
    folder: str  # bootstrap/<folder>/template.yaml
    region: str
    template: dict[str, Any]

    @property
    def account(self) -> str:
        return str(self.template["Metadata"]["MlProvisioner"]["AccountId"])

    def text(self) -> str:
        return yaml.safe_dump(self.template, sort_keys=False, width=120)


def _logical(name: str) -> str:
    return "".join(w.capitalize() for w in name.replace("_", "-").split("-") if w)[:200]


def _managed_policies(role_logical: str, docs: list[dict[str, Any]], description: str) -> dict[str, Any]:
    return {f"{role_logical}Policy{i + 1}": {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {"Path": ROLE_PATH, "Description": f"{description} ({i + 1} of {len(docs)})", "PolicyDocument": doc},
    } for i, doc in enumerate(docs)}


def _role(name: str, trust: dict[str, Any] | None, policy_ids: list[str], description: str) -> dict[str, Any]:
    # A role without anyone trusted is still valid: nobody can assume it until the trust is rendered with a repository.
    trust = trust or {"Version": "2012-10-17", "Statement": [{"Sid": "NobodyYet", "Effect": "Deny",
                                                              "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    return {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": name, "Path": ROLE_PATH, "Description": description, "AssumeRolePolicyDocument": trust,
        "ManagedPolicyArns": [{"Ref": pid} for pid in policy_ids], "MaxSessionDuration": 3600,
        "Tags": [{"Key": "mlprov:managed-by", "Value": "ml-provisioner"}, {"Key": "mlprov:bootstrap", "Value": "true"}]}}


def service_role_stack(product: Product, template: dict[str, Any]) -> BootstrapStack:
    """One product's CloudFormation service role and its managed policies (exactly the contract's)."""
    [principal] = [p for p in contract(product, template)["principals"] if p["kind"] == "cloudformation-service-role"]
    stack_name = product.names.stack
    lid = _logical(principal["name"])
    resources = _managed_policies(lid, principal["policies"], f"CloudFormation service role of {stack_name}")
    resources[lid] = _role(principal["name"], principal["trust"], list(resources),
                           f"CloudFormation service role of {stack_name}: every change set names it")
    resources[lid]["Properties"]["Tags"].append({"Key": PRODUCT_TAG, "Value": product.prefix})
    template_out = {"AWSTemplateFormatVersion": "2010-09-09",
                    "Description": DESCRIPTION.format(scope=f"service role of {stack_name}"),
                    "Metadata": {"MlProvisioner": {"Bootstrap": "service-role", "AccountId": product.account_id,
                                                   "Product": stack_name}},
                    "Resources": resources,
                    "Outputs": {"ServiceRoleArn": {"Value": {"Fn::GetAtt": [lid, "Arn"]}}}}
    return BootstrapStack(service_role_stack_name(stack_name), f"{product.account_id}/service-roles/{stack_name}",
                          product.region, template_out)


def account_policies(account: str, products: Sequence[tuple[Product, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """kind -> the managed policy documents of the account's deploy / plan / drift role: every product's statements
    compressed to its name space and merged (:mod:`namespace`), packed (:mod:`packing`)."""
    per_kind: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)
    for product, template in products:
        for principal in contract(product, template)["principals"]:
            if principal["kind"] != "cloudformation-service-role":
                statements = [st for doc in principal["policies"] for st in doc["Statement"]]
                per_kind[principal["kind"]].append(namespace.compress(statements, product.names.stack))
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in ACCOUNT_KINDS:
        name = ACCOUNT_ROLES[kind]
        try:
            out[kind] = pack_statements(namespace.merge(per_kind[kind]), f"{name} of account {account}")
        except PolicyError as exc:
            raise UserError(f"account {account}: {exc.message}",
                            hint=f"bootstrap fewer products per account (at most {MAX_POLICIES} managed policies per role), "
                            "or ask AWS to raise the managed-policies-per-role quota to 20 and split accordingly") from exc
    return out


def account_stack(account: str, products: Sequence[tuple[Product, dict[str, Any]]], settings: TrustSettings) -> BootstrapStack:
    """The account's deploy, plan and drift roles (the service roles are in their own stacks)."""
    region = sorted(p.region for p, _t in products)[0]
    part = partition_of(region)
    resources: dict[str, Any] = {}
    for kind, docs in account_policies(account, products).items():
        name = ACCOUNT_ROLES[kind]
        lid = _logical(name)
        policies = _managed_policies(lid, docs, f"{kind} role of the products of account {account}")
        resources |= policies
        resources[lid] = _role(name, account_role(kind, account, part, settings), list(policies),
                               f"ML Provisioner {kind} role (assumed by CI)")
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Description": DESCRIPTION.format(scope=f"account {account}"),
                "Metadata": {"MlProvisioner": {"Bootstrap": "account", "AccountId": account,
                                               "Trust": trust_metadata(settings),
                                               "Products": sorted(p.names.stack for p, _t in products)}},
                "Resources": resources,
                "Outputs": {f"{_logical(ACCOUNT_ROLES[k])}Arn": {"Value": {"Fn::GetAtt": [_logical(ACCOUNT_ROLES[k]), "Arn"]}}
                            for k in ACCOUNT_KINDS}}
    return BootstrapStack(account_stack_name(account), account, region, template)


def region_stack(account: str, region: str) -> BootstrapStack:
    bucket = template_bucket_name(account, region)
    part = partition_of(region)
    arn = f"arn:{part}:s3:::{bucket}"
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": DESCRIPTION.format(scope=f"account {account}, region {region}"),
        "Metadata": {"MlProvisioner": {"Bootstrap": "region", "AccountId": account, "Region": region}},
        "Resources": {
            "TemplateBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                               "Properties": {
                "BucketName": bucket,
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]},
                "VersioningConfiguration": {"Status": "Enabled"},
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                   "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "LifecycleConfiguration": {"Rules": [{"Id": "expire-old-templates", "Status": "Enabled",
                                                      "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                                                      "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]},
                "Tags": [{"Key": "mlprov:managed-by", "Value": "ml-provisioner"}, {"Key": "mlprov:bootstrap", "Value": "true"}],
            }},
            "TemplateBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "TemplateBucket"},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, f"{arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
        },
        "Outputs": {"TemplateBucketName": {"Value": {"Ref": "TemplateBucket"}}},
    }
    return BootstrapStack(region_stack_name(account, region), f"{account}-{region}", region, template)


def trust_metadata(settings: TrustSettings) -> dict[str, Any]:
    """Who the account roles trust, recorded in the account template so a re-render (and ``--check``) keeps it."""
    out: dict[str, Any] = {"DeployEnvironments": list(settings.deploy_environments)}
    if settings.github_repository:  # absent, not null: cfn-lint refuses a null in Metadata (E4002)
        out["GitHubRepository"] = settings.github_repository
    if settings.codebuild_role_arn:
        out["CodeBuildRoleArn"] = settings.codebuild_role_arn
    return out


def recorded_trust(template: Mapping[str, Any]) -> TrustSettings | None:
    """The trust a committed account template was rendered with (None when it records none)."""
    meta = (template.get("Metadata") or {}).get("MlProvisioner") or {}
    trust = meta.get("Trust")
    if not isinstance(trust, dict):
        return None
    return TrustSettings(github_repository=trust.get("GitHubRepository"),
                         deploy_environments=tuple(trust.get("DeployEnvironments") or ("production-approval",)),
                         codebuild_role_arn=trust.get("CodeBuildRoleArn"))


def stacks(products: Sequence[tuple[Product, dict[str, Any]]], settings: TrustSettings,
           per_account: Mapping[str, TrustSettings] | None = None) -> list[BootstrapStack]:
    """Every bootstrap stack, in deploy order per account: the region stacks (their buckets take the templates over
    the inline limit), each product's service-role stack, then the account stack (its roles pass the service roles).
    ``per_account``: the trust of some accounts (their committed one), else ``settings``."""
    by_account: dict[str, list[tuple[Product, dict[str, Any]]]] = defaultdict(list)
    for product, template in products:
        by_account[product.account_id].append((product, template))
    out: list[BootstrapStack] = []
    for account in sorted(by_account):
        group = sorted(by_account[account], key=lambda pt: pt[0].names.stack)
        out += [region_stack(account, region) for region in sorted({p.region for p, _t in group})]
        out += [service_role_stack(p, t) for p, t in group]
        out.append(account_stack(account, group, (per_account or {}).get(account, settings)))
    return out
