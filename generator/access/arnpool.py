"""A product's pool of ARNs filed by service, so that an ARN format is tested only on the ARNs it can match.

:func:`iamref.format_regex` makes ``arn:${Partition}:<service>:<rest>`` (``<service>`` a literal) the regex
``^arn:`` P ``:<service>:`` ..., P a variable's class (one or more characters, possibly ``:``). A string it
matches therefore starts with ``arn:`` and, split on ``:`` into f0, f1, ..., has f_j = ``<service>`` for some
j >= 2 (P is f1 ... f(j-1) joined by ``:``; ``<service>`` holds no ``:``). :func:`by_service` files every ARN of
the pool under each of its own f_j (j >= 2), in pool order; so the ARNs under ``<service>`` include every ARN of
the pool the format matches, in the pool's order, and filtering them with the regex keeps exactly what
filtering the whole pool keeps, in the same order. A format of any other shape (:func:`service_of` None) is
tested on the whole pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

PREFIX = "arn:${Partition}:"


@cache
def service_of(arn_format: str) -> str | None:
    """The literal service field of ``arn:${Partition}:<service>:...``; None for any other shape."""
    if not arn_format.startswith(PREFIX):
        return None
    service, sep, _rest = arn_format[len(PREFIX):].partition(":")
    if not sep or not service or any(c in service for c in "${}"):
        return None
    return service


def by_service(pool: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Service -> the ARNs of ``pool`` starting ``arn:`` with that service among their fields 2.. (pool order)."""
    out: dict[str, list[str]] = {}
    for arn in pool:
        if arn.startswith("arn:"):
            for service in dict.fromkeys(arn.split(":")[2:]):  # each service once per ARN, in field order
                out.setdefault(service, []).append(arn)
    return {service: tuple(arns) for service, arns in out.items()}
