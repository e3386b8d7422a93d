"""MLPROV-F005 (online): CodeCommit can create repositories in this account.

AWS: "AWS CodeCommit is no longer available to new customers. Existing customers of AWS CodeCommit can continue
to use the service as normal." (banner of the AWS CodeCommit User Guide, e.g.
https://docs.aws.amazon.com/codecommit/latest/userguide/security-iam.html, as stored on 2026-12-01; no later
reversal could be confirmed from AWS's own pages). An account counts as an existing customer when it has used
CodeCommit; one that never did gets its CreateRepository refused. So: a repository in the account proves access;
an empty list is a warning (new to CodeCommit: the create may be refused); a refused read is a blocker.
"""

from __future__ import annotations

from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

CODE = "MLPROV-F005"
UNANSWERED = {"InternalFailure", "InternalError", "InternalServerError", "NotImplemented", "ServiceUnavailable"}
FIX = "use an account that already uses CodeCommit, or switch the product to `source: {type: s3, ...}`"


@REGISTRY.check(CODE, "CodeCommit availability", online=True)
def codecommit(ctx: Context) -> list[Finding]:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    assert ctx.aws is not None
    if not ctx.of_type("AWS::CodeCommit::Repository"):
        return []
    try:
        repos = ctx.aws.client("codecommit", optional=True).list_repositories().get("repositories", [])
    except ClientError as exc:
        err = exc.response.get("Error", {})
        code = str(err.get("Code", ""))
        if code.isdigit() or code in UNANSWERED:  # the endpoint lacks the API (moto): unknown, not refused
            return [finding(CODE, "warning", f"CodeCommit availability not checked: the endpoint does not answer "
                            f"ListRepositories (HTTP {exc.response.get('ResponseMetadata', {}).get('HTTPStatusCode', code)})",
                            "check by hand that this account can create CodeCommit repositories")]
        return [finding(CODE, "blocker", f"CodeCommit refused ListRepositories in {ctx.aws.target.region}: "
                        f"{code}: {err.get('Message')}", FIX)]
    if not repos:
        return [finding(CODE, "warning", f"account {ctx.product.account_id} has no CodeCommit repository in "
                        f"{ctx.aws.target.region}: CodeCommit is closed to new customers, so an account that never "
                        "used it cannot create the repositories", FIX)]
    return [finding(CODE, "info", f"CodeCommit in use in {ctx.aws.target.region} ({len(repos)} repositories)")]
