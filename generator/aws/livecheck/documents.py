"""Policy documents compared by meaning: IAM and KMS store what they were given, but the same policy can be
written with a string or a one-item list, statements in another order, or URL-encoded.

- IAM returns policy documents URL-encoded (RFC 3986) (IAM API Reference, "PolicyVersion" Document and
  "GetRole"); botocore decodes most of them into a dict, and :func:`parse` decodes whatever is left.
- KMS GetKeyPolicy returns the key policy as a JSON string (AWS KMS API Reference, "GetKeyPolicy").
Template values may hold intrinsics; :func:`resolve` replaces ``Ref``, ``Fn::GetAtt`` ``Arn`` and a security
group's ``GroupId`` with what the stack created and ``${AWS::...}`` pseudo parameters from the stack ARN.
Anything else makes the document unresolvable: the property is then reported as not compared instead of guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

_SINGLE_OR_LIST = {"Action", "NotAction", "Resource", "NotResource", "AWS", "Service", "Federated", "CanonicalUser"}
_PSEUDO = re.compile(r"\$\{(AWS::[A-Za-z]+|[A-Za-z0-9]+(?:\.[A-Za-z]+)?)\}")
# Attributes whose value is the resource's physical id. AWS::EC2::SecurityGroup: "Ref returns the ID of the
# security group" (in a VPC) and "GroupId: The group ID of the specified security group, such as sg-94b3a1f6"
# (CloudFormation Template Reference, AWS::EC2::SecurityGroup, Return values).
_PHYSICAL_ATTRS = {"GroupId"}


class Unresolvable(Exception):
    """The template value holds an intrinsic function this comparison does not evaluate."""


def parse(document: Any) -> Any:
    """A policy document as a dict, whatever form the API gave it in (dict, JSON text, URL-encoded JSON)."""
    if isinstance(document, str):
        text = document.strip()
        if not text.startswith("{"):
            text = unquote(text)
        return json.loads(text)
    return document


def normalize(value: Any, key: str = "") -> Any:
    """Order-free, string-or-list-free form of a policy document for comparison."""
    if isinstance(value, dict):
        out = {k: normalize(v, k) for k, v in value.items()}
        if key == "" and isinstance(out.get("Statement"), dict):
            out["Statement"] = [out["Statement"]]
        if key == "" and isinstance(out.get("Statement"), list):
            out["Statement"] = sorted(out["Statement"], key=lambda s: json.dumps(s, sort_keys=True))
        return out
    if isinstance(value, list):
        items = [normalize(v) for v in value]
        return sorted(items, key=lambda s: json.dumps(s, sort_keys=True))
    if key in _SINGLE_OR_LIST and isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return str(value).lower()
    return value


def same(expected: Any, actual: Any) -> bool:
    return bool(normalize(parse(expected)) == normalize(parse(actual)))


class Resolver:
    """Evaluates the intrinsics our templates use inside documents and property values."""

    def __init__(self, physical: dict[str, str], arn_of: Callable[[str], str | None], stack_arn: str) -> None:
        self.physical, self.arn_of = physical, arn_of
        parts = stack_arn.split(":")
        self.pseudo = {"AWS::Partition": parts[1] if len(parts) > 5 else "aws",
                       "AWS::Region": parts[3] if len(parts) > 5 else "",
                       "AWS::AccountId": parts[4] if len(parts) > 5 else "",
                       "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": self.physical.get("AWS::StackName", "")}

    def _name(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        if name.endswith(".Arn"):
            arn = self.arn_of(name[:-4])
            if arn:
                return arn
            raise Unresolvable(name)
        if "." in name:
            target, attr = name.split(".", 1)
            if attr in _PHYSICAL_ATTRS and target in self.physical:
                return self.physical[target]
            raise Unresolvable(name)
        if name in self.physical:
            return self.physical[name]
        raise Unresolvable(name)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if len(value) == 1:
                key, arg = next(iter(value.items()))
                if key == "Ref":
                    return self._name(str(arg))
                if key == "Fn::GetAtt":
                    target, attr = (arg[0], arg[1]) if isinstance(arg, list) else str(arg).split(".", 1)
                    return self._name(f"{target}.{attr}")
                if key == "Fn::Sub" and isinstance(arg, str):
                    return _PSEUDO.sub(lambda m: self._name(m.group(1)), arg)
                if key.startswith("Fn::"):
                    raise Unresolvable(key)
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value
