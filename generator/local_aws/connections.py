"""A minimal AWS CodeConnections on the local endpoint (moto has none): GetConnection, ListConnections,
CreateConnection and DeleteConnection, for both service names.

- ``codeconnections`` speaks Smithy RPC v2 CBOR (botocore >= 1.40 picks it first): ``POST
  /service/CodeConnections_20231201/operation/<Op>`` with a CBOR body;
- ``codestar-connections`` speaks JSON 1.0 with ``X-Amz-Target: CodeStar_connections_20191201.<Op>``.

As on AWS ("AWS CodeConnections API Reference", GetConnection / CreateConnection; "Update a pending connection",
https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-update.html), a connection created by the API is
PENDING until someone finishes the provider handshake in the console; an unknown ARN is ResourceNotFoundException.
Connections are global ("Global resources in AWS CodeConnections"): one store for every region.

Local-only seeding (no AWS equivalent: the handshake cannot happen here): CreateConnection with the tags
``mlprov:local-fixture-arn`` (the ARN to use, e.g. the one a config names) and ``mlprov:local-fixture-status``
(AVAILABLE, PENDING or ERROR) — see :func:`mlprov.local_aws.fixtures.seed_connection`.
"""

from __future__ import annotations

import io
import json
import re
import struct
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

CBOR_PATH = re.compile(r"^/service/(com\.amazonaws\.codeconnections\.)?CodeConnections_20231201/operation/(\w+)$")
JSON_TARGET = re.compile(r"^(?:com\.amazonaws\.[\w.]+\.)?(CodeConnections_20231201|CodeStar_connections_20191201)\.(\w+)$")
FIXTURE_ARN, FIXTURE_STATUS = "mlprov:local-fixture-arn", "mlprov:local-fixture-status"
STATUSES = ("AVAILABLE", "PENDING", "ERROR")
_STORE: dict[str, dict[str, str]] = {}
_LOCK = threading.Lock()
Respond = Callable[[str, list[tuple[str, str]]], Any]


def cbor(value: Any) -> bytes:
    """CBOR (RFC 8949) of the JSON-like values a response holds: maps, lists, text, ints, booleans, None."""
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | info]) + struct.pack(fmt, n)
        raise ValueError(f"integer too large for CBOR: {n}")

    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(str(k)) + cbor(v) for k, v in value.items())
    raise TypeError(f"no CBOR encoding for {type(value).__name__}")


def _uncbor(body: bytes) -> Any:
    from botocore.parsers import BaseCBORParser  # noqa: PLC0415 - botocore's own decoder

    return BaseCBORParser().parse_data_item(io.BufferedReader(io.BytesIO(body))) if body else {}


class ServiceError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _account(environ: dict[str, Any]) -> str:
    """The account of a new connection: moto's default (the dummy credentials' account)."""
    from moto.core.models import DEFAULT_ACCOUNT_ID  # noqa: PLC0415

    del environ
    return str(DEFAULT_ACCOUNT_ID)


def _view(rec: dict[str, str]) -> dict[str, str]:
    return {k: rec[k] for k in ("ConnectionName", "ConnectionArn", "ProviderType", "OwnerAccountId", "ConnectionStatus")}


def handle(op: str, params: dict[str, Any], service: str, account: str, region: str) -> dict[str, Any]:
    """One API call on the store (raises ServiceError as AWS answers)."""
    with _LOCK:
        if op == "GetConnection":
            arn = str(params.get("ConnectionArn", ""))
            if arn not in _STORE:
                raise ServiceError("ResourceNotFoundException", f"Connection {arn} does not exist")
            return {"Connection": _view(_STORE[arn])}
        if op == "ListConnections":
            return {"Connections": [_view(r) for r in _STORE.values()]}
        if op == "DeleteConnection":
            if _STORE.pop(str(params.get("ConnectionArn", "")), None) is None:
                raise ServiceError("ResourceNotFoundException", f"Connection {params.get('ConnectionArn')} does not exist")
            return {}
        if op == "CreateConnection":
            tags = {str(t["Key"]): str(t["Value"]) for t in params.get("Tags", [])}
            arn = tags.get(FIXTURE_ARN) or f"arn:aws:{service}:{region}:{account}:connection/{uuid.uuid4()}"
            status = tags.get(FIXTURE_STATUS, "PENDING")
            if status not in STATUSES:
                raise ServiceError("ValidationException", f"{FIXTURE_STATUS} must be one of {', '.join(STATUSES)}")
            _STORE[arn] = {"ConnectionName": str(params.get("ConnectionName", "")), "ConnectionArn": arn,
                           "ProviderType": str(params.get("ProviderType", "GitHub")),
                           "OwnerAccountId": arn.split(":")[4], "ConnectionStatus": status}
            return {"ConnectionArn": arn, "Tags": params.get("Tags", [])}
    raise ServiceError("UnknownOperationException", f"{op} is not implemented by the local endpoint")


def _region(environ: dict[str, Any]) -> str:
    try:
        return str(environ.get("HTTP_AUTHORIZATION", "").split(",")[0].split()[1].split("/")[2])
    except (IndexError, ValueError):
        return "us-east-1"


def serve(environ: dict[str, Any], start_response: Respond) -> Iterable[bytes] | None:
    """Answer a CodeConnections request (None: not one, let moto answer)."""
    path, target = str(environ.get("PATH_INFO", "")), str(environ.get("HTTP_X_AMZ_TARGET", ""))
    match, json_match = CBOR_PATH.match(path), JSON_TARGET.match(target)
    is_cbor = match is not None
    if match is None and json_match is None:
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    op = match.group(2) if match is not None else json_match.group(2) if json_match is not None else ""
    service = "codestar-connections" if json_match is not None and json_match.group(1).startswith("CodeStar") \
        else "codeconnections"
    try:
        params = _uncbor(body) if is_cbor else (json.loads(body) if body else {})
        out, status = handle(op, params, service, _account(environ), _region(environ)), "200 OK"
    except ServiceError as exc:
        out, status = {"__type": exc.code, "message": exc.message}, "400 Bad Request"
    if is_cbor:
        payload, headers = cbor(out), [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
    else:
        payload, headers = json.dumps(out).encode(), [("Content-Type", "application/x-amz-json-1.0")]
    start_response(status, [*headers, ("Content-Length", str(len(payload)))])
    return [payload]


def reset() -> None:
    with _LOCK:
        _STORE.clear()


def wrap_dispatcher(original: Callable[..., Any]) -> Callable[..., Any]:
    """Patch of moto's DomainDispatcherApplication.__call__: CodeConnections requests first."""
    def call(self: Any, environ: dict[str, Any], start_response: Respond) -> Any:
        answered = serve(environ, start_response)
        return answered if answered is not None else original(self, environ, start_response)

    return call
