"""MLPROV-F001 (online): the caller's account and the client's region are the config's.

The AWS actions refuse a mismatch before anything else (:func:`mlprov.aws.identity.guard`); as a check it
reports who would deploy, so the forecast and the review report name the account, region and caller.
AWS: GetCallerIdentity needs no permission (AWS STS API Reference, GetCallerIdentity,
https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
"""

from __future__ import annotations

from mlprov.aws.identity import caller, mismatch
from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

CODE = "MLPROV-F001"


@REGISTRY.check(CODE, "account and region", online=True)
def account(ctx: Context) -> list[Finding]:
    assert ctx.aws is not None
    who = caller(ctx.aws)
    refusal = mismatch(ctx.product, who)
    if refusal is not None:
        return [finding(CODE, "blocker", refusal.message, refusal.hint or "")]
    return [finding(CODE, "info", f"deploying as {who.line()}")]
