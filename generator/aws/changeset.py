"""Change sets: create (CREATE or UPDATE), wait, describe every page, delete unexecuted.

A change set without changes fails ("The submitted information didn't contain changes"); that is
reported as :attr:`ChangeSet.no_changes`, not as an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mlprov.aws.stack import Poller
from mlprov.errors import AwsError

CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
_NO_CHANGES = ("didn't contain changes", "No updates are to be performed")


@dataclass
class ChangeSet:
    id: str
    stack_name: str
    change_type: str  # CREATE or UPDATE
    changes: list[dict[str, Any]] = field(default_factory=list)
    no_changes: bool = False
    deleted: bool = False


def template_body(text: str, template: dict[str, Any]) -> str:
    """The template as CloudFormation receives it: the text as written, else its compact JSON form (inline when it
    fits, else through S3: :mod:`mlprov.aws.templatesource`)."""
    from mlprov.aws.templatesource import choose  # noqa: PLC0415

    return choose(text, template, "000000000000", "us-east-1").body


def _is_no_changes(reason: str) -> bool:
    return any(marker in reason for marker in _NO_CHANGES)


def create(
    cfn: Any, stack_name: str, body: str, tags: dict[str, str], change_type: str, *, poller: Poller,
    name: str | None = None, description: str = "created by mlprov", role_arn: str | None = None,
    template_url: str | None = None,
) -> ChangeSet:
    """Create a change set and wait until it is ready (or has failed). ``name``: default a timestamped one.
    ``template_url``: the uploaded copy of ``body`` (a template over the inline limit), sent instead of it.

    ``role_arn``: the product's CloudFormation service role (``mlprov.deploypath``); CloudFormation then makes
    every resource call with that role's credentials, not the caller's, and keeps it for later stack operations
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html). The deploy role
    may only create change sets that name it (condition ``cloudformation:RoleArn``, docs/access.md)."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    name = name or "mlprov-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    extra = {"RoleARN": role_arn} if role_arn else {}
    try:
        resp = cfn.create_change_set(
            StackName=stack_name,
            ChangeSetName=name,
            ChangeSetType=change_type,
            **({"TemplateURL": template_url} if template_url else {"TemplateBody": body}),
            Capabilities=CAPABILITIES,
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
            Description=description,
            # adopt this product's retained resources (static custom name, DeletionPolicy Retain/RetainExceptOnCreate,
            # in no other stack) instead of failing "already exists": CloudFormation User Guide, "Import AWS resources
            # into a CloudFormation stack automatically"; mlprov.aws.guards checks they are this product's
            ImportExistingResources=True,
            **extra,
        )
    except ClientError as exc:
        message = str(exc.response.get("Error", {}).get("Message", ""))
        if _is_no_changes(message):
            return ChangeSet(id="", stack_name=stack_name, change_type=change_type, no_changes=True)
        raise AwsError(
            f"stack {stack_name}: the change set could not be created: {message}",
            hint="run `mlprov validate-prov-template CONFIG` to check the template",
        ) from exc
    cs = ChangeSet(id=resp["Id"], stack_name=stack_name, change_type=change_type)
    for _ in poller.intervals():
        desc = cfn.describe_change_set(ChangeSetName=cs.id, StackName=stack_name)
        status, reason = desc["Status"], str(desc.get("StatusReason") or "")
        if status == "CREATE_COMPLETE":
            cs.changes = describe_all(cfn, cs.id, stack_name, first=desc)
            return cs
        if status == "FAILED":
            if _is_no_changes(reason):
                cs.no_changes = True
                delete(cfn, cs)
                return cs
            delete(cfn, cs)
            raise AwsError(f"stack {stack_name}: the change set failed: {reason or 'no reason given'}",
                           hint="run `mlprov validate-prov-template CONFIG` to check the template")
    raise AwsError(f"stack {stack_name}: change set {name} was not ready after {poller.timeout:.0f} s")


def describe_all(cfn: Any, change_set_id: str, stack_name: str, first: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every change of the change set, following NextToken."""
    page = first or cfn.describe_change_set(ChangeSetName=change_set_id, StackName=stack_name)
    changes: list[dict[str, Any]] = list(page.get("Changes", []))
    while page.get("NextToken"):
        page = cfn.describe_change_set(ChangeSetName=change_set_id, StackName=stack_name, NextToken=page["NextToken"])
        changes += page.get("Changes", [])
    return changes


def delete(cfn: Any, cs: ChangeSet) -> None:
    """Delete an unexecuted change set (and a stack left empty in REVIEW_IN_PROGRESS by a CREATE set); once only."""
    if not cs.id or cs.deleted:
        return
    cfn.delete_change_set(ChangeSetName=cs.id, StackName=cs.stack_name)
    cs.deleted = True
    if cs.change_type == "CREATE":
        stacks = cfn.describe_stacks(StackName=cs.stack_name)["Stacks"]
        if stacks and stacks[0]["StackStatus"] == "REVIEW_IN_PROGRESS":
            from botocore.exceptions import ClientError  # noqa: PLC0415

            try:
                cfn.delete_stack(StackName=cs.stack_name)
            except ClientError as exc:
                # The plan role (PR previews) may not delete stacks (docs/access.md): the empty REVIEW_IN_PROGRESS
                # stack holds no resources, and the next CREATE change set reuses it.
                if exc.response.get("Error", {}).get("Code") not in ("AccessDenied", "AccessDeniedException"):
                    raise
