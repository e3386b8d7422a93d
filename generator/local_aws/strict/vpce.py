"""What the CreateVpcEndpoint rules share: the call's arguments by name, the subnets' zones, EC2's error shape.

moto's ``VPCBackend.create_vpc_endpoint`` is called positionally by the EC2 API and by keyword by CloudFormation's
``AWS::EC2::VPCEndpoint`` model; :func:`arguments` binds both to the parameter names of moto's signature (each
rule's wrapper names what it wraps in ``__wrapped__``, :func:`wrapping`, so the signature is moto's, not a wrapper's).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any


def wrapping(original: Callable[..., Any], fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, marked as wrapping ``original`` (``inspect.signature`` then reads moto's parameters through it)."""
    fn.__wrapped__ = original  # type: ignore[attr-defined]
    return fn


def arguments(original: Callable[..., Any], backend: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments by parameter name (moto's defaults filled in)."""
    bound = inspect.signature(original).bind(backend, *args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def interface(call: dict[str, Any]) -> bool:
    return str(call.get("endpoint_type") or "").lower() == "interface"


def zones_of(backend: Any, subnet_ids: list[str] | None) -> list[tuple[str, str]]:
    """(subnet id, Availability Zone name) for each subnet, in the request's order (moto refuses unknown ones)."""
    return [(sid, str(backend.get_subnet(sid).availability_zone)) for sid in subnet_ids or []]


def ec2_error(code: str, message: str) -> Exception:
    """An EC2 API error (HTTP 400, the EC2 XML shape; CloudFormation's event shows "<message> (Service: <code>)")."""
    from moto.ec2.exceptions import EC2ClientError  # noqa: PLC0415

    return EC2ClientError(code, message)
