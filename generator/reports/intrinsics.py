"""CloudFormation intrinsic functions as the reports need them: references between resources, short text forms."""

from __future__ import annotations

import json
import re
from typing import Any

_SUB_VAR = re.compile(r"\$\{([A-Za-z0-9_:]+)(?:\.([A-Za-z0-9_.]+))?\}")
REF, GETATT, SUB = "Ref", "GetAtt", "Sub"


def _getatt_target(arg: Any) -> tuple[str, str]:
    if isinstance(arg, list) and arg:
        return str(arg[0]), ".".join(str(a) for a in arg[1:])
    name, _, attr = str(arg).partition(".")
    return name, attr


def references(value: Any) -> list[tuple[str, str]]:
    """(name, kind) for each Ref, Fn::GetAtt and ${Name} inside Fn::Sub, in document order (pseudo parameters kept)."""
    out: list[tuple[str, str]] = []
    if isinstance(value, dict):
        if len(value) == 1:
            key, arg = next(iter(value.items()))
            if key == "Ref":
                return [(str(arg), REF)]
            if key == "Fn::GetAtt":
                return [(_getatt_target(arg)[0], GETATT)]
            if key == "Fn::Sub":
                text, variables = (arg[0], arg[1] if len(arg) > 1 else {}) if isinstance(arg, list) else (arg, {})
                local = set(variables) if isinstance(variables, dict) else set()
                out += [(m.group(1), SUB) for m in _SUB_VAR.finditer(str(text)) if m.group(1) not in local]
                return out + references(variables)
        for item in value.values():
            out += references(item)
    elif isinstance(value, list):
        for item in value:
            out += references(item)
    return out


def short(value: Any) -> str:
    """A compact one-line text for a property value: ``Ref X``, ``X.Arn``, the Sub string, or JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        key, arg = next(iter(value.items()))
        if key == "Ref":
            return f"Ref {arg}"
        if key == "Fn::GetAtt":
            name, attr = _getatt_target(arg)
            return f"{name}.{attr}" if attr else name
        if key == "Fn::Sub":
            return str(arg[0] if isinstance(arg, list) else arg)
        if key == "Fn::ImportValue":
            return f"import {short(arg)}"
    if isinstance(value, list):
        return ", ".join(short(v) for v in value)
    return json.dumps(value, sort_keys=True, default=str)
