"""Bucket policies with ``aws:SecureTransport``: evaluated as AWS evaluates a botocore request, which goes over TLS.

moto evaluates a bucket's policy on every object call with no request context: a statement's condition on a key it
is not given counts as met for a Deny and not met for an Allow (moto.iam.access_control: a failed condition gives
DENIED). So the TLS-only statement every governed bucket carries ("Deny s3:* when aws:SecureTransport is false",
S3 User Guide, "Security best practices for Amazon S3", https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html)
refuses every call on the embedded endpoint, which serves plain HTTP on 127.0.0.1 as a stand-in for S3's HTTPS
endpoints. On AWS botocore sends every request over HTTPS ("Current AWS tools (2014 or later) including the AWS SDKs
and AWS CLI automatically default to TLS 1.3", S3 User Guide, "Protecting data in transit with encryption",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingEncryptionInTransit.html), so ``aws:SecureTransport``
(whether the request was sent over TLS; IAM User Guide, AWS global condition context keys,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) is ``true``.

Here a statement whose only condition is ``Bool`` on ``aws:SecureTransport`` is decided with that value (true): a
statement requiring ``false`` does not apply, one requiring ``true`` applies without its condition. Every other
statement is left to moto as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

SECURE_TRANSPORT = "aws:SecureTransport"


def _secure_only(condition: Any) -> bool | None:
    """Whether a TLS request meets ``condition`` when it is only ``Bool aws:SecureTransport``; None otherwise."""
    if not isinstance(condition, dict) or set(condition) != {"Bool"}:
        return None
    body = condition["Bool"]
    if not isinstance(body, dict) or set(body) != {SECURE_TRANSPORT}:
        return None
    values = body[SECURE_TRANSPORT] if isinstance(body[SECURE_TRANSPORT], list) else [body[SECURE_TRANSPORT]]
    return any(str(v).lower() == "true" for v in values)


def statements_over_tls(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of a policy document that apply to a TLS request, TLS-only conditions resolved."""
    raw = document.get("Statement", [])
    out: list[dict[str, Any]] = []
    for st in raw if isinstance(raw, list) else [raw]:
        met = _secure_only(st.get("Condition"))
        if met is None:
            out.append(st)
        elif met:
            out.append({k: v for k, v in st.items() if k != "Condition"})
    return out


def get_permission(original: Callable[..., Any]) -> Callable[..., Any]:
    def patched(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return original(self, action, resource)
        from moto.iam.access_control import IAMPolicy, PermissionResult  # noqa: PLC0415

        document = json.loads(self.policy.decode() if isinstance(self.policy, bytes) else self.policy)
        statements = statements_over_tls(document)
        if not statements:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**document, "Statement": statements})).is_action_permitted(action, resource)

    return patched
