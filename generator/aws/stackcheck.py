"""The stack's own protections as a drift row: the stack policy and, for prod, termination protection.

GetStackPolicy returns StackPolicyBody, absent when the stack has no policy (CloudFormation API Reference,
"GetStackPolicy"); DescribeStacks returns EnableTerminationProtection (CloudFormation API Reference, "Stack").
Both can be changed out of band (SetStackPolicy, UpdateTerminationProtection) and neither is covered by
CloudFormation's own drift detection, which compares resource properties only ("Detect unmanaged configuration
changes to stacks and resources with drift detection", CloudFormation User Guide).
"""

from __future__ import annotations

from typing import Any

from mlprov.aws.driftmodel import DRIFTED, IN_SYNC, Difference, ResourceDrift
from mlprov.aws.livecheck.absent import why_not_checked
from mlprov.aws.livecheck.documents import normalize, parse
from mlprov.aws.stackpolicy import document

LOGICAL_ID, TYPE = "(stack)", "AWS::CloudFormation::Stack"


def check(cfn: Any, stack: dict[str, Any], template: dict[str, Any], environment: str) -> ResourceDrift:
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

    row = ResourceDrift(LOGICAL_ID, TYPE, str(stack.get("StackId", "")))  # NOT_CHECKED until read
    expected = normalize(parse(document(list(template.get("Resources", {})))))
    try:
        body = cfn.get_stack_policy(StackName=stack["StackName"]).get("StackPolicyBody")
    except ClientError as exc:
        row.note = f"stack policy: {why_not_checked(exc)}"
        return row
    except BotoCoreError as exc:
        row.note = f"stack policy: could not read it: {type(exc).__name__}"
        return row
    compared: list[tuple[str, Any, Any]] = [("StackPolicy", expected, normalize(parse(body)) if body else None)]
    if environment == "prod":
        compared.append(("EnableTerminationProtection", True, bool(stack.get("EnableTerminationProtection"))))
    diffs = [Difference(p, e, a) for p, e, a in compared if e != a]
    row.merge(DRIFTED if diffs else IN_SYNC, diffs, [p for p, _e, _a in compared])
    return row


__all__ = ["LOGICAL_ID", "TYPE", "check"]
