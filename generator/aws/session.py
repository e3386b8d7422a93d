"""boto3 clients for one command run: endpoint, region and profile from the command line or environment.

Clients are built in the command layer and passed down; nothing here runs at import time. Every client
retries in botocore's adaptive mode (client-side rate limiting plus exponential back-off on throttling).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from mlprov.config.model import Product

RETRIES = {"mode": "adaptive", "max_attempts": 10}
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 - a host name compared, not bound


def add_aws_options(parser: argparse.ArgumentParser) -> None:
    """The options every AWS action takes."""
    group = parser.add_argument_group("AWS")
    group.add_argument("--endpoint-url", help="send every AWS call here (default: $AWS_ENDPOINT_URL, else AWS itself)")
    group.add_argument("--region", help="AWS region (default: the config's region)")
    group.add_argument("--profile", help="AWS named profile (default: the ordinary boto3 credential chain)")


@dataclass(frozen=True)
class Target:
    """Where the AWS calls go."""

    region: str
    endpoint_url: str | None = None
    profile: str | None = None

    @property
    def is_local(self) -> bool:
        """True for an endpoint on this machine (the embedded moto server): poll fast, no back-off."""
        if not self.endpoint_url:
            return False
        return (urlparse(self.endpoint_url).hostname or "") in _LOCAL_HOSTS


def target(args: argparse.Namespace, product: Product) -> Target:
    endpoint = getattr(args, "endpoint_url", None) or os.environ.get("AWS_ENDPOINT_URL") or None
    return Target(
        region=getattr(args, "region", None) or product.region,
        endpoint_url=endpoint,
        profile=getattr(args, "profile", None),
    )


@dataclass
class Aws:
    """Lazily built, cached boto3 clients for one target."""

    target: Target
    caller: str = ""  # "account A, region R, caller ARN" once the account guard (mlprov.aws.identity) has run
    _session: Any = field(default=None, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str, optional: bool = False) -> Any:
        """A cached client. ``optional``: for an API the endpoint may lack (moto answers HTTP 500), no retries
        on a local endpoint, so "unavailable" is known at once."""
        key = f"{service}:optional" if optional and self.target.is_local else service
        if key not in self._clients:
            import boto3  # noqa: PLC0415 - boto3 only when an AWS action runs
            from botocore.config import Config  # noqa: PLC0415

            if self._session is None:
                self._session = boto3.session.Session(profile_name=self.target.profile, region_name=self.target.region)
            retries = {"mode": "standard", "max_attempts": 1} if key.endswith(":optional") else RETRIES
            kwargs: dict[str, Any] = {"config": Config(retries=retries)}
            if self.target.endpoint_url:
                kwargs["endpoint_url"] = self.target.endpoint_url
            self._clients[key] = self._session.client(service, **kwargs)
        return self._clients[key]

    def where(self) -> str:
        """Where the calls go, for prompts: the guard's line, else the region."""
        return self.caller or f"region {self.target.region}"

    @property
    def cfn(self) -> Any:
        return self.client("cloudformation")

    @property
    def ssm(self) -> Any:
        return self.client("ssm")


def connect(args: argparse.Namespace, product: Product) -> Aws:
    return Aws(target(args, product))
