"""Deploy through a change set: preview, confirmation, execute, wait, verify the SSM outputs.

Protections are an invariant, not a success-path step: everything done on the stack runs inside
:func:`mlprov.aws.protect.guarded`, whose ``finally`` (KeyboardInterrupt included) asserts the stack policy and,
for prod, termination protection, and undoes a ``--allow-data-loss`` override. Ctrl-C prints the stack's state
and what to run next (:mod:`mlprov.aws.recovery`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from mlprov.aws import audit, changeset, guards, imports, outputs, preflight, protect, recovery, stack
from mlprov.aws.plan import plan, rollback_complete_error, write_reports
from mlprov.aws.preview import Preview, table
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.config.model import Product
from mlprov.errors import AwsError, FindingsError, MlprovError, UserError
from mlprov.forecast.runner import gate as forecast_gate
from mlprov.seeds.upload import seed_sources

DONE = {"CREATE_COMPLETE", "UPDATE_COMPLETE"}


class ListedError(MlprovError):
    """An error with detail lines between the message and the hint."""

    def __init__(self, message: str, details: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.details = details

    def lines(self) -> list[str]:
        return [self.message, *(f"  {d}" for d in self.details), *([f"hint: {self.hint}"] if self.hint else [])]


class DeployFailed(ListedError, AwsError):
    pass


class Refused(ListedError, FindingsError):
    pass


@dataclass
class Options:
    force: bool = False
    allow_data_loss: bool = False
    create_only: bool = False  # test-deploy: the stack must not exist yet
    confirm: Callable[[str], bool] | None = None  # None: no terminal to ask on
    wait_timeout: float = 3600.0
    skip_gate: bool = False
    reviewed: bool = False
    notes: list[str] = field(default_factory=list)  # shown under the preview (e.g. a skipped gate)
    skip_forecast: bool = False  # --skip-forecast: let AWS itself refuse what the forecast would (tests of the strict endpoint)


def exists_error(product: Product) -> UserError:
    """create_only (test-deploy) found the stack: the hint names that exact stack, never the product's own."""
    name = product.names.stack
    return UserError(
        f"stack {name} already exists",
        hint=f"remove it with `mlprov delete-product {product.path} --stack-name {name} --force`, "
             "or test-deploy with another --suffix",
    )


def _settle(aws: Aws, product: Product, opts: Options, poller: Poller, out: TextIO) -> dict[str, Any] | None:
    """The stack once nothing runs on it; a ROLLBACK_COMPLETE stack deleted when forced; stuck states explained."""
    name = product.names.stack
    current = stack.describe(aws.cfn, name)
    if current is not None and opts.create_only:
        raise exists_error(product)
    if current is not None and stack.in_progress(current["StackStatus"]):
        print(f"stack {name}: another operation is in progress ({current['StackStatus']}); waiting for it", file=out)
        try:
            stack.wait(aws.cfn, name, poller, out, stack.event_ids(aws.cfn, name))
        except AwsError as exc:
            raise FindingsError(f"stack {name}: another operation is still in progress; refusing to start a second one",
                                hint="rerun when it has finished") from exc
        current = stack.describe(aws.cfn, name)
    if current is not None and current["StackStatus"] in recovery.STUCK:
        raise recovery.stuck_error(aws.cfn, name, current["StackStatus"], aws.target.region, str(product.path))
    if current is not None and current["StackStatus"] == "REVIEW_IN_PROGRESS" and not opts.reviewed:
        # Deleting a REVIEW_IN_PROGRESS stack removes only its unexecuted change sets (it has no resources);
        # --reviewed keeps it: the change set kept at review for a new stack lives there.
        what, _fix = recovery.explain(aws.cfn, name, "REVIEW_IN_PROGRESS", aws.target.region, str(product.path))
        print(f"{what}: deleting it to create the stack from a new change set", file=out)
        aws.cfn.delete_stack(StackName=current.get("StackId", name))
        stack.wait(aws.cfn, current.get("StackId", name), poller, out, stack.event_ids(aws.cfn, name))
        current = None
    if current is not None and current["StackStatus"] == "ROLLBACK_COMPLETE":
        if not opts.force:
            raise rollback_complete_error(name)
        print(f"stack {name} is in ROLLBACK_COMPLETE: deleting it to create it again (--force)", file=out)
        aws.cfn.delete_stack(StackName=name)
        stack.wait(aws.cfn, name, poller, out, stack.event_ids(aws.cfn, name))
        current = None
    return current


