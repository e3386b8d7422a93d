"""The local CodeConnections model (moto has none): both protocols, AWS's statuses and errors, the fixture tags."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.parsers import BaseCBORParser
from mlprov.local_aws import connections as c

ARN = "arn:aws:codeconnections:us-east-1:123456789012:connection/8c3d9e2f-1a4b-4c5d-8e6f-7a8b9c0d1e2f"


@pytest.fixture(autouse=True)
def _empty() -> Iterator[None]:
    c.reset()
    yield
    c.reset()


def _call(path: str, body: bytes, target: str = "") -> tuple[str, dict[str, str], bytes]:
    got: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]]) -> None:
        got.update(status=status, headers=dict(headers))

    environ = {"PATH_INFO": path, "HTTP_X_AMZ_TARGET": target, "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body)}
    out = c.serve(environ, start)
    assert out is not None
    return got["status"], got["headers"], b"".join(out)


def _uncbor(raw: bytes) -> Any:
    return BaseCBORParser().parse_data_item(io.BufferedReader(io.BytesIO(raw)))


@pytest.mark.parametrize("value", [{}, {"a": "b"}, {"Connections": [{"k": "v" * 300}]}, [1, 23, 24, 255, 256, 70000],
                                   -1, -500, True, False, None, "é"])
def test_cbor_round_trips_through_botocores_decoder(value: Any) -> None:
    assert _uncbor(c.cbor(value)) == value


def test_the_cbor_protocol_answers_get_and_not_found() -> None:
    path = "/service/com.amazonaws.codeconnections.CodeConnections_20231201/operation/"
    tags = [{"Key": c.FIXTURE_ARN, "Value": ARN}, {"Key": c.FIXTURE_STATUS, "Value": "AVAILABLE"}]
    status, headers, _ = _call(path + "CreateConnection", c.cbor({"ProviderType": "GitLab", "ConnectionName": "x",
                                                                  "Tags": tags}))
    assert status == "200 OK" and headers["smithy-protocol"] == "rpc-v2-cbor"
    status, _, raw = _call(path + "GetConnection", c.cbor({"ConnectionArn": ARN}))
    assert _uncbor(raw) == {"Connection": {"ConnectionName": "x", "ConnectionArn": ARN, "ProviderType": "GitLab",
                                           "OwnerAccountId": "123456789012", "ConnectionStatus": "AVAILABLE"}}
    status, _, raw = _call(path + "GetConnection", c.cbor({"ConnectionArn": ARN + "0"}))
    assert status == "400 Bad Request"
    assert _uncbor(raw) == {"__type": "ResourceNotFoundException", "message": f"Connection {ARN}0 does not exist"}


def test_json_protocol_created_connections_are_pending_and_bad_input_is_refused() -> None:
    target = "CodeStar_connections_20191201."
    status, headers, raw = _call("/", json.dumps({"ProviderType": "Bitbucket", "ConnectionName": "y"}).encode(),
                                 target + "CreateConnection")
    arn = json.loads(raw)["ConnectionArn"]
    assert arn.startswith("arn:aws:codestar-connections:us-east-1:") and headers["Content-Type"] == "application/x-amz-json-1.0"
    _, _, raw = _call("/", json.dumps({"ConnectionArn": arn}).encode(), target + "GetConnection")
    assert json.loads(raw)["Connection"]["ConnectionStatus"] == "PENDING"  # as AWS: the handshake is the console's
    bad = [{"Key": c.FIXTURE_STATUS, "Value": "READY"}]
    status, _, raw = _call("/", json.dumps({"ConnectionName": "z", "Tags": bad}).encode(), target + "CreateConnection")
    assert (status, json.loads(raw)) == ("400 Bad Request", {
        "__type": "ValidationException", "message": "mlprov:local-fixture-status must be one of AVAILABLE, PENDING, ERROR"})
    status, _, raw = _call("/", b"", target + "UpdateHost")
    assert json.loads(raw)["__type"] == "UnknownOperationException"


def test_other_requests_are_left_to_moto() -> None:
    environ = {"PATH_INFO": "/", "HTTP_X_AMZ_TARGET": "CodePipeline_20150709.GetPipeline", "wsgi.input": io.BytesIO()}
    assert c.serve(environ, lambda status, headers: None) is None
