"""Rule ``existing-name``: a create over a custom name that already exists fails ("already exists").

AWS: a resource with a custom name is created under exactly that name; when a resource of that type and name exists
already (e.g. retained by ``DeletionPolicy: Retain`` from an earlier stack), the create fails with the handler
error code AlreadyExists, "Resource of type '<type>' with identifier '<name>' already exists.", and the stack rolls
back. Sources: CloudFormation Template Reference, "Name type" (custom names: "you can't perform updates that require
replacement ... and if you reuse a name, the resource creation fails"), and the CloudFormation CLI "Handler error
codes" (AlreadyExists). moto reuses an existing SNS topic silently and raises differently worded errors for the other
types; the types checked are those of :data:`mlprov.local_aws.strict.lookup.NAMED`. With ``ImportExistingResources``
an eligible resource is adopted instead (:mod:`mlprov.local_aws.strict.adopt`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.cfnmodel import service_error
from mlprov.local_aws.strict import active, lookup, wrap

RULE = "existing-name"
SOURCE = ("create over an existing custom name refused: AlreadyExists (CloudFormation Template Reference, Name type; "
          "CloudFormation CLI handler error codes)")


def message(resource_type: str, name: str) -> str:
    return f"Resource of type '{resource_type}' with identifier '{name}' already exists."


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def parse_and_create_resource(logical_id: str, resource_json: dict[str, Any], resources_map: Any, account_id: str,
                                  region_name: str) -> Any:
        if not active():
            return original(logical_id, resource_json, resources_map, account_id, region_name)
        try:
            found = lookup.existing(resource_json, account_id, region_name)
            if found is not None:
                from mlprov.local_aws.strict import adopt  # noqa: PLC0415

                adopted = adopt.adopt(logical_id, resource_json, resources_map, found, account=account_id, region=region_name)
                if adopted is not None:
                    return adopted
                raise service_error("AlreadyExists", message(str(resource_json["Type"]), str(lookup.static_name(resource_json))))
            return original(logical_id, resource_json, resources_map, account_id, region_name)
        except Exception as exc:
            if not hasattr(exc, "mlprov_logical_id"):  # the innermost resource is the one that failed
                exc.mlprov_logical_id = logical_id  # type: ignore[attr-defined]
                exc.mlprov_type = str(resource_json.get("Type"))  # type: ignore[attr-defined]
            raise

    return parse_and_create_resource


def install() -> None:
    from moto.cloudformation import parsing  # noqa: PLC0415

    wrap(parsing, "parse_and_create_resource", _checked)
