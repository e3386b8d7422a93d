"""States an interrupted or failed run leaves a stack in, explained with the exact command that gets it out.

AWS sources (CloudFormation API Reference and User Guide):
- ContinueUpdateRollback: "For a specified stack that's in the UPDATE_ROLLBACK_FAILED state, continues rolling it
  back to the UPDATE_ROLLBACK_COMPLETE state"; ``--resources-to-skip`` names resources it cannot roll back
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ContinueUpdateRollback.html).
- DeleteStack RetainResources: "For stacks in the DELETE_FAILED state, a list of resource logical IDs ... you want
  to retain" (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html).
- ROLLBACK_FAILED (a failed creation whose rollback failed too) cannot be updated; the stack can only be deleted
  ("Stack status codes", User Guide, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html).
- REVIEW_IN_PROGRESS: a stack that only holds a CREATE change set, no resources (CreateChangeSet, API Reference);
  deleting it removes nothing but the change set.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from mlprov.aws import stack
from mlprov.errors import FindingsError

STUCK = ("UPDATE_ROLLBACK_FAILED", "ROLLBACK_FAILED", "DELETE_FAILED")


def _failed_ids(cfn: Any, name: str, status: str) -> list[str]:
    """Logical ids whose latest event failed (the resources a recovery command must skip or retain)."""
    latest: dict[str, str] = {}
    for e in stack.events(cfn, name):  # newest first
        lid = e["LogicalResourceId"]
        if lid != name and lid not in latest:
            latest[lid] = str(e.get("ResourceStatus", ""))
    wanted = {"UPDATE_ROLLBACK_FAILED": "UPDATE_FAILED", "DELETE_FAILED": "DELETE_FAILED"}.get(status, "_FAILED")
    return sorted(lid for lid, s in latest.items() if s.endswith(wanted))


def explain(cfn: Any, name: str, status: str, region: str, config: str) -> tuple[str, str]:
    """(what the state means, the exact command(s) to run) for a stack left in ``status``."""
    where = f" --region {region}"
    if status == "UPDATE_ROLLBACK_FAILED":
        skip = _failed_ids(cfn, name, status)
        skip_arg = f" --resources-to-skip {' '.join(skip)}" if skip else ""
        return (f"stack {name} is in UPDATE_ROLLBACK_FAILED: an update failed and its rollback failed too; "
                "it cannot be updated until the rollback is continued",
                f"fix the cause in the events, then `aws cloudformation continue-update-rollback --stack-name {name}"
                f"{where}` (if it fails again on the same resources: add{skip_arg or ' --resources-to-skip LOGICAL_ID...'}), "
                f"then `mlprov deploy-product {config}`")
    if status == "ROLLBACK_FAILED":
        return (f"stack {name} is in ROLLBACK_FAILED: its creation failed and the rollback failed too; it can only be deleted",
                f"`aws cloudformation delete-stack --stack-name {name}{where}`, then `mlprov deploy-product {config}`")
    if status == "DELETE_FAILED":
        keep = _failed_ids(cfn, name, status)
        return (f"stack {name} is in DELETE_FAILED: a deletion stopped on resources it could not delete"
                f"{' (' + ', '.join(keep) + ')' if keep else ''}",
                f"empty or fix them and rerun the delete, or keep them: `aws cloudformation delete-stack --stack-name "
                f"{name}{where} --retain-resources {' '.join(keep) or 'LOGICAL_ID...'}`")
    if status == "REVIEW_IN_PROGRESS":
        return (f"stack {name} is in REVIEW_IN_PROGRESS: it holds only a change set that was never executed, no resources",
                f"deploy it with `mlprov deploy-product {config}` (a new change set is created), or remove it with "
                f"`aws cloudformation delete-stack --stack-name {name}{where}`")
    return (f"stack {name} is {status}", f"inspect it with `aws cloudformation describe-stack-events --stack-name {name}{where}`")


def stuck_error(cfn: Any, name: str, status: str, region: str, config: str) -> FindingsError:
    what, fix = explain(cfn, name, status, region, config)
    return FindingsError(what, hint=fix)


def interrupted_lines(cfn: Any, name: str, region: str, config: str, test_copy: bool = False) -> list[str]:
    """What Ctrl-C leaves behind and what to run next (CloudFormation carries on without us). For a test copy the
    next step removes that copy by its exact name, never a command that could reach the product's own stack."""
    try:
        current = stack.describe_any(cfn, name)
    except (ClientError, BotoCoreError) as exc:  # interrupted: report what can be reported, never a traceback
        return [f"interrupted: the state of stack {name} could not be read ({type(exc).__name__})",
                f"next: `aws cloudformation describe-stacks --stack-name {name} --region {region}`"]
    status = current["StackStatus"] if current else "not created"
    rerun = (f"mlprov delete-product {config} --stack-name {name} --force" if test_copy
             else f"mlprov deploy-product {config}")
    lines = [f"interrupted: stack {name} is {status}"]
    if current is not None and stack.in_progress(status):
        lines += ["  CloudFormation carries on with the operation; it is not cancelled by stopping mlprov",
                  f"next: wait for it (`aws cloudformation describe-stacks --stack-name {name} --region {region}`), "
                  f"then {'remove the test copy with' if test_copy else 'rerun'} `{rerun}`"
                  f"{'' if test_copy else ': it checks outputs and re-asserts the protections'}"]
    elif test_copy:
        lines.append(f"next: remove the test copy with `{rerun}`" if current is not None else "next: nothing was created")
    elif current is not None and status in (*STUCK, "REVIEW_IN_PROGRESS"):
        what, fix = explain(cfn, name, status, region, config)
        lines += [f"  {what}", f"next: {fix}"]
    else:
        lines.append(f"next: rerun `{rerun}` to finish and verify")
    return lines
