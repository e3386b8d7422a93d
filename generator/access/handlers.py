"""Registry handler permissions, filtered by the properties the rendered template actually sets.

A resource type's registry schema (shipped by cfn-lint) lists every permission any of its handlers may need,
for every feature of the type: AWS::IAM::ManagedPolicy's ``Users``/``Groups`` bring ``iam:AttachUserPolicy``
and ``iam:AttachGroupPolicy`` even where the template attaches the policy to no user or group. Copied whole,
they make the deployer admin-equivalent. :data:`WHEN_SET` says, per type, which permissions belong to which
property: such a permission is kept only when the template sets one of those properties (the table names
mostly write permissions: handlers call their reads unconditionally). Every other permission is kept.

Some schema entries are API operation names, not IAM actions (``s3:REST.PUT.OBJECT``, ``s3:DeleteBucketCors``).
:data:`IAM_ACTION_OF` maps each to the IAM action that authorizes it (None: no IAM action, nothing to grant);
the S3 mapping is AWS's "Required permissions for Amazon S3 API operations"
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html). Any other name
IAM does not know stops the generator (:class:`mlprov.access.iamref.UnknownActionError`).

:data:`NEVER` are permissions no product of this tool may hold, whatever the template says.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from mlprov.access import iamref
from mlprov.policy import registry

IAM_ACTION_OF: dict[str, str | None] = {
    "s3:REST.PUT.OBJECT": "s3:PutObject",
    "s3:DeleteBucketCors": "s3:PutBucketCORS",
    "s3:DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "s3:DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "s3:DeleteBucketAnalyticsConfiguration": "s3:PutAnalyticsConfiguration",
    "s3:DeleteBucketMetricsConfiguration": "s3:PutMetricsConfiguration",
    "s3:DeleteBucketReplication": "s3:PutReplicationConfiguration",
    "s3:PutBucketReplication": "s3:PutReplicationConfiguration",
    "s3:PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
    # Not in IAM's vpc-lattice reference (it has ListServiceNetworkVpcEndpointAssociations); only endpoints
    # with ServiceNetworkArn would need it, which this tool never renders.
    "vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation": None,
}

# The enterprise boundary must not be removable: the product's roles keep it for life (issue 10).
NEVER = frozenset({"iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"})

_TAGS = ("Tags",)
# type -> {write permission: the properties that need it}. Write permissions of a type not named here are kept.
WHEN_SET: dict[str, dict[str, tuple[str, ...]]] = {
    "AWS::IAM::ManagedPolicy": {
        "iam:AttachUserPolicy": ("Users",), "iam:DetachUserPolicy": ("Users",),
        "iam:AttachGroupPolicy": ("Groups",), "iam:DetachGroupPolicy": ("Groups",),
        "iam:AttachRolePolicy": ("Roles",), "iam:DetachRolePolicy": ("Roles",),
    },
    "AWS::IAM::Policy": {
        "iam:PutUserPolicy": ("Users",), "iam:DeleteUserPolicy": ("Users",),
        "iam:PutGroupPolicy": ("Groups",), "iam:DeleteGroupPolicy": ("Groups",),
        "iam:PutRolePolicy": ("Roles",), "iam:DeleteRolePolicy": ("Roles",),
    },
    "AWS::IAM::Role": {
        "iam:AttachRolePolicy": ("ManagedPolicyArns",), "iam:DetachRolePolicy": ("ManagedPolicyArns",),
        "iam:PutRolePolicy": ("Policies",), "iam:DeleteRolePolicy": ("Policies",),
        "iam:PutRolePermissionsBoundary": ("PermissionsBoundary",),
        "iam:TagRole": _TAGS, "iam:UntagRole": _TAGS,
    },
    "AWS::S3::Bucket": {
        "iam:PassRole": ("ReplicationConfiguration",),
        "s3:PutAccelerateConfiguration": ("AccelerateConfiguration",),
        "s3:PutAnalyticsConfiguration": ("AnalyticsConfigurations",),
        "s3:PutBucketAbac": ("AbacStatus",),
        "s3:PutBucketAcl": ("AccessControl",), "s3:PutObjectAcl": ("AccessControl",),
        "s3:PutBucketCORS": ("CorsConfiguration",),
        "s3:PutBucketLogging": ("LoggingConfiguration",),
        "s3:PutBucketNotification": ("NotificationConfiguration",),
        "s3:PutBucketObjectLockConfiguration": ("ObjectLockConfiguration", "ObjectLockEnabled"),
        "s3:PutBucketOwnershipControls": ("OwnershipControls",),
        "s3:PutBucketPublicAccessBlock": ("PublicAccessBlockConfiguration",),
        "s3:PutReplicationConfiguration": ("ReplicationConfiguration",),
        "s3:PutBucketTagging": _TAGS, "s3:TagResource": _TAGS, "s3:UntagResource": _TAGS,
        "s3:PutBucketVersioning": ("VersioningConfiguration",),
        "s3:PutBucketWebsite": ("WebsiteConfiguration",), "s3:DeleteBucketWebsite": ("WebsiteConfiguration",),
        "s3:PutEncryptionConfiguration": ("BucketEncryption",),
        "s3:PutIntelligentTieringConfiguration": ("IntelligentTieringConfigurations",),
        "s3:PutInventoryConfiguration": ("InventoryConfigurations",),
        "s3:PutLifecycleConfiguration": ("LifecycleConfiguration",),
        "s3:PutMetricsConfiguration": ("MetricsConfigurations",),
        **{a: ("MetadataTableConfiguration", "MetadataConfiguration") for a in (
            "s3:CreateBucketMetadataTableConfiguration", "s3:DeleteBucketMetadataTableConfiguration",
            "s3:UpdateBucketMetadataAnnotationTableConfiguration", "s3:UpdateBucketMetadataInventoryTableConfiguration",
            "s3:UpdateBucketMetadataJournalTableConfiguration", "s3tables:CreateNamespace", "s3tables:CreateTable",
            "s3tables:CreateTableBucket", "s3tables:PutTableBucketPolicy", "s3tables:PutTableEncryption",
            "s3tables:PutTablePolicy", "s3tables:UpdateTableMetadataLocation")},
    },
    "AWS::Logs::LogGroup": {
        "logs:PutDataProtectionPolicy": ("DataProtectionPolicy",),
        "logs:DeleteDataProtectionPolicy": ("DataProtectionPolicy",),
        # Audit findings of a data protection policy go to Firehose / S3 through a log delivery.
        "logs:CreateLogDelivery": ("DataProtectionPolicy",), "firehose:TagDeliveryStream": ("DataProtectionPolicy",),
        "s3:PutObject": ("DataProtectionPolicy",),
        "logs:PutResourcePolicy": ("ResourcePolicyDocument",), "logs:DeleteResourcePolicy": ("ResourcePolicyDocument",),
        "logs:PutIndexPolicy": ("FieldIndexPolicies",), "logs:DeleteIndexPolicy": ("FieldIndexPolicies",),
        "logs:AssociateKmsKey": ("KmsKeyId",), "logs:DisassociateKmsKey": ("KmsKeyId",),
        "logs:PutRetentionPolicy": ("RetentionInDays",), "logs:DeleteRetentionPolicy": ("RetentionInDays",),
        "logs:PutBearerTokenAuthentication": ("BearerTokenAuthenticationEnabled",),
        "logs:PutLogGroupDeletionProtection": ("DeletionProtectionEnabled",),
        "logs:TagResource": _TAGS, "logs:UntagResource": _TAGS,
    },
    "AWS::EC2::VPCEndpoint": {
        "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation": ("ServiceNetworkArn",),
        "vpce:AllowMultiRegion": ("ServiceRegion",),
        "ec2:CreateTags": _TAGS, "ec2:DeleteTags": _TAGS,
    },
    "AWS::EC2::SecurityGroup": {
        "ec2:CreateTags": _TAGS, "ec2:DeleteTags": _TAGS,
        "ec2:AuthorizeSecurityGroupIngress": ("SecurityGroupIngress",),
        "ec2:RevokeSecurityGroupIngress": ("SecurityGroupIngress",),
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress": ("SecurityGroupIngress",),
    },
    "AWS::KMS::Key": {
        "kms:DisableKey": ("Enabled",), "kms:EnableKey": ("Enabled",),
        "kms:TagResource": _TAGS, "kms:UntagResource": _TAGS,
    },
    "AWS::SNS::Topic": {
        "sns:PutDataProtectionPolicy": ("DataProtectionPolicy",),
        "sns:Subscribe": ("Subscription",), "sns:Unsubscribe": ("Subscription",),
        "iam:PassRole": ("DeliveryStatusLogging",), "iam:GetRole": ("DeliveryStatusLogging",),
        "sns:TagResource": _TAGS, "sns:UntagResource": _TAGS,
    },
    "AWS::SNS::Subscription": {"iam:PassRole": ("SubscriptionRoleArn",), "iam:GetRole": ("SubscriptionRoleArn",)},
    "AWS::CodeCommit::Repository": {
        "codecommit:CreateCommit": ("Code",),
        "codecommit:PutRepositoryTriggers": ("Triggers",),
        "codecommit:UpdateRepositoryEncryptionKey": ("KmsKeyId",),
        "codecommit:TagResource": _TAGS, "codecommit:UntagResource": _TAGS,
    },
    "AWS::CodePipeline::Pipeline": {
        "codepipeline:TagResource": _TAGS, "codepipeline:UntagResource": _TAGS,
        # Only a source action using a CodeStar connection (its Configuration names ConnectionArn) passes one.
        "codestar-connections:PassConnection": ("**/ConnectionArn",),
        # Stage transitions are the handler's answer to DisableInboundStageTransitions, which no template sets.
        "codepipeline:DisableStageTransition": ("DisableInboundStageTransitions",),
        "codepipeline:EnableStageTransition": ("DisableInboundStageTransitions",),
    },
    "AWS::CloudWatch::Alarm": {"cloudwatch:TagResource": _TAGS, "cloudwatch:UntagResource": _TAGS},
    "AWS::CloudWatch::Dashboard": {"cloudwatch:TagResource": _TAGS, "cloudwatch:UntagResource": _TAGS},
    "AWS::SSM::Parameter": {"ssm:AddTagsToResource": _TAGS, "ssm:RemoveTagsFromResource": _TAGS},
    "AWS::SageMaker::ModelPackageGroup": {
        "sagemaker:PutModelPackageGroupPolicy": ("ModelPackageGroupPolicy",),
        "sagemaker:DeleteModelPackageGroupPolicy": ("ModelPackageGroupPolicy",),
        "sagemaker:AddTags": _TAGS, "sagemaker:DeleteTags": _TAGS,
    },
    "AWS::Events::Rule": {"events:TagResource": _TAGS, "events:UntagResource": _TAGS},
}
# Registry names (before mapping to IAM actions) that belong to a property the same way.
READ_WHEN_SET: dict[str, dict[str, tuple[str, ...]]] = {
    "AWS::S3::Bucket": {a: ("MetadataTableConfiguration", "MetadataConfiguration")
                        for a in ("s3tables:GetTable", "s3tables:GetTableMetadataLocation")},
    "AWS::IAM::Policy": {"iam:GetUserPolicy": ("Users",), "iam:GetGroupPolicy": ("Groups",), "iam:GetRolePolicy": ("Roles",)},
    # The seed archive is read only when Code is set; a given version only when Code names one (ObjectVersion).
    "AWS::CodeCommit::Repository": {"s3:GetObject": ("Code",), "s3:GetObjectVersion": ("**/ObjectVersion",)},
    "AWS::EC2::VPCEndpoint": {"vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation": ("ServiceNetworkArn",)},
}


def iam_action(permission: str, resource_type: str) -> str | None:
    """The IAM action for one registry permission (None: nothing to grant); unknown names raise."""
    if permission in IAM_ACTION_OF:
        permission = IAM_ACTION_OF[permission] or ""
        if not permission:
            return None
    return iamref.require(permission, f"registry schema of {resource_type}")


def _has_key(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        return key in node or any(_has_key(v, key) for v in node.values())
    if isinstance(node, list):
        return any(_has_key(v, key) for v in node)
    return False


def is_set(props: Mapping[str, Any], prop: str) -> bool:
    """``Name``: a top-level property with a value; ``**/Key``: a key anywhere in the properties."""
    if prop.startswith("**/"):
        return _has_key(dict(props), prop[3:])
    return props.get(prop) not in (None, [], {})


def _needed(table: Mapping[str, tuple[str, ...]], permission: str, present: frozenset[str]) -> bool:
    wanted = table.get(permission)
    return wanted is None or any(p in present for p in wanted)


@cache
def _relevant(resource_type: str) -> tuple[str, ...]:
    """Every property the tables name for ``resource_type``: the only ones :func:`filtered` depends on."""
    tables = (WHEN_SET.get(resource_type, {}), READ_WHEN_SET.get(resource_type, {}))
    return tuple(sorted({p for table in tables for props in table.values() for p in props}))


def filtered(resource_type: str, props: Mapping[str, Any]) -> dict[str, list[str]]:
    """Handler -> the IAM actions CloudFormation needs for a resource of ``resource_type`` with ``props``."""
    present = frozenset(p for p in _relevant(resource_type) if is_set(props, p))
    return {handler: list(actions) for handler, actions in _filtered(resource_type, present).items()}


@cache
def _filtered(resource_type: str, present: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Memoized on (type, which of the tables' properties are set): the result depends on nothing else."""
    out: dict[str, tuple[str, ...]] = {}
    for handler, perms in registry.handler_permissions(resource_type).items():
        kept: set[str] = set()
        for perm in perms:
            raw_table = READ_WHEN_SET.get(resource_type, {})
            if not _needed(raw_table, perm, present):
                continue
            action = iam_action(perm, resource_type)
            if action is None or action in NEVER:
                continue
            if not _needed(WHEN_SET.get(resource_type, {}), action, present):
                continue
            kept.add(action)
        out[handler] = tuple(sorted(kept))
    return out


def for_template(template: Mapping[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Logical id -> handler -> IAM actions, for every resource of a rendered template."""
    return {logical: filtered(res["Type"], res.get("Properties", {})) for logical, res in template["Resources"].items()}
