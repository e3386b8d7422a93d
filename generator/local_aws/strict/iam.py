"""Opt-in rule ``iam``: requests the caller's IAM policies do not allow are refused (AccessDenied).

AWS evaluates every API request against the caller's identity-based policies (IAM User Guide, "Policy evaluation
logic": an explicit Deny wins, otherwise an Allow is needed). moto can do a part of this: with its setting
``INITIAL_NO_AUTH_ACTION_COUNT`` (after that many requests) it authenticates the access key against its own IAM
(users' access keys, STS-assumed roles) and evaluates the identity's attached and inline policies (Allow/Deny on
action and resource) for the API call made.

What it does NOT cover, so a green run here proves none of it: what CloudFormation does on the caller's behalf (moto
creates a stack's resources inside the engine, no API call is authorised, so a deployer policy is checked only on
the CloudFormation API calls themselves, not on s3:CreateBucket, iam:CreateRole, ...; nor is iam:PassRole),
permission boundaries, SCPs, session policies, most condition keys, and resource-based policies other than S3's.
The credentials must exist in moto's IAM (the dummy ``testing`` keys do not): off by default, on with
``LocalAws(iam=True)`` and ``mlprov local-aws --strict --iam``. The setting is process-wide.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

RULE = "iam"
SOURCE = ("caller's identity policies enforced on API calls, via moto's INITIAL_NO_AUTH_ACTION_COUNT (IAM User Guide: "
          "policy evaluation logic); not on what CloudFormation does on the caller's behalf")


def enforce(on: bool) -> None:
    """Turn moto's IAM enforcement on (from the next request) or off, for this process."""
    from moto import settings  # noqa: PLC0415
    from moto.core.authorization import ActionAuthenticatorMixin  # noqa: PLC0415

    settings.INITIAL_NO_AUTH_ACTION_COUNT = float(ActionAuthenticatorMixin.request_count) if on else float("inf")


@contextlib.contextmanager
def enforced() -> Iterator[None]:
    """IAM enforcement while the block runs (set up users and keys before it)."""
    enforce(True)
    try:
        yield
    finally:
        enforce(False)
