"""The bucket-policy patch: a TLS-only Deny lets botocore's (TLS, on AWS) requests through; other statements still bite."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from mlprov.local_aws.bucketpolicy import statements_over_tls

TLS_ONLY = {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def test_statements_over_tls_resolve_only_the_secure_transport_condition() -> None:
    allow_tls = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": ["true"]}}}
    other = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}
    mixed = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:SourceVpce": "vpce-1"}}}
    assert statements_over_tls({"Statement": [TLS_ONLY, allow_tls, other, mixed]}) == [
        {k: v for k, v in allow_tls.items() if k != "Condition"}, other, mixed]
    assert statements_over_tls({"Statement": TLS_ONLY}) == []


def _bucket(endpoint: str, statement: dict[str, object]) -> tuple[Any, str]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    name = f"bucketpolicy-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    return s3, name


def test_a_tls_only_bucket_takes_objects_on_the_local_endpoint(endpoint: str) -> None:
    s3, name = _bucket(endpoint, TLS_ONLY)
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    assert s3.get_object(Bucket=name, Key="k")["Body"].read() == b"x"


def test_an_unconditional_deny_still_refuses(endpoint: str) -> None:
    s3, name = _bucket(endpoint, {k: v for k, v in TLS_ONLY.items() if k != "Condition"})
    with pytest.raises(ClientError, match=r"An error occurred \(403\) when calling the PutObject operation: Forbidden"):
        s3.put_object(Bucket=name, Key="k", Body=b"x")
