"""The AWS calls the tool itself makes, collected from its code, as IAM actions.

An AST scan of ``generator/`` finds every method call on an injected boto3 client: ``<x>.client("svc")``,
a name bound to one in the same function, the conventional parameter names of the deploy code (``cfn``,
``ssm``, ...), ``aws.cfn`` / ``aws.ssm``, and ``get_paginator("op")``; a bound method handed to a helper
(``_or_none(client.get_bucket_encryption, ...)``) counts as a call too. Each method is checked against botocore's
service model (so only API operations count) and mapped to its IAM action: ``<prefix>:<Operation>``, or
:data:`OVERRIDES` where IAM authorizes the operation under another name. An operation with no IAM action is an
error (:class:`UnmappedCallError`); the tests fail when a new call has none. ``local_aws/`` (the embedded
moto server and its fixtures) is not the deploy path and is not scanned.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mlprov.access import iamref
from mlprov.errors import MlprovError

PACKAGE = Path(__file__).resolve().parents[1]
SKIP = ("local_aws",)
# Conventional names of clients passed in (generator/aws/*): name -> boto3 service.
PARAMETER_NAMES = {"cfn": "cloudformation", "ssm": "ssm", "ec2": "ec2", "kms": "kms", "s3": "s3", "iam": "iam",
                   "sns": "sns", "sts": "sts", "events": "events", "cloudwatch": "cloudwatch"}
PROPERTIES = {"cfn": "cloudformation", "ssm": "ssm"}  # Aws.cfn / Aws.ssm (generator/aws/session.py)
NOT_OPERATIONS = frozenset({"get_paginator", "get_waiter", "can_paginate", "close", "paginate"})
# Operations authorized under another IAM action (None: no permission needed). Sources: "Required permissions
# for Amazon S3 API operations" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html);
# GetCallerIdentity needs none (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
OVERRIDES: dict[str, str | None] = {
    "s3:HeadBucket": "s3:ListBucket",
    "s3:HeadObject": "s3:GetObject",
    "s3:GetBucketNotificationConfiguration": "s3:GetBucketNotification",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
    "sts:GetCallerIdentity": None,
}
IAM_PREFIX = {"monitoring": "cloudwatch"}


class UnmappedCallError(MlprovError):
    """A boto3 call of the tool that maps to no IAM action (a generator bug, exit 4)."""


@dataclass(frozen=True)
class Call:
    module: str  # path relative to generator/
    line: int
    service: str  # boto3 service name
    operation: str  # API operation name, e.g. DescribeStacks
    action: str | None  # IAM action; None: no permission needed


@cache
def _botocore_session() -> Any:
    """One botocore session for every service model (a session per service costs ~80 ms each)."""
    import botocore.session  # noqa: PLC0415

    return botocore.session.get_session()


@cache
def _operations(service: str) -> dict[str, str]:
    """boto3 method name -> API operation name, from botocore's model of ``service``."""
    from botocore import xform_name  # noqa: PLC0415

    model = _botocore_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def _service_of(node: ast.expr, bound: dict[str, str]) -> str | None:
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "client"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return node.args[0].value
    if isinstance(node, ast.Name):
        return bound.get(node.id) or PARAMETER_NAMES.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr in PROPERTIES:
        owner = node.value
        if (isinstance(owner, ast.Name) and owner.id == "aws") or (isinstance(owner, ast.Attribute) and owner.attr == "aws"):
            return PROPERTIES[node.attr]
    return None


def _bindings(func: ast.AST) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            svc = _service_of(node.value, {})
            if svc:
                out[node.targets[0].id] = svc
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and isinstance(node.value, ast.Tuple):
            for target, value in zip(node.targets[0].elts, node.value.elts, strict=False):
                svc = _service_of(value, {})
                if isinstance(target, ast.Name) and svc:
                    out[target.id] = svc
    return out


def action_for(service: str, operation: str) -> str | None:
    prefix = IAM_PREFIX.get(service, service)
    name = f"{prefix}:{operation}"
    if name in OVERRIDES:
        return OVERRIDES[name]
    if not iamref.exists(name):
        raise UnmappedCallError(f"boto3 {service}.{operation}: no IAM action {name!r}; add it to toolcalls.OVERRIDES")
    return iamref.require(name, "toolcalls")


def scan_source(source: str, module: str) -> list[Call]:
    tree = ast.parse(source)
    calls: list[Call] = []
    scopes: list[ast.AST] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)]
    seen: set[tuple[int, int]] = set()
    for scope in [tree, *scopes]:
        bound = _bindings(scope)
        for node in ast.walk(scope):
            # A call ``client.op(...)``, or a bound method passed on (``_or_none(client.op, ...)``): both call AWS.
            attr = node.func if isinstance(node, ast.Call) else node
            if not isinstance(attr, ast.Attribute):
                continue
            key = (attr.lineno, attr.col_offset)
            service = _service_of(attr.value, bound)
            if service is None or key in seen:
                continue
            method = attr.attr
            if (method == "get_paginator" and isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)):
                method = str(node.args[0].value)
            elif method in NOT_OPERATIONS:
                continue
            operation = _operations(service).get(method)
            if operation is None:
                continue  # a name like `ssm` that holds something else here; only API operations count
            seen.add(key)
            calls.append(Call(module, attr.lineno, service, operation, action_for(service, operation)))
    return sorted(calls, key=lambda c: c.line)


def scanned_files(package: Path) -> list[tuple[str, bytes]]:
    """(path relative to ``package``, bytes) of every scanned module, in path order."""
    return [(path.relative_to(package).as_posix(), path.read_bytes()) for path in sorted(package.rglob("*.py"))
            if path.relative_to(package).parts[0] not in SKIP]


def scan_files(files: list[tuple[str, bytes]]) -> tuple[Call, ...]:
    """The scan itself (no snapshot, no cache)."""
    out: list[Call] = []
    for rel, data in files:
        out += scan_source(data.decode("utf-8"), str(Path(rel)))
    return tuple(sorted(out, key=lambda c: (c.module, c.line)))


@cache
def scan(package: Path = PACKAGE) -> tuple[Call, ...]:
    """Every AWS call of the tool's code, in file and line order: once per process, from the snapshot shipped in the
    package (:mod:`mlprov.access.toolsnapshot`) or the disk cache (:mod:`mlprov.access.toolcache`) while the scanned
    code and the data versions are the ones their key hashes."""
    from mlprov.access import toolcache, toolsnapshot  # noqa: PLC0415

    files = scanned_files(package)
    scan_key = toolcache.key(files)
    rows = toolsnapshot.load(scan_key)
    if rows is None:
        rows = toolcache.load(scan_key)
    if rows is not None:
        return tuple(Call(*row) for row in rows)
    calls = scan_files(files)
    toolcache.store(scan_key, [[c.module, c.line, c.service, c.operation, c.action] for c in calls])
    return calls


def actions(package: Path = PACKAGE) -> list[str]:
    return sorted({c.action for c in scan(package) if c.action})
