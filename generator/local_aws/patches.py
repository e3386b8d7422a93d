"""Minimal patches of moto 5.2's CloudFormation where it differs from AWS in ways our stacks meet.

Each patch is idempotent, wraps moto's own code (original behaviour first, then the fix) and is listed in
:data:`PATCHES` with the reason. Applied by :func:`apply_patches` (``LocalAws`` does it before starting).

- change-set outputs: after a change set runs, moto keeps the stack's previous (empty) template and outputs;
  AWS refreshes them (UpdateStack does), and publishes the stack's exports.
- change-set imports: a stack created through a change set resolves ``Fn::ImportValue`` against an empty export
  table; AWS uses the account's exports (the SG provisioner stack's, for the enterprise ``existing`` mode).
- KMS key: moto stores a ``KeyPolicy`` given as a JSON object unserialised (the key then cannot be read back) and
  expects tags as TagKey/TagValue; AWS takes an object and Key/Value. Also updates in place (AWS does).
- SSM parameter: CloudFormation gives Tags as a map; moto expects a Key/Value list.
- S3 bucket: moto applies only BucketEncryption and Tags; VersioningConfiguration, PublicAccessBlockConfiguration and
  OwnershipControls (the governed settings drift checks read) are applied here, on create and in-place update.
- log group: moto drops ``KmsKeyId`` (reads ``kmsKeyId``); updates of retention and tags happen in place.
- updates without support: for a type moto cannot update, moto replaces the resource in the stack by ``None``
  (every later Ref to it then resolves to nothing); the resource is kept and updated where we know how.
- IAM role: moto ignores ``ManagedPolicyArns`` (nothing is attached) and, on update, the boundary; AWS attaches
  them, and detaches them when the role goes.
- IAM role inline policies: moto stores a template's ``Policies`` document as a dict and answers GetRolePolicy with
  its Python repr; AWS stores (and returns) JSON.
- security group: moto replaces a group on every update (new id); AWS changes tags in place. A tag-only change
  is now applied in place; anything else still goes through moto's replacement.
- replacement cascade: when an update replaces a resource (new physical id) or changes what Fn::GetAtt gives
  (a renamed repository), moto leaves the resources that refer to it on the old values; AWS updates them, and so
  does this patch; modified resources are updated in dependency order (moto: template order).
- termination protection: moto has no UpdateTerminationProtection (HTTP 500) and deletes protected stacks;
  both as on AWS now (production stacks are protected by deploy-product).
- SNS topic: moto deletes and re-creates a topic on every update, losing its subscriptions; on AWS only TopicName
  and FifoTopic replace it. Other changes (display name, KMS key, tags) are applied in place.
- S3 bucket policies: moto evaluates them without a request context, so a TLS-only Deny (``aws:SecureTransport``
  false) refuses every call; botocore reaches AWS over TLS only, and :mod:`mlprov.local_aws.bucketpolicy` decides
  that one condition as such (true).
- S3 notifications: moto stores EventBridgeConfiguration but GetBucketNotificationConfiguration never returns it.
- delete: moto never deletes a managed policy or a VPC endpoint with its stack; AWS does.
- CodeCommit tags: moto has no ListTagsForResource for repositories (adoption checks a retained repository's
  ``mlprov:product`` tag); it answers with the tags CloudFormation gave the repository.
- CodeCommit ListRepositories: moto lacks it (HTTP 500); the forecast's MLPROV-F005 reads it to tell an account
  that uses CodeCommit from one new to it (the strict rule ``codecommit-closed``).
- CodePipeline executions: moto has none; :mod:`mlprov.local_aws.executions` answers StartPipelineExecution and
  GetPipelineExecution, running only the Source stage's S3 source actions (where AWS fails a missing or unversioned
  source bucket: at run time, not at CreatePipeline).
- CodeCommit Code: moto's repositories have no commits; ``Code`` (an S3 zip) becomes the first commit and
  GetBranch / GetFile read it (:mod:`mlprov.local_aws.codecommitcode`).
- CodeConnections: moto has no such service; :mod:`mlprov.local_aws.connections` answers GetConnection,
  ListConnections, CreateConnection and DeleteConnection (both service names) in front of moto's dispatcher.

The strict rules (what AWS refuses) are a separate list: :mod:`mlprov.local_aws.strict`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PATCHES: dict[str, str] = {}
_MARK = "_mlprov_patched"


def _once(owner: Any, name: str, make: Callable[[Any], Any], reason: str, *, classmethod_: bool = False) -> None:
    original = owner.__dict__.get(name) if classmethod_ else getattr(owner, name, None)
    if getattr(original, _MARK, False) or (classmethod_ and getattr(getattr(original, "__func__", None), _MARK, False)):
        return
    fn = make(original.__func__ if classmethod_ and original is not None else original)
    setattr(fn, _MARK, True)
    setattr(owner, name, classmethod(fn) if classmethod_ else fn)
    PATCHES[f"{getattr(owner, '__name__', owner)}.{name}"] = reason


def apply_patches() -> dict[str, str]:
    """Apply every patch (idempotent); return what was patched and why."""
    from mlprov.local_aws import enginepatches as e  # noqa: PLC0415
    from mlprov.local_aws import typepatches as t  # noqa: PLC0415
    from moto.cloudformation import models as cfn_models  # noqa: PLC0415
    from moto.cloudformation import parsing  # noqa: PLC0415
    from moto.cloudformation.responses import CloudFormationResponse  # noqa: PLC0415
    from moto.ec2.models.security_groups import SecurityGroup  # noqa: PLC0415
    from moto.ec2.models.vpcs import VPCEndPoint  # noqa: PLC0415
    from moto.iam.models import ManagedPolicy, Role  # noqa: PLC0415
    from moto.kms.models import Key  # noqa: PLC0415
    from moto.logs.models import LogGroup  # noqa: PLC0415
    from moto.s3.models import FakeBucket  # noqa: PLC0415
    from moto.sns.models import Topic  # noqa: PLC0415
    from moto.ssm.models import Parameter  # noqa: PLC0415

    _once(CloudFormationResponse, "update_termination_protection", e.update_termination_protection, "the action moto lacks")
    _once(cfn_models.CloudFormationBackend, "delete_stack", e.delete_stack_protected, "refuse protected stacks")
    _once(cfn_models.ChangeSet, "apply", e.change_set_apply, "refresh template, outputs and exports; resolve imports")
    _once(Key, "create_from_cloudformation_json", t.kms_create, "KeyPolicy object and Key/Value tags", classmethod_=True)
    _once(Key, "update_from_cloudformation_json", t.kms_update, "update a key in place", classmethod_=True)
    _once(Parameter, "create_from_cloudformation_json", t.ssm_create, "Tags given as a map", classmethod_=True)
    _once(FakeBucket, "create_from_cloudformation_json", t.bucket_create, "versioning, public-access block, ownership",
          classmethod_=True)
    _once(FakeBucket, "update_from_cloudformation_json", t.bucket_update, "the same on in-place updates", classmethod_=True)
    _once(LogGroup, "create_from_cloudformation_json", t.log_group_create, "keep KmsKeyId", classmethod_=True)
    _once(parsing.ResourceMap, "build_resource_diff", e.modify_in_dependency_order, "update what others refer to first")
    _once(parsing.ResourceMap, "update", e.cascade_replacements, "update what refers to a replaced resource")
    _once(parsing, "parse_and_update_resource", e.update_keeps_resource, "keep (and update) resources moto cannot update")
    _once(Role, "create_from_cloudformation_json", t.role_create, "attach ManagedPolicyArns", classmethod_=True)
    _once(Role, "update_from_cloudformation_json", t.role_update, "sync attachments and boundary", classmethod_=True)
    _once(Role, "delete_from_cloudformation_json", t.role_delete, "detach managed policies first", classmethod_=True)
    _once(Role, "put_policy", t.role_put_policy, "store inline policies from a template as JSON")
    _once(SecurityGroup, "create_from_cloudformation_json", t.sg_create, "remember the properties", classmethod_=True)
    _once(SecurityGroup, "update_from_cloudformation_json", t.sg_update, "tag-only changes in place", classmethod_=True)
    _once(Topic, "update_from_cloudformation_json", t.topic_update, "update in place, keep subscriptions", classmethod_=True)
    _once(ManagedPolicy, "delete", t.managed_policy_delete, "delete managed policies with their stack")
    _once(VPCEndPoint, "delete", t.vpc_endpoint_delete, "delete VPC endpoints with their stack")
    _service_actions()
    return dict(PATCHES)


def _service_actions() -> None:
    """The service actions moto lacks or answers wrongly (listed in the module docstring)."""
    from mlprov.local_aws import enginepatches as e  # noqa: PLC0415
    from mlprov.local_aws import executions as x  # noqa: PLC0415
    from mlprov.local_aws import typepatches as t  # noqa: PLC0415
    from moto.codecommit.responses import CodeCommitResponse  # noqa: PLC0415
    from moto.codepipeline.responses import CodePipelineResponse  # noqa: PLC0415
    from moto.s3.models import FakeBucket  # noqa: PLC0415

    _once(CodeCommitResponse, "list_tags_for_resource", e.codecommit_list_tags, "the action moto lacks")
    _once(CodeCommitResponse, "list_repositories", e.codecommit_list_repositories, "the action moto lacks")
    _once(CodePipelineResponse, "start_pipeline_execution", x.start_execution, "the action moto lacks (Source stage only)")
    _once(CodePipelineResponse, "get_pipeline_execution", x.get_execution, "the action moto lacks")
    from mlprov.local_aws import codecommitcode as cc  # noqa: PLC0415

    _once(CodeCommitResponse, "get_branch", cc.get_branch, "the action moto lacks (the branch Code seeded)")
    _once(CodeCommitResponse, "get_file", cc.get_file, "the action moto lacks (a file of the commit Code seeded)")
    from mlprov.local_aws.bucketpolicy import get_permission  # noqa: PLC0415
    from moto.s3.responses import S3Response  # noqa: PLC0415

    _once(FakeBucket, "get_permission", get_permission, "aws:SecureTransport is true: botocore reaches S3 over TLS")
    _once(S3Response, "get_bucket_notification", t.s3_notification_eventbridge, "return EventBridgeConfiguration")
    from mlprov.local_aws.connections import wrap_dispatcher  # noqa: PLC0415
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication  # noqa: PLC0415

    _once(DomainDispatcherApplication, "__call__", wrap_dispatcher, "CodeConnections, which moto lacks (connections.py)")
