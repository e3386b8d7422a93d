"""From a product and its template to a change set and its preview (the shared first half of show-changes
and deploy-product), and the preview reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from mlprov.atomic import write_text
from mlprov.aws import changeset, replacement, stack, templatesource
from mlprov.aws.changeset import ChangeSet
from mlprov.aws.preview import Preview, build, markdown
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.config.model import Product
from mlprov.deploypath import product_service_role_arn
from mlprov.errors import FindingsError
from mlprov.render.inventory import STATEFUL
from mlprov.seeds.upload import ensure_repository_seeds


def rollback_complete_error(stack_name: str) -> FindingsError:
    return FindingsError(
        f"stack {stack_name} is in ROLLBACK_COMPLETE: its first creation failed and was rolled back, so it cannot be updated",
        hint="see why with `aws cloudformation describe-stack-events`; then `mlprov deploy-product CONFIG --force` "
        "deletes the empty stack and creates it again",
    )


def deployed_template(cfn: Any, stack_name: str) -> dict[str, Any]:
    """The template the stack runs now (GetTemplate, original stage), parsed."""
    body = cfn.get_template(StackName=stack_name, TemplateStage="Original")["TemplateBody"]
    if isinstance(body, dict):  # botocore decodes JSON bodies itself
        return body
    try:
        parsed = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def change_type(current: dict[str, Any] | None) -> str:
    if current is None or current["StackStatus"] == "REVIEW_IN_PROGRESS":
        return "CREATE"
    if current["StackStatus"] == "ROLLBACK_COMPLETE":
        raise rollback_complete_error(current["StackName"])
    return "UPDATE"


def plan(aws: Aws, product: Product, text: str, template: dict[str, Any], poller: Poller, *,
         cs_name: str | None = None, description: str = "created by mlprov") -> tuple[ChangeSet, Preview]:
    """Create the change set (left unexecuted) and its merged preview."""
    name = product.names.stack
    kind = change_type(stack.describe(aws.cfn, name))
    source = templatesource.choose(text, template, product.account_id, product.region)
    url = None
    if source.kind == "s3":
        templatesource.upload(aws.client("s3"), source)
        url = templatesource.url(source, product.region)
    ensure_repository_seeds(aws.client("s3"), template)  # read by CloudFormation when it creates the repositories
    cs = changeset.create(aws.cfn, name, source.body, product.tags, kind, poller=poller,
                          name=cs_name, description=description, template_url=url,
                          role_arn=product_service_role_arn(product))
    return cs, preview_of(aws, product, cs, template)


def preview_of(aws: Aws, product: Product, cs: ChangeSet, template: dict[str, Any]) -> Preview:
    """The merged preview of a change set (CloudFormation's entries plus our replacement prediction)."""
    name, kind = product.names.stack, cs.change_type
    if cs.no_changes:
        return Preview(product.name, name, kind, no_changes=True)
    old = deployed_template(aws.cfn, name) if kind == "UPDATE" else {"Resources": {}}
    types = {lid: str(r.get("Type", "")) for src in (old, template) for lid, r in src.get("Resources", {}).items()}
    predicted = replacement.predict(old, template)
    preview = build(product.name, name, kind, cs.changes, predicted=predicted, types=types, stateful=STATEFUL,
                    named=replacement.named_replacements(old, template))
    for row in preview.adoptions:  # name what is adopted by its custom name (the import's identifier)
        props = template.get("Resources", {}).get(row.logical_id, {}).get("Properties") or {}
        row.physical_id = str(props.get(replacement.NAME_PROPERTIES.get(row.type, ""), "") or row.physical_id)
    return preview


def write_reports(preview: Preview, reports_dir: Path) -> tuple[Path, Path]:
    """``<reports>/<product>/changes.md`` and ``changes.json``."""
    folder = reports_dir / preview.product
    md, js = folder / "changes.md", folder / "changes.json"
    write_text(md, markdown(preview))
    write_text(js, json.dumps(preview.to_json(), indent=2) + "\n")
    return md, js
