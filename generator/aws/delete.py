"""Delete a product's stack (or one of its test stacks) and list what it leaves behind on purpose."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from mlprov.aws import stack
from mlprov.aws.deploy import DeployFailed
from mlprov.aws.plan import deployed_template
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.config.model import Product
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


def retained(cfn: Any, name: str) -> list[Retained]:
    template = deployed_template(cfn, name)
    policies = {lid: r.get("DeletionPolicy") for lid, r in template.get("Resources", {}).items()}
    out: list[Retained] = []
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
        for r in page["StackResourceSummaries"]:
            if policies.get(r["LogicalResourceId"]) in RETAINING and r.get("PhysicalResourceId"):
                out.append(Retained(r["LogicalResourceId"], r["ResourceType"], r["PhysicalResourceId"]))
    return sorted(out, key=lambda r: r.logical_id)


def delete(aws: Aws, name: str, *, force: bool, confirm: Callable[[str], bool] | None, out: TextIO,
           timeout: float = 3600.0) -> int:
    cfn = aws.cfn
    current = stack.describe(cfn, name)
    if current is None:
        raise UserError(f"stack {name} does not exist in {aws.target.region}", hint="nothing to delete; check the config and --region")
    keep = retained(cfn, name)
    print(f"stack {name} ({current['StackStatus']}) will be deleted; {len(keep)} resource(s) are retained by their DeletionPolicy",
          file=out)
    if not force:
        if confirm is None:
            raise FindingsError(f"refusing to delete {name} without confirmation: no terminal to ask on",
                                hint="rerun with --force")
        if not confirm(f"delete stack {name} ({aws.where()})? [y/N] "):
            print("cancelled: nothing was deleted", file=out)
            return 1
    if current.get("EnableTerminationProtection"):
        print(f"turning off termination protection on {name}", file=out)
        cfn.update_termination_protection(StackName=name, EnableTerminationProtection=False)
    seen = stack.event_ids(cfn, name)
    cfn.delete_stack(StackName=current.get("StackId", name))
    status = stack.wait(cfn, current.get("StackId", name), Poller(local=aws.target.is_local, timeout=timeout), out, seen)
    if status != stack.DELETED:
        raise DeployFailed(f"deletion of {name} failed: stack is {status}",
                           stack.failed_events(cfn, current.get("StackId", name), seen) or ["no failed resource events recorded"])
    print(f"stack {name}: deleted", file=out)
    if keep:
        print("retained resources (delete them yourself when their data is no longer needed):", file=out)
        for r in keep:
            print(f"  {r.logical_id:<28} {r.type:<36} {r.physical_id}", file=out)
    return 0
