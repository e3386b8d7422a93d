"""Run exactly what was reviewed.

On a pull request ``show-changes --review`` creates the change set and KEEPS it, named by its identity
(``mlprov-review-<hash12>``, the identity in its Description and in ``<reports>/<product>/review.json``).
On merge ``deploy-product --reviewed`` recomputes the identity from the merged template, its parameters and the
stack's current last-update time: when a kept change set of that name is ready (CREATE_COMPLETE, AVAILABLE) it is
executed as is; otherwise a new preview is kept for approval and the deploy stops (exit 1) saying what changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from mlprov.atomic import write_text
from mlprov.aws import changeset, stack
from mlprov.aws.changeset import ChangeSet
from mlprov.aws.deploy import Refused
from mlprov.aws.plan import change_type, plan, preview_of, write_reports
from mlprov.aws.preview import Preview
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.config.model import Product
from mlprov.gitops.identity import PREFIX, Identity, compute, differences, parse_description

RECORD = "review.json"
Planner = Callable[[Aws, Product, str, dict[str, Any], Poller], tuple[ChangeSet, Preview]]


def review_sets(cfn: Any, stack_name: str) -> list[dict[str, Any]]:
    """The kept review change sets of the (live) stack that can still be executed, newest first."""
    current = stack.describe(cfn, stack_name)
    if current is None:
        return []
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"StackName": current["StackId"]}
    while True:
        page = cfn.list_change_sets(**kwargs)
        out += [s for s in page.get("Summaries", []) if str(s.get("ChangeSetName", "")).startswith(PREFIX)
                and s.get("StackId") == current["StackId"]
                and s.get("Status") == "CREATE_COMPLETE" and s.get("ExecutionStatus") == "AVAILABLE"]
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    return sorted(out, key=lambda s: s["CreationTime"], reverse=True)


def _identity(aws: Aws, product: Product, text: str, template: dict[str, Any]) -> Identity:
    body = changeset.template_body(text, template)
    return compute(aws.cfn, aws.ssm, product.names.stack, body, template=template, tags=product.tags)


def _existing(aws: Aws, product: Product, summary: dict[str, Any]) -> ChangeSet:
    name = product.names.stack
    kind = change_type(stack.describe(aws.cfn, name))
    return ChangeSet(id=summary["ChangeSetId"], stack_name=name, change_type=kind,
                     changes=changeset.describe_all(aws.cfn, summary["ChangeSetId"], name))


def keep(aws: Aws, product: Product, text: str, template: dict[str, Any], poller: Poller) -> tuple[ChangeSet, Preview, Identity]:
    """The review change set of the current identity: reused when already kept, else created and kept."""
    ident = _identity(aws, product, text, template)
    found = [s for s in review_sets(aws.cfn, product.names.stack) if s["ChangeSetName"] == ident.change_set_name]
    if found:
        cs = _existing(aws, product, found[0])
    else:
        cs, _ = plan(aws, product, text, template, poller, cs_name=ident.change_set_name, description=ident.description())
    return cs, preview_of(aws, product, cs, template), ident


def ci_commit() -> str:
    """The commit a CI run builds (GitHub Actions, CodeBuild), empty elsewhere."""
    return os.environ.get("GITHUB_SHA") or os.environ.get("CODEBUILD_RESOLVED_SOURCE_VERSION") or ""


def write_record(reports_dir: Path, preview: Preview, cs: ChangeSet, ident: Identity, commit: str = "") -> Path:
    """``<reports>/<product>/review.json``: what the pull request showed, for the audit trail and the comment."""
    folder = reports_dir / preview.product
    path = folder / RECORD
    record = {"product": preview.product, "stack": preview.stack, "change_type": preview.change_type,
              "no_changes": preview.no_changes, "change_set_id": cs.id,
              "change_set_name": "" if preview.no_changes else ident.change_set_name,
              "identity": ident.to_json(), "commit": commit,
              "reviewed_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")}
    write_text(path, json.dumps(record, indent=2) + "\n")
    return path


def reviewed_planner(reports_dir: Path, out: TextIO, commit: str = "") -> Planner:
    """The planner of ``deploy-product --reviewed``: the kept change set of the current identity, or refuse."""

    def planner(aws: Aws, product: Product, text: str, template: dict[str, Any], poller: Poller) -> tuple[ChangeSet, Preview]:
        name = product.names.stack
        kept = review_sets(aws.cfn, name)
        ident = _identity(aws, product, text, template)
        match = [s for s in kept if s["ChangeSetName"] == ident.change_set_name]
        if match:
            print(f"executing the reviewed change set {ident.change_set_name} (kept at "
                  f"{match[0]['CreationTime']}; template, parameters and stack unchanged since)", file=out)
            cs = _existing(aws, product, match[0])
            return cs, preview_of(aws, product, cs, template)
        previous = next((i for i in (parse_description(str(s.get("Description", ""))) for s in kept) if i), None)
        cs, preview, ident = keep(aws, product, text, template, poller)
        if preview.no_changes:
            return cs, preview
        write_reports(preview, reports_dir)
        write_record(reports_dir, preview, cs, ident, commit)
        details = differences(previous, ident) if previous else [
            f"no reviewed change set is kept on stack {name}: nothing was previewed with `show-changes --review`"]
        raise Refused(
            f"refusing to deploy {name}: this is not the change set that was reviewed", details,
            hint=f"a new preview is kept as {ident.change_set_name} (reports: {reports_dir / product.name}); "
                 "once someone has approved it, `mlprov deploy-product CONFIG --reviewed` executes exactly that")

    return planner
