"""Delete a product's stack (or one of its test stacks) and list what it leaves behind on purpose."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from mlprov.aws import audit, recovery, stack
from mlprov.aws.deploy import DeployFailed
from mlprov.aws.plan import deployed_template
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.config.model import Product
from mlprov.deploypath import TEST_OF_TAG
from mlprov.errors import FindingsError, UserError

RETAINING = {"Retain", "RetainExceptOnCreate"}


@dataclass(frozen=True)
class Retained:
    logical_id: str
    type: str
    physical_id: str


def check_stack_name(product: Product, name: str) -> None:
    """Only the product's own stack or one of its test stacks may be deleted through its config."""
    own = product.names.stack
    if name != own and not re.fullmatch(re.escape(own) + r"-t[0-9a-f]{6}", name):
        raise UserError(f"--stack-name {name}: not a stack of this product",
                        hint=f"expected {own} or a test stack {own}-t<6 hex> (as printed by test-deploy)")


def check_test_copy(cfn: Any, product: Product, name: str) -> None:
    """A stack other than the product's own is deleted only when its ``mlprov:test-of`` stack tag (set by
    test-deploy) names this product's stack: a name that merely looks like ``<stack>-t<6 hex>`` may be another
    product's real stack (a workload token such as ``tabc123``)."""
    own = product.names.stack
    check_stack_name(product, name)
    if name == own:
        return
    current = stack.describe(cfn, name)
    if current is None:
        return  # delete() reports the missing stack
    tags = {t["Key"]: t["Value"] for t in current.get("Tags", [])}
    value = tags.get(TEST_OF_TAG)
    if value != own:
        shown = f"is {value!r}" if value is not None else "is missing"
        raise UserError(f"--stack-name {name}: not a test copy of {own} (its stack tag {TEST_OF_TAG} {shown})",
                        hint=f"only stacks made by `mlprov test-deploy {product.path}` can be deleted with --stack-name; "
                             f"delete {name} through its own config")


def retained(cfn: Any, name: str) -> list[Retained]:
    template = deployed_template(cfn, name)
    policies = {lid: r.get("DeletionPolicy") for lid, r in template.get("Resources", {}).items()}
    out: list[Retained] = []
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
        for r in page["StackResourceSummaries"]:
            if policies.get(r["LogicalResourceId"]) in RETAINING and r.get("PhysicalResourceId"):
                out.append(Retained(r["LogicalResourceId"], r["ResourceType"], r["PhysicalResourceId"]))
    return sorted(out, key=lambda r: r.logical_id)


@dataclass
class DeleteOptions:
    force: bool = False
    disable_termination_protection: bool = False
    confirm: Callable[[str], bool] | None = None  # None: no terminal to ask on
    environment: str = ""
    config: str = "CONFIG"
    timeout: float = 3600.0


def _termination_protection(name: str, opts: DeleteOptions) -> None:
    """Refuse unless the flag is given; for prod also refuse without a terminal and ask there (even with --force)."""
    if not opts.disable_termination_protection:
        raise FindingsError(f"stack {name} has termination protection on: refusing to delete it",
                            hint=f"to turn it off and delete: `mlprov delete-product {opts.config} --stack-name {name} "
                                 "--disable-termination-protection`" + (" on a terminal" if opts.environment == "prod" else ""))
    if opts.environment == "prod":
        if opts.confirm is None:
            raise FindingsError(f"refusing to disable termination protection on prod stack {name} without a terminal",
                                hint="a person runs this on a terminal; --force does not replace that confirmation")
        if not opts.confirm(f"turn off termination protection on prod stack {name} and delete it? [y/N] "):
            raise FindingsError(f"cancelled: termination protection on {name} left on, nothing was deleted")


def delete(aws: Aws, name: str, opts: DeleteOptions, *, out: TextIO) -> int:
    record = audit.start(aws, name, opts, action="delete")
    record.flags += ["--disable-termination-protection"] if opts.disable_termination_protection else []
    with audit.recorded(record):
        code = _delete(aws, name, opts, out, record)
        record.outcome = record.outcome or ("ok" if code == 0 else f"exit {code}")
        return code


def _delete(aws: Aws, name: str, opts: DeleteOptions, out: TextIO, record: audit.Record) -> int:
    cfn = aws.cfn
    current = stack.describe(cfn, name)
    if current is None:
        raise UserError(f"stack {name} does not exist in {aws.target.region}", hint="nothing to delete; check the config and --region")
    if current["StackStatus"] == "DELETE_FAILED":
        what, fix = recovery.explain(cfn, name, "DELETE_FAILED", aws.target.region, opts.config)
        print(f"{what}; trying again (if it fails the same way: {fix})", file=out)
    keep = retained(cfn, name)
    print(f"stack {name} ({current['StackStatus']}) will be deleted; {len(keep)} resource(s) are retained by their DeletionPolicy",
          file=out)
    protected = bool(current.get("EnableTerminationProtection"))
    if protected:
        _termination_protection(name, opts)
    elif not opts.force:
        if opts.confirm is None:
            raise FindingsError(f"refusing to delete {name} without confirmation: no terminal to ask on",
                                hint="rerun with --force")
        if not opts.confirm(f"delete stack {name} ({aws.where()})? [y/N] "):
            print("cancelled: nothing was deleted", file=out)
            record.outcome = "cancelled"
            return 1
    stack_id = current.get("StackId", name)
    if protected:
        print(f"turning off termination protection on {name} (--disable-termination-protection)", file=out)
        cfn.update_termination_protection(StackName=name, EnableTerminationProtection=False)
    record.executed = True
    try:
        seen = stack.event_ids(cfn, name)
        cfn.delete_stack(StackName=stack_id)
        status = stack.wait(cfn, stack_id, Poller(local=aws.target.is_local, timeout=opts.timeout), out, seen)
    finally:
        if protected:
            _restore_if_still_there(cfn, stack_id, name, out)
    if status != stack.DELETED:
        failed = stack.failed_events(cfn, stack_id, seen) or ["no failed resource events recorded"]
        hint = recovery.explain(cfn, name, status, aws.target.region, opts.config)[1] if status in recovery.STUCK else None
        raise DeployFailed(f"deletion of {name} failed: stack is {status}", failed, hint=hint)
    print(f"stack {name}: deleted", file=out)
    if keep:
        print("retained resources (delete them yourself when their data is no longer needed):", file=out)
        for r in keep:
            print(f"  {r.logical_id:<28} {r.type:<36} {r.physical_id}", file=out)
    return 0


def _restore_if_still_there(cfn: Any, stack_id: str, name: str, out: TextIO) -> None:
    """A deletion that failed or was interrupted leaves the stack: it gets its termination protection back."""
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

    try:
        current = stack.describe_any(cfn, stack_id)
        if current is None or current["StackStatus"] == stack.DELETED:
            return
        cfn.update_termination_protection(StackName=stack_id, EnableTerminationProtection=True)
        print(f"termination protection on {name}: on again (the stack was not deleted)", file=out)
    except (ClientError, BotoCoreError) as exc:
        print(f"WARNING: termination protection on {name} could not be turned on again ({exc}); "
              f"`aws cloudformation update-termination-protection --stack-name {name} --enable-termination-protection`",
              file=out)
