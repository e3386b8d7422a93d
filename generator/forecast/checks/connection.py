"""MLPROV-F015 (online): the CodeConnections connection a ``connection`` source names exists and is AVAILABLE.

AWS: a connection made by the CLI/SDK (or CloudFormation) is created PENDING; it becomes AVAILABLE only when someone
finishes the handshake with the provider in the console ("Update a pending connection",
https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-update.html). A pipeline whose source action uses
a connection that is not AVAILABLE cannot fetch the source. GetConnection answers ConnectionStatus PENDING |
AVAILABLE | ERROR ("GetConnection", AWS CodeConnections API Reference). The call goes to the service named by the
ARN's prefix (IAM authorizes it as ``<prefix>:GetConnection`` on that ARN: "Connections rename - Summary of changes",
https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html). Connections are global: any region answers.
"""

from __future__ import annotations

from typing import Any

from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

CODE = "MLPROV-F015"
UNANSWERED = {"InternalFailure", "InternalError", "InternalServerError", "NotImplemented", "ServiceUnavailable"}
CONSOLE = ("finish the handshake: Developer Tools console > Settings > Connections, choose the connection, "
           "'Update a pending connection', and authorize AWS in the provider")


def _arns(ctx: Context) -> list[str]:
    out: set[str] = set()
    for res in ctx.of_type("AWS::CodePipeline::Pipeline").values():
        for stage in res.get("Properties", {}).get("Stages", []):
            for action in stage.get("Actions", []):
                arn = action.get("Configuration", {}).get("ConnectionArn")
                if isinstance(arn, str):
                    out.add(arn)
    return sorted(out)


def _get(ctx: Context, arn: str) -> dict[str, Any]:
    assert ctx.aws is not None
    if arn.split(":")[2] == "codestar-connections":
        conn: dict[str, Any] = ctx.aws.client("codestar-connections", optional=True).get_connection(ConnectionArn=arn)
    else:
        conn = ctx.aws.client("codeconnections", optional=True).get_connection(ConnectionArn=arn)
    return dict(conn.get("Connection", {}))


def _one(ctx: Context, arn: str) -> Finding:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    prefix = arn.split(":")[2]
    try:
        conn = _get(ctx, arn)
    except ClientError as exc:
        err = exc.response.get("Error", {})
        code = str(err.get("Code", ""))
        if code.isdigit() or code in UNANSWERED:
            return finding(CODE, "warning", f"connection {arn} not checked: the endpoint does not answer "
                           f"GetConnection ({code})", "check by hand that the connection is AVAILABLE")
        if code == "ResourceNotFoundException":
            return finding(CODE, "blocker", f"connection {arn} does not exist",
                           "create it (Developer Tools console > Settings > Connections), finish its handshake, and "
                           "set source.connection_arn to its ARN")
        return finding(CODE, "blocker", f"GetConnection on {arn} was refused: {code}: {err.get('Message')}",
                       f"allow {prefix}:GetConnection on the connection to the deploying principal")
    status = str(conn.get("ConnectionStatus", ""))
    provider = str(conn.get("ProviderType", "the provider"))
    if status == "AVAILABLE":
        return finding(CODE, "info", f"connection {arn} ({provider}) is AVAILABLE")
    if status == "PENDING":
        return finding(CODE, "blocker", f"connection {arn} ({provider}) is PENDING: its handshake was never finished, "
                       "so the pipelines cannot fetch the source", CONSOLE)
    # "A connection that has an error state is retried automatically. It cannot be used until it is available."
    # ("Workflow to create or update connections", https://docs.aws.amazon.com/dtconsole/latest/userguide/welcome-connections-workflow.html)
    return finding(CODE, "blocker", f"connection {arn} ({provider}) is {status or 'in no known state'}, not AVAILABLE",
                   "AWS retries an ERROR connection by itself; if it stays so, check the provider's app installation "
                   "in the Developer Tools console > Settings > Connections, or re-create the connection")


@REGISTRY.check(CODE, "CodeConnections connection available", online=True)
def connection(ctx: Context) -> list[Finding]:
    if ctx.aws is None:
        return []
    return [_one(ctx, arn) for arn in _arns(ctx)]
