"""Reading a stack's state and waiting for an operation on it, with progress output and failed events."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from botocore.exceptions import ClientError
from mlprov.errors import AwsError

DELETED = "DELETE_COMPLETE"


def describe(cfn: Any, stack_name: str) -> dict[str, Any] | None:
    """The stack's description, or None when there is no such (live) stack."""
    try:
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc.response.get("Error", {}).get("Message", "")):
            return None
        raise
    if not stacks or stacks[0]["StackStatus"] == DELETED:
        return None
    stack: dict[str, Any] = stacks[0]
    return stack


def outputs(stack: dict[str, Any]) -> dict[str, str]:
    return {o["OutputKey"]: str(o["OutputValue"]) for o in stack.get("Outputs", [])}


def in_progress(status: str) -> bool:
    return status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS"


@dataclass
class Poller:
    """Short fixed polls on a local endpoint; exponential back-off (capped) against AWS."""

    local: bool
    timeout: float = 3600.0
    sleep: Callable[[float], None] = time.sleep

    def intervals(self) -> Any:
        delay, waited = (0.05, 0.0) if self.local else (2.0, 0.0)
        while waited < self.timeout:
            yield waited
            self.sleep(delay)
            waited += delay
            if not self.local:
                delay = min(delay * 1.5, 15.0)


def events(cfn: Any, stack_name: str) -> list[dict[str, Any]]:
    """The stack's events, newest first."""
    out: list[dict[str, Any]] = []
    for page in cfn.get_paginator("describe_stack_events").paginate(StackName=stack_name):
        out += page["StackEvents"]
    return out


def failed_events(cfn: Any, stack_name: str, since: set[str] | None = None) -> list[str]:
    """One line per failed resource event (oldest first), skipping event ids in ``since``."""
    lines = []
    for e in reversed(events(cfn, stack_name)):
        if since and e["EventId"] in since:
            continue
        if str(e.get("ResourceStatus", "")).endswith("_FAILED"):
            reason = e.get("ResourceStatusReason") or "no reason given"
            lines.append(f"{e['LogicalResourceId']} ({e.get('ResourceType', '?')}): {e['ResourceStatus']}: {reason}")
    return lines


def wait(cfn: Any, stack_name: str, poller: Poller, out: TextIO, seen: set[str] | None = None) -> str:
    """Wait until no operation runs on the stack, printing each new event; the final status."""
    seen = set(seen or ())
    status = "?"
    for _ in poller.intervals():
        try:
            evs = events(cfn, stack_name)
        except ClientError:  # a deleted stack has no events: the describe below decides
            evs = []
        for e in reversed(evs):
            if e["EventId"] not in seen:
                seen.add(e["EventId"])
                reason = f"  {e['ResourceStatusReason']}" if e.get("ResourceStatusReason") else ""
                print(f"  {e['LogicalResourceId']:<40} {e['ResourceStatus']}{reason}", file=out)
        stack = describe_any(cfn, stack_name)
        status = stack["StackStatus"] if stack else DELETED
        if not in_progress(status):
            return status
    raise AwsError(
        f"stack {stack_name}: still {status} after {poller.timeout:.0f} s",
        hint="watch it in the CloudFormation console; rerun when it has finished",
    )


def describe_any(cfn: Any, stack_name: str) -> dict[str, Any] | None:
    """Like :func:`describe` but a stack in DELETE_COMPLETE is returned as such (by id lookups)."""

    try:
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc.response.get("Error", {}).get("Message", "")):
            return None
        raise
    return stacks[0] if stacks else None


def event_ids(cfn: Any, stack_name: str) -> set[str]:
    try:
        return {e["EventId"] for e in events(cfn, stack_name)}
    except ClientError:  # no stack yet: no events
        return set()
