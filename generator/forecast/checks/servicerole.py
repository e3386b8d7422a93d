"""MLPROV-F003 (online): the product's CloudFormation service role exists.

The role (``deploypath.service_role_name``, path ``/mlprov/``) is made by ``mlprov bootstrap``. AWS: a change set
whose ``RoleARN`` names a role that does not exist or that CloudFormation cannot assume fails ("Role ... is
invalid or cannot be assumed"); "CloudFormation uses the role's credentials to make calls on your behalf"
(AWS CloudFormation User Guide, "AWS CloudFormation service role",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
Severity warning, not blocker: the change sets of this version do not name a ``RoleARN`` yet (the access
work does), so a missing role does not fail today's deploy; it will once the role is passed.
"""

from __future__ import annotations

from mlprov.deploypath import ROLE_PATH, service_role_name
from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

CODE = "MLPROV-F003"


@REGISTRY.check(CODE, "CloudFormation service role", online=True)
def service_role(ctx: Context) -> list[Finding]:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    assert ctx.aws is not None
    # a test copy deploys with its product's role
    base = ctx.product if ctx.product.test_suffix is None else type(ctx.product)(ctx.product.path, ctx.product.config)
    name = service_role_name(base.names.stack)
    try:
        role = ctx.aws.client("iam").get_role(RoleName=name)["Role"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
            raise
        return [finding(CODE, "warning", f"CloudFormation service role {ROLE_PATH}{name} does not exist",
                        "run `mlprov bootstrap` for this product (it creates the role the change sets assume)")]
    if role.get("Path") != ROLE_PATH:
        return [finding(CODE, "warning", f"role {name} exists with path {role.get('Path')}, not {ROLE_PATH}",
                        "recreate it with `mlprov bootstrap`")]
    return [finding(CODE, "info", f"CloudFormation service role {ROLE_PATH}{name} exists")]
