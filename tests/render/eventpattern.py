"""A faithful EventBridge event-pattern matcher for the constructs the trigger rules use (moto's server does not
implement TestEventPattern): EventBridge "Event patterns" and "Content filtering",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html

- a pattern field holds a list of values: the event's field matches when it equals one of them; an event field that
  is an array matches when any of its elements does; a field the event lacks never matches;
- a pattern field holding an object matches the event's object field by field;
- ``$or`` holds patterns, one of which must match (beside the other fields, which all must).

Anything else (prefix, anything-but, numeric, exists, ...) raises: the rules must not rely on an operator this
matcher does not implement.
"""

from __future__ import annotations

from typing import Any

_MISSING = object()


def matches(pattern: dict[str, Any], event: Any) -> bool:
    if not isinstance(pattern, dict) or not pattern:
        raise ValueError(f"a pattern is a non-empty object, got {pattern!r}")
    for key, want in pattern.items():
        if key == "$or":
            if not isinstance(want, list) or len(want) < 2:
                raise ValueError("$or takes a list of at least two patterns")
            if not any(matches(alt, event) for alt in want):
                return False
            continue
        got = event.get(key, _MISSING) if isinstance(event, dict) else _MISSING
        if isinstance(want, dict):
            if not isinstance(got, dict) or not matches(want, got):
                return False
        elif isinstance(want, list):
            if any(isinstance(w, dict | list) for w in want):
                raise ValueError(f"operator not implemented by this matcher: {want!r}")
            values = got if isinstance(got, list) else [got]
            if got is _MISSING or not any(v in want for v in values):
                return False
        else:
            raise ValueError(f"pattern field {key!r} must hold a list or an object, got {want!r}")
    return True
