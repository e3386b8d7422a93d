"""Deploy one bootstrap stack through a change set (administrator credentials; no service role: it makes them).

botocore errors reach the command boundary, which reports them in one line (exit 3).
"""

from __future__ import annotations

from typing import TextIO

from mlprov.access.bootstrap import BootstrapStack
from mlprov.aws import changeset, stack
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.errors import AwsError


def deploy_stack(aws: Aws, boot: BootstrapStack, out: TextIO) -> int:
    cfn = aws.cfn
    current = stack.describe(cfn, boot.name)
    kind = "UPDATE" if current and current["StackStatus"] != "REVIEW_IN_PROGRESS" else "CREATE"
    body = changeset.template_body(boot.text(), boot.template)
    poller = Poller(local=aws.target.is_local)
    cs = changeset.create(cfn, boot.name, body, {"mlprov:managed-by": "ml-provisioner"}, kind, poller=poller,
                          description="mlprov bootstrap")
    if cs.no_changes:
        print(f"{boot.name}: no changes", file=out)
        return 0
    print(f"{boot.name}: {kind} with {len(cs.changes)} change(s)", file=out)
    cfn.execute_change_set(ChangeSetName=cs.id, StackName=boot.name)
    status = stack.wait(cfn, boot.name, poller, out)
    if not status.endswith("_COMPLETE") or "ROLLBACK" in status:
        raise AwsError(f"bootstrap stack {boot.name} ended {status}",
                       hint=f"see the stack's events: aws cloudformation describe-stack-events --stack-name {boot.name}")
    return 0
