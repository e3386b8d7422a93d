"""After a deploy: every SSM Parameter Store output of SPEC exists and equals the stack output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlprov.config.model import Product
from mlprov.render.inventory import ssm_outputs


@dataclass(frozen=True)
class OutputCheck:
    output: str
    parameter: str
    expected: str | None  # the stack output (None: the stack has no such output)
    actual: str | None  # the parameter's value (None: no such parameter)

    @property
    def ok(self) -> bool:
        return self.expected is not None and self.expected == self.actual

    def line(self) -> str:
        if self.expected is None:
            return f"MISSING OUTPUT  {self.output}: the stack has no output {self.output}"
        if self.actual is None:
            return f"MISSING         {self.parameter}: no such parameter (stack output {self.expected})"
        if not self.ok:
            return f"MISMATCH        {self.parameter} = {self.actual!r}, stack output {self.output} = {self.expected!r}"
        return f"ok              {self.parameter} = {self.actual}"


def parameter_value(ssm: Any, name: str) -> str | None:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return str(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ParameterNotFound":
            return None
        raise


def verify(ssm: Any, product: Product, stack_outputs: dict[str, str]) -> list[OutputCheck]:
    return [
        OutputCheck(o, product.names.ssm(o), stack_outputs.get(o), parameter_value(ssm, product.names.ssm(o)))
        for o in ssm_outputs(product.variant)
    ]
