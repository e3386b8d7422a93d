"""Pack statements into IAM managed policy documents within the 6,144-character limit, and write them.

IAM counts the document's characters without whitespace. When the statements do not fit one document they
are split, in order, into several (``deployer-policy.json``, ``deployer-policy.2.json``, ...) and the CLI says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mlprov.policy.deployer import build_statements, check, validate_template

MANAGED_POLICY_LIMIT = 6144


def iam_size(document: Mapping[str, Any]) -> int:
    """Characters IAM counts: the JSON without any whitespace outside strings."""
    return len(json.dumps(document, separators=(",", ":")))


def _doc(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def pack(statements: list[dict[str, Any]], limit: int = MANAGED_POLICY_LIMIT) -> list[dict[str, Any]]:
    docs: list[list[dict[str, Any]]] = [[]]
    for st in statements:
        if iam_size(_doc([st])) > limit:
            raise ValueError(f"statement {st['Sid']} alone exceeds {limit} characters")
        if docs[-1] and iam_size(_doc([*docs[-1], st])) > limit:
            docs.append([])
        docs[-1].append(st)
    return [_doc(d) for d in docs]


def deployer_documents(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    validate_template(template)
    statements = build_statements(template)
    check(statements)
    return pack(statements)


def file_names(count: int, base: str = "deployer-policy") -> list[str]:
    return [f"{base}.json" if i == 0 else f"{base}.{i + 1}.json" for i in range(count)]


def render_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
