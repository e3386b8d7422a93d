"""Map botocore exceptions to one-line :class:`~mlprov.errors.AwsError` messages (exit 3), never a traceback."""

from __future__ import annotations

from mlprov.errors import AwsError, MlprovError

_ACCESS_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
                  "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException"}
_THROTTLED = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"}


def translate(exc: BaseException) -> MlprovError:
    """The user-facing error for a botocore/boto3 exception."""
    from botocore.exceptions import (  # noqa: PLC0415 - botocore only when an AWS call failed
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
    )
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    if isinstance(exc, NoCredentialsError):
        return AwsError("no AWS credentials found",
                        hint="use a profile (--profile / AWS_PROFILE), environment variables or an instance/task role")
    if isinstance(exc, NoRegionError):
        return AwsError("no AWS region configured", hint="pass --region or set AWS_REGION")
    if isinstance(exc, EndpointConnectionError):
        return AwsError(f"cannot reach the AWS endpoint: {exc}",
                        hint="check --endpoint-url / AWS_ENDPOINT_URL and the network; for local runs start `mlprov local-aws`")
    if isinstance(exc, ResponseParserError):
        return AwsError(f"the endpoint answered something that is not an AWS response: {str(exc).splitlines()[0]}",
                        hint="the endpoint may not implement this API (moto lacks drift detection, for instance)")
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code, message = str(err.get("Code", "Unknown")), str(err.get("Message", ""))
        op = exc.operation_name
        if code in _ACCESS_DENIED:
            return AwsError(
                f"AWS denied {op}: {code}: {message}",
                hint="run `mlprov bootstrap` to create the deploy-path roles (`mlprov create-policy CONFIG --json` lists them); "
                "check who you are with `aws sts get-caller-identity`",
            )
        if code in _THROTTLED:
            return AwsError(f"AWS throttled {op} even after adaptive retries: {message}", hint="retry later")
        return AwsError(f"AWS {op} failed: {code}: {message}")
    return AwsError(f"AWS call failed: {type(exc).__name__}: {exc}")
