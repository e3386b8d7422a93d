"""What every live check is given: the clients, the resource's template properties, the stack's physical ids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlprov.aws.livecheck.documents import Resolver, Unresolvable
from mlprov.aws.session import Aws

# (property, expected, actual) per compared property; expected NOT_COMPARED marks one that could not be compared
Compared = list[tuple[str, Any, Any]]
NOT_COMPARED = "<not compared: the template value holds an intrinsic this check does not evaluate>"


@dataclass
class Ctx:
    aws: Aws
    props: dict[str, Any]  # template properties of the resource
    physical: dict[str, str]  # logical id -> physical id, for resolving Refs
    outputs: dict[str, str]  # stack outputs
    logical_id: str
    template: dict[str, Any] = field(default_factory=dict)  # the deployed template (other resources' properties)
    stack_arn: str = ""
    _arns: dict[str, str | None] = field(default_factory=dict)

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Properties of the template's resources of one type, by logical id."""
        return {lid: dict(body.get("Properties", {})) for lid, body in self.template.get("Resources", {}).items()
                if body.get("Type") == resource_type}

    def arn(self, logical_id: str) -> str | None:
        """The ARN of a stack resource (``Fn::GetAtt X.Arn``), read once."""
        if logical_id not in self._arns:
            self._arns[logical_id] = _arn(self, logical_id)
        return self._arns[logical_id]

    def resolver(self) -> Resolver:
        return Resolver(self.physical, self.arn, self.stack_arn)

    def resolve(self, value: Any) -> Any:
        """The template value with its intrinsics evaluated, or NOT_COMPARED."""
        try:
            return self.resolver().resolve(value)
        except Unresolvable:
            return NOT_COMPARED

    def resolve_all(self, values: list[Any]) -> Any:
        """A sorted list of resolved values, or NOT_COMPARED when any one of them cannot be evaluated."""
        out = [self.resolve(v) for v in values]
        return NOT_COMPARED if NOT_COMPARED in out else sorted(out, key=str)


def _arn(ctx: Ctx, logical_id: str) -> str | None:
    physical = ctx.physical.get(logical_id, "")
    if physical.startswith("arn:"):
        return physical
    kind = str(ctx.template.get("Resources", {}).get(logical_id, {}).get("Type", ""))
    readers: dict[str, Callable[[], str]] = {
        "AWS::KMS::Key": lambda: str(ctx.aws.client("kms").describe_key(KeyId=physical)["KeyMetadata"]["Arn"]),
        "AWS::IAM::Role": lambda: str(ctx.aws.client("iam").get_role(RoleName=physical)["Role"]["Arn"]),
    }
    if kind == "AWS::S3::Bucket":
        return f"arn:{ctx.resolver().pseudo['AWS::Partition']}:s3:::{physical}"
    reader = readers.get(kind)
    return reader() if reader and physical else None
