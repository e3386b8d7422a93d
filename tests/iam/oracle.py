"""Offline IAM oracle for the tests: evaluates identity policies (and a permissions boundary) for a batch of requests.

Backed by the npm package ``@cloud-copilot/iam-simulate`` (pinned in package.json as a devDependency; AGPL-3.0, so
only the tests use it, never the ``mlprov`` package). One ``node`` process evaluates a whole batch: the requests go
to ``simulate.mjs`` as JSON on stdin. A request the simulator rejects as invalid (an unknown action, a resource of
the wrong type for the action, a context key the action does not take) comes back as not allowed, with the
validation error in ``detail``, so a sufficiency test cannot pass on a malformed request.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("simulate.mjs")
REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "node_modules" / "@cloud-copilot" / "iam-simulate"


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: Mapping[str, str | list[str]] = field(default_factory=dict)
    # The resource's own policy (bucket policy, key policy...); None = none, except KMS keys, which get AWS's
    # default key policy (the key account's root may delegate to IAM), as every real key has a key policy.
    resource_policy: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Decision:
    request: Request
    allowed: bool
    detail: str


class OracleUnavailable(RuntimeError):
    """node or the npm package is missing: ``make setup-node`` installs it."""


def evaluate(
    identity_policies: Sequence[dict[str, Any]],
    requests: Sequence[Request],
    *,
    boundary: dict[str, Any] | None = None,
    principal: str = "arn:aws:iam::123456789012:role/x",
    account: str = "123456789012",
) -> list[Decision]:
    """One decision per request, in order (AWS's evaluation logic: explicit deny > boundary > identity allow)."""
    if not requests:
        return []
    node = shutil.which("node")
    if node is None or not MODULE.is_dir():
        raise OracleUnavailable(f"the IAM oracle needs node and {MODULE.relative_to(REPO)}: run `make setup-node`")
    payload = {
        "identityPolicies": list(identity_policies),
        "boundary": boundary,
        "principal": principal,
        "account": account,
        "requests": [_request_json(r) for r in requests],
    }
    proc = subprocess.run(
        [node, str(SCRIPT)], input=json.dumps(payload), capture_output=True, text=True, cwd=REPO, check=False
    )
    if proc.returncode != 0:
        raise OracleUnavailable(f"simulate.mjs exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    results = json.loads(proc.stdout)
    if len(results) != len(requests):
        raise OracleUnavailable(f"simulate.mjs answered {len(results)} of {len(requests)} requests")
    return [Decision(req, bool(res["allowed"]), str(res["detail"])) for req, res in zip(requests, results, strict=True)]


def _request_json(request: Request) -> dict[str, Any]:
    policy = dict(request.resource_policy) if request.resource_policy is not None else None
    return {"action": request.action, "resource": request.resource, "context": dict(request.context),
            "resourcePolicy": policy}


def denied(decisions: Sequence[Decision]) -> list[Decision]:
    return [d for d in decisions if not d.allowed]


def allowed(decisions: Sequence[Decision]) -> list[Decision]:
    return [d for d in decisions if d.allowed]
