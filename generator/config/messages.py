"""Turn jsonschema errors into one line each: the field path, what is wrong, and the fix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
}


def _path(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _yaml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty (null)"
    return type(value).__name__


def _fix(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-fix") or schema.get("description")
    return f"; {hint}" if hint else ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(error: ValidationError, fix_for: dict[str, str]) -> str:
    """One line for one error. ``fix_for`` maps a field path to its fix text (for 'missing' errors)."""
    field = _path(error.absolute_path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    v = error.validator
    if v == "required":
        missing = str(error.message).split("'")[1]
        full = f"{field}.{missing}" if error.absolute_path else missing
        hint = fix_for.get(full)
        return f"field '{full}' is missing: add it" + (f" ({hint})" if hint else "")
    if v == "additionalProperties":
        extras = sorted(set(instance) - set(schema.get("properties", {})))
        allowed = ", ".join(sorted(schema.get("properties", {})))
        where = f"{field}." if error.absolute_path else ""
        return (
            f"field '{where}{extras[0] if extras else '?'}' is not a known field: remove it or fix its spelling "
            f"(known fields here: {allowed})"
        )
    if schema.get("x-forbidden"):
        return f"field '{field}' is not allowed with this choice of vpc_resolution / security_group_mode: remove it"
    if v == "type":
        expected = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        return f"field '{field}': expected {expected}, got {_yaml_type(error.instance)}{_fix(error)}"
    if v == "const":
        return f"field '{field}': must be {error.validator_value!r}, got {_show(error.instance)}{_fix(error)}"
    if v == "enum":
        values: Any = error.validator_value
        allowed = ", ".join(str(x) for x in values)
        return f"field '{field}': {_show(error.instance)} is not one of: {allowed}"
    if v in {"pattern", "format", "not"}:
        return f"field '{field}': {_show(error.instance)} is not valid{_fix(error)}"
    if v in {"minLength", "maxLength"}:
        bound = "at least" if v == "minLength" else "at most"
        return f"field '{field}': must have {bound} {error.validator_value} characters{_fix(error)}"
    if v in {"minItems", "maxItems"}:
        bound = "at least" if v == "minItems" else "at most"
        return f"field '{field}': needs {bound} {error.validator_value} items, got {len(instance)}{_fix(error)}"
    if v == "uniqueItems":
        return f"field '{field}': items must be distinct{_fix(error)}"
    if v == "maxProperties":
        return f"field '{field}': at most {error.validator_value} entries"
    if v == "propertyNames":
        return f"field '{field}': key {_show(error.instance)} is not allowed{_fix(error)}"
    return f"field '{field}': {error.message}{_fix(error)}"