def _prerequisites(aws: Aws, product: Product, text: str, template: dict[str, Any], opts: Options, *, out: TextIO,
                   reports_dir: Path) -> None:
    """Before any change set (the IMPORT one included): the network pre-flight, then the forecast (exit 2 on a blocker)."""
    preflight.check(aws, product)
    if not opts.skip_forecast:
        forecast_gate(aws, product, text, template, out, reports_dir=reports_dir)


Planner = Callable[[Aws, Product, str, dict[str, Any], Poller], tuple[changeset.ChangeSet, Preview]]


def deploy(aws: Aws, product: Product, text: str, template: dict[str, Any], *, opts: Options, out: TextIO,
           reports_dir: Path, planner: Planner | None = None, err: TextIO | None = None) -> int:
    """``planner``: where the change set comes from (default: a new one; ``--reviewed``: the one kept at review)."""
    err = err or sys.stderr
    name = product.names.stack
    poller = Poller(local=aws.target.is_local, timeout=opts.wait_timeout)
    record = audit.start(aws, name, opts)
    with audit.recorded(record):
        try:
            current = _settle(aws, product, opts, poller, out)
            _prerequisites(aws, product, text, template, opts, out=out, reports_dir=reports_dir)
            guard = protect.Protections(name, template, str(product.config["environment"]),
                                        aws.client("cloudformation", optional=True), test_copy=bool(product.test_suffix))
            run = _Run(aws, product, text, template, opts, out, err, reports_dir, planner or plan, poller, guard, record)
            with protect.guarded(aws.cfn, guard, out, err):
                if current is None and planner is None:
                    _import_retained(aws, product, template, opts, poller=poller, out=out)
                code = _run(run)
            if code == 0:
                _verify(aws, product, out)
            record.outcome = record.outcome or ("ok" if code == 0 else f"exit {code}")
            return code
        except KeyboardInterrupt:
            record.outcome = "interrupted (Ctrl-C)"
            for line in recovery.interrupted_lines(aws.cfn, name, aws.target.region, str(product.path),
                                                   test_copy=bool(product.test_suffix)):
                print(line, file=err)
            raise


@dataclass
class _Run:
    """Everything one deploy works with."""

    aws: Aws
    product: Product
    text: str
    template: dict[str, Any]
    opts: Options
    out: TextIO
    err: TextIO
    reports_dir: Path
    planner: Planner
    poller: Poller
    guard: protect.Protections
    record: audit.Record


def _run(r: _Run) -> int:
    """Plan, preview, refuse or confirm, execute, wait (inside the caller's protections guard)."""
    aws, product, opts, out, record = r.aws, r.product, r.opts, r.out, r.record
    name = product.names.stack
    cs, preview = r.planner(aws, product, r.text, r.template, r.poller)
    record.note_plan(cs, preview)
    md, _js = write_reports(preview, r.reports_dir)
    print(table(preview), file=out)
    for note in opts.notes:
        print(note, file=out)
    print(f"preview written to {md}", file=out)
    if preview.no_changes:
        print(f"no changes: stack {name} is up to date", file=out)
        record.outcome = "no changes"
        return 0
    try:  # before the data-loss check: --allow-data-loss cannot make AWS accept these
        guards.will_fail(preview, "deploy")
        guards.adoptions(aws, product, preview, r.template, "deploy")
    except Refused:
        changeset.delete(aws.cfn, cs)
        raise
    if preview.data_loss and not opts.allow_data_loss:
        changeset.delete(aws.cfn, cs)
        raise Refused(f"refusing to deploy {name}: {len(preview.data_loss)} stateful resource(s) would be replaced or removed",
                      [f"DATA-LOSS RISK: {r.logical_id} ({r.type}) {r.kind}" for r in preview.data_loss],
                      hint="back up the data first, then rerun with --allow-data-loss")
    if not opts.force:
        if opts.confirm is None:
            changeset.delete(aws.cfn, cs)
            raise FindingsError(f"refusing to deploy {name} without confirmation: no terminal to ask on",
                                hint="review the preview above, then rerun with --force")
        if not opts.confirm(f"execute this change set on {name} ({aws.where()})? [y/N] "):
            changeset.delete(aws.cfn, cs)
            print("cancelled: nothing was changed", file=out)
            return 1
    if preview.data_loss and cs.change_type == "UPDATE":
        protect.begin_data_loss_override(aws.cfn, r.guard, r.err)  # undone by guarded()'s finally
    # S3 sources: the pipelines start on creation and read their keys; absent keys get the seed code first (at the
    # stack's creation only: on an update the pipelines exist, and a new key would start them).
    if cs.change_type == "CREATE":
        try:
            seed_sources(aws.client("s3"), product, out)
        except MlprovError:
            changeset.delete(aws.cfn, cs)
            raise
    seen = stack.event_ids(aws.cfn, name)
    print(f"executing change set on {name}", file=out)
    record.executed = True
    _execute(aws, product, cs, seen)
    status = stack.wait(aws.cfn, name, r.poller, out, seen)
    if status not in DONE:
        raise _failed(aws, product, status, seen)
    print(f"stack {name}: {status}", file=out)
    return 0


