"""botocore errors become one-line AwsErrors (exit 3) with the right hint; the boundary never shows a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
from mlprov.aws.errors import translate
from mlprov.boundary import run_guarded
from mlprov.errors import ExitCode


def _client_error(code: str, message: str, op: str = "CreateChangeSet") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, op)


def test_access_denied_points_at_bootstrap_and_caller_identity() -> None:
    err = translate(_client_error("AccessDenied", "User: x is not authorized"))
    assert err.exit_code == ExitCode.AWS
    assert err.lines() == [
        "AWS denied CreateChangeSet: AccessDenied: User: x is not authorized",
        "hint: run `mlprov bootstrap` to create the deploy-path roles (`mlprov create-policy CONFIG --json` lists them); "
        "check who you are with `aws sts get-caller-identity`",
    ]


def test_other_client_errors_name_the_operation() -> None:
    err = translate(_client_error("ValidationError", "Stack [x] does not exist", "DescribeStacks"))
    assert err.lines() == ["AWS DescribeStacks failed: ValidationError: Stack [x] does not exist"]


def test_throttling_after_retries() -> None:
    err = translate(_client_error("Throttling", "Rate exceeded"))
    assert err.lines()[0] == "AWS throttled CreateChangeSet even after adaptive retries: Rate exceeded"


def test_no_credentials_and_unreachable_endpoint() -> None:
    assert translate(NoCredentialsError()).message == "no AWS credentials found"
    err = translate(EndpointConnectionError(endpoint_url="http://127.0.0.1:1"))
    assert err.message.startswith("cannot reach the AWS endpoint: Could not connect to the endpoint URL")


def test_boundary_maps_botocore_errors_to_exit_3(tmp_path: Path) -> None:
    def fail() -> int:
        raise _client_error("AccessDeniedException", "no")

    err = io.StringIO()
    assert run_guarded("deploy-product", fail, tmp_path, stderr=err) == 3
    lines = err.getvalue().splitlines()
    assert lines[0] == "AWS denied CreateChangeSet: AccessDeniedException: no"
    assert "Traceback" not in err.getvalue()


@pytest.mark.parametrize("code", ["ExpiredToken", "UnauthorizedOperation"])
def test_credential_problems_count_as_access_denied(code: str) -> None:
    assert translate(_client_error(code, "m")).hint is not None
