"""A template's IAM document as plain IAM JSON, for scanners that know IAM but not CloudFormation.

Template documents may hold intrinsics (``Fn::Sub`` ARNs, ``Ref``/``GetAtt`` of a resource, ``Fn::If`` branches) and
YAML scalars that are not strings (an unquoted ``Version: 2012-10-17`` loads as a date). The conversion leans towards
*more* access wherever a value cannot be known before deployment, so a scan never misses what a template could grant:

- ``Effect``: anything but the literal ``"Deny"`` is ``"Allow"``;
- ``Action`` / ``NotAction``: every literal string inside the value (both branches of ``Fn::If``; ``Fn::Join`` of
  literals joined);
- ``Resource`` / ``NotResource``: literal strings kept (``Fn::Sub``'s template string, ``${...}`` left in: it is not
  ``"*"``); ``Fn::Join`` joined with a placeholder for unknown parts; ``Ref`` / ``GetAtt`` (one resource, named at
  deploy time) become a placeholder ARN, which is a resource constraint as it is in AWS;
- ``Condition`` kept as it is (cloudsplaining only asks whether there is one);
- an ``Allow`` with ``NotResource`` allows the actions on every resource but the listed ones: it is scanned as
  ``Resource: "*"`` (cloudsplaining would see no resource at all and report nothing);
- a ``Deny`` is kept only when it denies its actions everywhere (``Resource: "*"``, no ``NotResource``/``NotAction``,
  no condition). cloudsplaining subtracts a Deny's actions whatever its resource or condition, so a narrow Deny (one
  role, one region) would hide a broad Allow; dropping it over-approximates what the document allows.
  (IAM policy evaluation: an explicit deny overrides an allow only for the requests it matches,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html; NotResource with Allow:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNKNOWN_ARN = "arn:aws:cloudformation:::intrinsic"  # one resource named by Ref/GetAtt at deploy time


def _strings(value: Any) -> list[str]:
    """Every literal string a value may resolve to (conservative: all branches)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, Mapping) and len(value) == 1:
        (fn, arg), = value.items()
        if (fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)
                and isinstance(arg[1], list) and all(isinstance(p, str) for p in arg[1])):
            return [arg[0].join(arg[1])]
        if fn == "Fn::Sub":
            return _strings(arg[0] if isinstance(arg, list) and arg else arg)
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
            return _strings(arg[1]) + _strings(arg[2])
        return _strings(arg)
    return []


def _resources(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _resources(item)]
    if isinstance(value, Mapping) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Fn::Sub":
            template = arg[0] if isinstance(arg, list) and arg else arg
            return [template] if isinstance(template, str) else [UNKNOWN_ARN]
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
            return _resources(arg[1]) + _resources(arg[2])
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            sep = arg[0] if isinstance(arg[0], str) else ""
            return [sep.join(p if isinstance(p, str) else "x" for p in arg[1])]
    return [UNKNOWN_ARN]


def plain_statement(statement: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": "Deny" if statement.get("Effect") == "Deny" else "Allow"}
    for key in ("Action", "NotAction"):
        if key in statement:
            out[key] = sorted(set(_strings(statement[key])))
    for key in ("Resource", "NotResource"):
        if key in statement:
            out[key] = sorted(set(_resources(statement[key])))
    if statement.get("Condition"):
        out["Condition"] = statement["Condition"]
    return out


def _widened(statement: dict[str, Any]) -> dict[str, Any] | None:
    """The statement as the scan must see it: Allow + NotResource on "*", a Deny only when it denies everywhere."""
    if statement["Effect"] == "Allow":
        if "NotResource" in statement:
            statement.pop("NotResource")
            statement["Resource"] = ["*"]
        return statement
    everywhere = statement.get("Resource") == ["*"] and not {"NotResource", "NotAction", "Condition"} & statement.keys()
    return statement if everywhere else None


def plain_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with plain statements; statements that are not mappings are dropped (cfn-lint reports them)."""
    statements = document.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    items = statements if isinstance(statements, list) else []
    plain = (_widened(plain_statement(s)) for s in items if isinstance(s, Mapping))
    return {"Version": "2012-10-17", "Statement": [s for s in plain if s is not None]}