def _execute(aws: Aws, product: Product, cs: changeset.ChangeSet, seen: set[str]) -> None:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    name = product.names.stack
    try:
        aws.cfn.execute_change_set(ChangeSetName=cs.id, StackName=name)
    except ClientError as exc:  # some endpoints (moto) run the change set synchronously and fail right here
        code_msg = exc.response.get("Error", {})
        current = stack.describe_any(aws.cfn, name)
        status = current["StackStatus"] if current else "gone"
        failed = stack.failed_events(aws.cfn, name, seen) if current else []
        raise DeployFailed(f"deploy of {name} failed: stack is {status}",
                           [*failed, f"ExecuteChangeSet: {code_msg.get('Code')}: {code_msg.get('Message')}"],
                           hint=_failed_hint(aws, product, status)) from exc


def _failed(aws: Aws, product: Product, status: str, seen: set[str]) -> DeployFailed:
    name = product.names.stack
    failed = stack.failed_events(aws.cfn, name, seen) or ["no failed resource events recorded"]
    return DeployFailed(f"deploy of {name} failed: stack is {status}", failed, hint=_failed_hint(aws, product, status))


def _failed_hint(aws: Aws, product: Product, status: str) -> str:
    name, config = product.names.stack, str(product.path)
    if status in recovery.STUCK:
        return recovery.explain(aws.cfn, name, status, aws.target.region, config)[1]
    if product.test_suffix:  # never a command that could reach the product's own stack
        return f"fix the cause above; remove this test copy with `mlprov delete-product {config} --stack-name {name} --force`"
    if status == "ROLLBACK_COMPLETE":
        return f"the creation was rolled back; `mlprov deploy-product {config} --force` deletes and recreates it"
    return "fix the cause above and deploy again"


def _import_retained(aws: Aws, product: Product, template: dict[str, Any], opts: Options, *, poller: Poller, out: TextIO) -> None:
    """A new stack whose retained registry or repositories exist: adopt them first (:mod:`mlprov.aws.imports`)."""
    items = imports.retained(aws, template)
    if not items:
        return
    imports.check_owner(aws, product, items)
    name = product.names.stack
    if not opts.force:
        if opts.confirm is None:
            raise FindingsError(f"refusing to import {len(items)} retained resource(s) into {name} without confirmation: "
                                "no terminal to ask on", hint="rerun with --force")
        if not opts.confirm(f"create {name} by importing {len(items)} retained resource(s) first? [y/N] "):
            raise FindingsError(f"cancelled: nothing was changed on {name}",
                                hint="rerun and confirm, or delete the retained resources")
    imports.run(aws, product, template, items, poller=poller, out=out)


def _verify(aws: Aws, product: Product, out: TextIO) -> None:
    current = stack.describe(aws.cfn, product.names.stack)
    if current is None:
        return
    checks = outputs.verify(aws.ssm, product, stack.outputs(current))
    print(f"SSM Parameter Store outputs ({len(checks)}):", file=out)
    for c in checks:
        print(f"  {c.line()}", file=out)
    bad = [c for c in checks if not c.ok]
    if bad:
        raise DeployFailed(f"stack {product.names.stack}: {len(bad)} SSM output(s) missing or different from the stack outputs",
                           [c.line() for c in bad], hint="run `mlprov check-drift CONFIG` for the full picture")
