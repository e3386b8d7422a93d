"""Protections as an invariant: the stack policy and (prod) termination protection are asserted by every deploy.

The deploy wraps everything it does on a stack in :func:`guarded`: whatever happens (success, "no changes",
a failed execute, a failure or Ctrl-C while waiting), the ``finally`` re-reads the stack and sets the stack
policy (and, for prod, termination protection) again, printing what it found and did. A ``--allow-data-loss``
override (allow-all stack policy) is undone by the same ``finally`` and said so on stderr.

AWS sources:
- a stack policy cannot be removed, only replaced; it applies to every later update ("Prevent updates to
  stack resources", AWS CloudFormation User Guide, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html);
- SetStackPolicy / GetStackPolicy (API Reference): GetStackPolicy returns no body when the stack has none;
- UpdateTerminationProtection (API Reference): enables or disables termination protection on a stack.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError
from mlprov.actionlog import LOGGER_NAME
from mlprov.aws import stack, stackpolicy

# Statuses in which there is nothing to protect (no resources) or nothing may be set: the stack must be deleted.
_NOTHING_TO_PROTECT = {"ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS", stack.DELETED}


@dataclass
class Protections:
    """What one stack must carry: the stack policy document and, for prod, termination protection."""

    stack_name: str
    template: dict[str, Any]
    environment: str
    optional_cfn: Any = None  # client for APIs an endpoint may lack (see stackpolicy.apply)
    test_copy: bool = False  # a test-deploy copy: stack policy yes, termination protection no (CI removes it)
    override_active: bool = field(default=False, init=False)

    @property
    def prod(self) -> bool:
        """Termination protection wanted: a prod product's own stack."""
        return self.environment == "prod" and not self.test_copy


def current_policy(cfn: Any, name: str) -> dict[str, Any] | None:
    """The stack policy now on the stack (GetStackPolicy), None when it has none."""
    body = cfn.get_stack_policy(StackName=name).get("StackPolicyBody")
    if not body:
        return None
    parsed: dict[str, Any] = json.loads(body)
    return parsed


def _policy_state(cfn: Any, name: str, wanted: str) -> str:
    try:
        now = current_policy(cfn, name)
    except (ClientError, ValueError):
        return "unreadable"
    if now is None:
        return "missing"
    if now == json.loads(stackpolicy.ALLOW_ALL):
        return "allow-all"
    return "as expected" if now == json.loads(wanted) else "different"


def assert_protections(cfn: Any, p: Protections, out: TextIO) -> None:
    """Read the stack and set what is missing (or different); one line per protection. Never raises: a failure
    to restore is printed with the command that retries."""
    try:
        current = stack.describe(cfn, p.stack_name)
    except (ClientError, BotoCoreError) as exc:
        print(f"protections of {p.stack_name} not checked: {exc}", file=out)
        return
    if current is None or current["StackStatus"] in _NOTHING_TO_PROTECT:
        return
    ids = logical_ids(cfn, p)
    before = _policy_state(cfn, p.stack_name, stackpolicy.document(ids))
    was_protected = bool(current.get("EnableTerminationProtection"))
    try:
        lines = stackpolicy.apply(cfn, p.stack_name, {"Resources": dict.fromkeys(ids)}, p.environment, p.optional_cfn,
                                  termination=p.prod)
    except (ClientError, BotoCoreError) as exc:
        print(f"WARNING: stack {p.stack_name}: protections could not be restored ({exc}); the stack policy is "
              f"{before}{', termination protection off' if p.prod and not was_protected else ''}", file=out)
        print("  rerun the same deploy command: every deploy sets them again, also when there are no changes", file=out)
        return
    if before != "as expected":
        lines[0] += f" (was {before}: restored)"
    if p.prod and not was_protected and len(lines) > 1 and lines[1].endswith("(environment prod)"):
        lines[1] += " (was off: restored)"
    for line in lines:
        print(line, file=out)


def logical_ids(cfn: Any, p: Protections) -> list[str]:
    """The template's resources and those the stack holds now: after a failed removal of a stateful resource the
    stack still holds it, and the policy must keep protecting it."""
    ids = set(p.template.get("Resources", {}))
    try:
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=p.stack_name):
            ids |= {r["LogicalResourceId"] for r in page["StackResourceSummaries"]}
    except ClientError:
        pass  # the template's resources alone; the policy is still set
    return sorted(ids)


def begin_data_loss_override(cfn: Any, p: Protections, err: TextIO) -> None:
    """Allow-all while the change set that replaces stateful resources runs; :func:`guarded` undoes it."""
    p.override_active = True  # first: an interruption of the call below still restores and reports
    cfn.set_stack_policy(StackName=p.stack_name, StackPolicyBody=stackpolicy.ALLOW_ALL)
    _say(f"stack policy of {p.stack_name}: allow-all for this change set (--allow-data-loss); "
         "it is restored when the deploy ends, whatever happens", err)


@contextmanager
def guarded(cfn: Any, p: Protections, out: TextIO, err: TextIO) -> Iterator[Protections]:
    """Assert the protections when the block ends, however it ends (exceptions and KeyboardInterrupt included)."""
    try:
        yield p
    finally:
        assert_protections(cfn, p, out)
        if p.override_active:
            state = _policy_state(cfn, p.stack_name, stackpolicy.document(logical_ids(cfn, p)))
            if state == "as expected":
                _say(f"stack policy of {p.stack_name}: the --allow-data-loss override was undone "
                     "(replace/delete denied again on the stateful resources)", err)
            else:
                _say(f"WARNING: stack policy of {p.stack_name}: the --allow-data-loss override could NOT be undone "
                     f"(policy is {state}); rerun the deploy without --allow-data-loss to restore it", err)


def _say(line: str, err: TextIO) -> None:
    """On stderr and in the action log (the override and its undoing are part of the audit trail)."""
    print(line, file=err)
    logging.getLogger(LOGGER_NAME).warning("%s", line)
