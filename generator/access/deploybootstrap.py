"""Deploy the bootstrap stacks through change sets (administrator credentials; no service role: they make them).

Order (``bootstrap.stacks`` returns them so): each account's region stacks (the template buckets), then each
product's service-role stack, then the account stack. A template over CloudFormation's 51,200-byte ``TemplateBody``
limit (the account stack of more than a couple of products) is uploaded content-addressed with SSE into the
template bucket of its account and region and passed by ``TemplateURL`` (at most 1 MB; AWS CloudFormation API
Reference, CreateChangeSet, https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html),
through :mod:`mlprov.aws.templatesource` as product deploys do. That bucket is the region stack's, so it must be
deployed (CREATE_COMPLETE or UPDATE_COMPLETE) first; otherwise the stack is refused in one line before any change.

The caller's account must be the stacks' account (``sts:GetCallerIdentity``, :mod:`mlprov.aws.identity`): a
bootstrap into the wrong account would create roles there. botocore errors reach the command boundary (exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from mlprov.access.bootstrap import BootstrapStack
from mlprov.aws import changeset, stack, templatesource
from mlprov.aws.session import Aws, Target
from mlprov.aws.stack import Poller
from mlprov.deploypath import region_stack_name
from mlprov.errors import AwsError, UserError

READY = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE"})
TAGS = {"mlprov:managed-by": "ml-provisioner", "mlprov:bootstrap": "true"}


def _guard(aws: Aws, boot: BootstrapStack, checked: set[tuple[str, str]]) -> None:
    if (boot.account, boot.region) in checked:
        return
    ident = aws.client("sts").get_caller_identity()
    if str(ident["Account"]) != boot.account:
        raise UserError(f"bootstrap stack {boot.name} is for account {boot.account} but the credentials are for account "
                        f"{ident['Account']} ({ident['Arn']})",
                        hint=f"use an administrator's credentials of account {boot.account} (--profile or AWS_PROFILE)")
    checked.add((boot.account, boot.region))


def _template_url(aws: Aws, boot: BootstrapStack, source: templatesource.Source) -> str:
    """Upload an oversized template into the region stack's bucket (which must exist) and return its URL."""
    region_stack = region_stack_name(boot.account, boot.region)
    found = stack.describe(aws.cfn, region_stack)
    if not found or found["StackStatus"] not in READY:
        state = "does not exist" if not found else f"is {found['StackStatus']}"
        raise UserError(f"bootstrap stack {boot.name}: its template ({source.size} bytes) is over the 51,200-byte inline "
                        f"limit and goes through bucket {source.bucket}, but stack {region_stack} (which creates the bucket) "
                        f"{state} in {boot.region}",
                        hint="run `mlprov bootstrap --deploy` with every config of this account: it deploys the region "
                             "stacks first")
    templatesource.upload(aws.client("s3"), source)
    return templatesource.url(source, boot.region)


def deploy_stack(aws: Aws, boot: BootstrapStack, out: TextIO) -> int:
    cfn = aws.cfn
    current = stack.describe(cfn, boot.name)
    if current and current["StackStatus"] == "ROLLBACK_COMPLETE":
        # A first create that rolled back leaves a stack that can only be deleted, not updated (as aws/plan.py and
        # aws/deploy.py treat it; CloudFormation User Guide, stack status codes)
        raise UserError(f"bootstrap stack {boot.name} is ROLLBACK_COMPLETE (its first create failed) and cannot be updated",
                        hint=f"see why in its events, delete it (aws cloudformation delete-stack --stack-name {boot.name}), "
                             "then run `mlprov bootstrap --deploy` again")
    kind = "UPDATE" if current and current["StackStatus"] != "REVIEW_IN_PROGRESS" else "CREATE"
    source = templatesource.choose(boot.text(), boot.template, boot.account, boot.region)
    url = _template_url(aws, boot, source) if source.kind == "s3" else None
    poller = Poller(local=aws.target.is_local)
    cs = changeset.create(cfn, boot.name, source.body, TAGS, kind, poller=poller, description="mlprov bootstrap",
                          template_url=url)
    sent = f"TemplateURL {url}" if url else f"TemplateBody ({source.size} bytes)"
    if cs.no_changes:
        print(f"{boot.name}: no changes", file=out)
        return 0
    print(f"{boot.name}: {kind} with {len(cs.changes)} change(s), {sent}", file=out)
    cfn.execute_change_set(ChangeSetName=cs.id, StackName=boot.name)
    status = stack.wait(cfn, boot.name, poller, out)
    if status not in READY:
        raise AwsError(f"bootstrap stack {boot.name} ended {status}",
                       hint=f"see the stack's events: aws cloudformation describe-stack-events --stack-name {boot.name}")
    return 0


def deploy_all(stacks: Sequence[BootstrapStack], endpoint_url: str | None, profile: str | None, out: TextIO) -> int:
    """Deploy ``stacks`` in the given order, one client set per region; stops at the first failure."""
    clients: dict[str, Aws] = {}
    checked: set[tuple[str, str]] = set()
    for boot in stacks:
        aws = clients.setdefault(boot.region, Aws(Target(region=boot.region, endpoint_url=endpoint_url, profile=profile)))
        _guard(aws, boot, checked)
        deploy_stack(aws, boot, out)
    print(f"{len(stacks)} bootstrap stack(s) deployed", file=out)
    return 0
