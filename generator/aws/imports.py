"""Adopt retained resources that ``ImportExistingResources`` cannot: an IMPORT change set before the first deploy.

AWS auto-import needs the type's primary identifier to be a property the template sets; a model package group
(primary identifier ``ModelPackageGroupArn``) and a CodeCommit repository (``RepositoryId``) are identified by
read-only properties, so they are not auto-imported and a retained one blocks the create ("already exists").
Sources: CloudFormation User Guide, "Import AWS resources into a CloudFormation stack automatically" (requirements:
"Primary IDs with read only properties aren't supported") and "Bring existing resources into CloudFormation
management" (an IMPORT change set: ``ChangeSetType=IMPORT``, ``ResourcesToImport`` with each resource's identifier;
every resource to import needs a ``DeletionPolicy``). So when the stack does not exist yet and such retained
resources of this product exist (tagged ``mlprov:product``), deploy-product first creates the stack by an IMPORT
change set holding just them (their literal properties), then updates it to the full template as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from mlprov.aws import guards, stack
from mlprov.aws.changeset import CAPABILITIES
from mlprov.aws.replacement import NAME_PROPERTIES
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.config.model import Product
from mlprov.deploypath import product_service_role_arn
from mlprov.errors import AwsError

RETAINING = ("Retain", "RetainExceptOnCreate")


def _absent(exc: Any, codes: set[str]) -> None:
    """Not found is an answer; anything else (AccessDenied: the deployer policy lacks the read) is an error."""
    code = str(exc.response.get("Error", {}).get("Code", ""))
    if code not in codes:
        raise AwsError(f"cannot check for a retained resource: {code}: {exc.response.get('Error', {}).get('Message', '')}",
                       hint="the deploy role needs sagemaker:DescribeModelPackageGroup and codecommit:GetRepository") from exc


def _group_arn(aws: Aws, name: str) -> str | None:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return str(aws.client("sagemaker").describe_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"])
    except ClientError as exc:  # SageMaker answers ValidationException for a group that does not exist
        _absent(exc, {"ValidationException", "ResourceNotFound"})
        return None


def _repository_id(aws: Aws, name: str) -> str | None:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return str(aws.client("codecommit").get_repository(repositoryName=name)["repositoryMetadata"]["repositoryId"])
    except ClientError as exc:
        _absent(exc, {"RepositoryDoesNotExistException"})
        return None


BY_IDENTIFIER: dict[str, tuple[str, Callable[[Aws, str], str | None]]] = {
    "AWS::SageMaker::ModelPackageGroup": ("ModelPackageGroupArn", _group_arn),
    "AWS::CodeCommit::Repository": ("RepositoryId", _repository_id),
}


def _literal(value: Any) -> bool:
    if isinstance(value, dict):
        return not any(k == "Ref" or k.startswith("Fn::") for k in value) and all(_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(_literal(v) for v in value)
    return True


def retained(aws: Aws, template: dict[str, Any]) -> list[dict[str, Any]]:
    """ResourcesToImport entries for the retained resources only an IMPORT change set can adopt."""
    out = []
    for lid, body in template.get("Resources", {}).items():
        kind = str(body.get("Type"))
        if kind not in BY_IDENTIFIER or body.get("DeletionPolicy") not in RETAINING:
            continue
        name = (body.get("Properties") or {}).get(NAME_PROPERTIES[kind])
        key, find = BY_IDENTIFIER[kind]
        found = find(aws, name) if isinstance(name, str) else None
        if found:
            out.append({"ResourceType": kind, "LogicalResourceId": lid, "ResourceIdentifier": {key: found}, "name": name})
    return out


def lines(items: list[dict[str, Any]]) -> list[str]:
    return [f"adopts retained {i['ResourceType']} {i['name']} as {i['LogicalResourceId']} (IMPORT change set first)" for i in items]


def import_template(template: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    resources = {}
    for item in items:
        body = template["Resources"][item["LogicalResourceId"]]
        props = {k: v for k, v in (body.get("Properties") or {}).items() if _literal(v)}  # the update sets the rest
        resources[item["LogicalResourceId"]] = {k: v for k, v in body.items() if k != "Properties"} | {"Properties": props}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Description": template.get("Description", ""), "Resources": resources}


def check_owner(aws: Aws, product: Product, items: list[dict[str, Any]]) -> None:
    """Refuse (exit 1) to import a resource not tagged as this product's."""
    from mlprov.aws.deploy import Refused  # noqa: PLC0415

    foreign = []
    for item in items:
        owner = guards.TAG_READERS[item["ResourceType"]](aws, item["name"]).get(guards.PRODUCT_TAG)
        if owner != product.prefix:
            foreign.append(f"{item['LogicalResourceId']} ({item['ResourceType']}) {item['name']}: tagged "
                           f"{guards.PRODUCT_TAG}={owner or '(none)'}, not {product.prefix}")
    if foreign:
        raise Refused(f"refusing to deploy {product.names.stack}: {len(foreign)} existing resource(s) with this product's names "
                      "belong to something else", foreign,
                      hint="delete or rename those resources, or change the config's names (organization, app_id, use_case)")


def run(aws: Aws, product: Product, template: dict[str, Any], items: list[dict[str, Any]], *, poller: Poller, out: TextIO) -> None:
    """Create the stack by an IMPORT change set of ``items`` and wait for IMPORT_COMPLETE."""
    name = product.names.stack
    body = import_template(template, items)
    cs = aws.cfn.create_change_set(
        StackName=name, ChangeSetName=f"mlprov-import-{len(items)}", ChangeSetType="IMPORT", TemplateBody=json.dumps(body),
        Capabilities=CAPABILITIES, Tags=[{"Key": k, "Value": v} for k, v in product.tags.items()],
        ResourcesToImport=[{k: v for k, v in i.items() if k != "name"} for i in items],
        RoleARN=product_service_role_arn(product))  # as every change set: the deployer may pass only this role
    for _ in poller.intervals():
        desc = aws.cfn.describe_change_set(ChangeSetName=cs["Id"], StackName=name)
        if desc["Status"] == "CREATE_COMPLETE":
            break
        if desc["Status"] == "FAILED":
            raise AwsError(f"stack {name}: the IMPORT change set failed: {desc.get('StatusReason') or 'no reason given'}",
                           hint="see the retained resources above; delete them or import them by hand")
    for line in lines(items):
        print(line, file=out)
    seen = stack.event_ids(aws.cfn, name)
    aws.cfn.execute_change_set(ChangeSetName=cs["Id"], StackName=name)
    status = stack.wait(aws.cfn, name, poller, out, seen)
    if status != "IMPORT_COMPLETE":
        raise AwsError(f"stack {name}: the import of the retained resources ended {status}",
                       hint="see the stack events; `mlprov delete-product CONFIG --force` removes the stack (the resources stay)")
    print(f"stack {name}: IMPORT_COMPLETE ({len(items)} retained resource(s) adopted)", file=out)
