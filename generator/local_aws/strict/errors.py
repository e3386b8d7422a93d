"""How the strict rules raise and read errors."""

from __future__ import annotations

from typing import Any


def code_and_message(exc: BaseException) -> tuple[str, str]:
    """The AWS error code and message of an exception from a moto backend (or one of our models)."""
    code = getattr(exc, "error_type", None) or getattr(exc, "code", None)
    message = getattr(exc, "message", None) or getattr(exc, "description", None) or str(exc)
    return (code if isinstance(code, str) else type(exc).__name__), str(message)


def validation_error(message: str) -> Exception:
    """CloudFormation's own ValidationError (HTTP 400, code ValidationError)."""
    from moto.cloudformation.exceptions import ValidationError  # noqa: PLC0415

    return ValidationError(message=message)


def truthy(value: Any) -> bool:
    """A template boolean, given as a bool or as "true"/"false"."""
    return value is True or str(value).lower() == "true"
