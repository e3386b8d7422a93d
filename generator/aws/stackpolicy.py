"""The stack policy that protects stateful resources, and termination protection for production."""

from __future__ import annotations

import json
from typing import Any

from mlprov.render.inventory import STATEFUL

ALLOW_ALL = json.dumps({"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]})


def document(logical_ids: list[str]) -> str:
    """Allow every update except replacing or deleting the stateful resources present in the template."""
    protected = sorted(lid for lid in logical_ids if lid in STATEFUL)
    statements: list[dict[str, Any]] = [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]
    if protected:
        statements.insert(0, {
            "Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*",
            "Resource": [f"LogicalResourceId/{lid}" for lid in protected],
        })
    return json.dumps({"Statement": statements}, indent=2)


def apply(cfn: Any, stack_name: str, template: dict[str, Any], environment: str, optional_cfn: Any = None, *,
          termination: bool | None = None) -> list[str]:
    """Set the stack policy (and termination protection for prod); the lines to report.
    ``optional_cfn`` is the client for APIs an endpoint may lack (moto has no UpdateTerminationProtection);
    ``termination``: whether to turn termination protection on (default: for environment prod)."""
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    body = document(list(template.get("Resources", {})))
    cfn.set_stack_policy(StackName=stack_name, StackPolicyBody=body)
    protected = json.loads(body)["Statement"][0].get("Resource", [])
    lines = [f"stack policy: replace/delete denied on {len(protected) if isinstance(protected, list) else 0} stateful resource(s)"]
    if environment == "prod" if termination is None else termination:
        try:
            (optional_cfn or cfn).update_termination_protection(StackName=stack_name, EnableTerminationProtection=True)
            lines.append("termination protection: on (environment prod)")
        except ResponseParserError:
            lines.append("termination protection: not supported by this endpoint (it would be on for environment prod)")
    return lines
