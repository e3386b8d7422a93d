"""The embedded local AWS for the AWS tests (one per session, full templates), credentials that cannot reach AWS,
scratch repositories."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.config.loader import load_product
from mlprov.local_aws import LocalAws
from mlprov.local_aws.fixtures import boto3_clients, seed_buckets
from mlprov.render.engine import render

REPO = Path(__file__).resolve().parents[2]


# The running endpoint: `install` seeds there what a config references outside its stack (its buckets), as an
# operator has it before a deploy (the forecast refuses a deploy without them, as AWS would fail it).
_ENDPOINT: list[str] = []


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        os.environ[key] = value
    os.environ.pop("AWS_PROFILE", None)
    with LocalAws(strict=True) as aws:
        _ENDPOINT.append(aws.endpoint)
        yield aws.endpoint
        _ENDPOINT.clear()


def client(endpoint: str, service: str, region: str) -> Any:
    import boto3

    return boto3.client(service, endpoint_url=endpoint, region_name=region)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "products").mkdir()
    monkeypatch.setenv("MLPROV_ROOT", str(tmp_path))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    return tmp_path


def install(scratch: Path, name: str, edit: dict[str, Any] | None = None, network: dict[str, Any] | None = None,
            as_name: str | None = None, seed_buckets_too: bool = True, template_bucket: bool = True) -> Path:
    """Copy products/<name>.yaml into the scratch repo (with edits) and commit its full template; on the running
    endpoint, create the buckets it references and the bootstrap's template bucket of its account and region, as
    ``mlprov bootstrap`` would (``seed_buckets_too=False``: leave all missing; ``template_bucket=False``: leave
    only the template bucket missing)."""
    data = yaml.safe_load((REPO / "products" / f"{name}.yaml").read_text())
    data.update(edit or {})
    if network:
        data["network"] = {**data["network"], **network}
    path = scratch / "products" / f"{as_name or name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    write_template(path)
    if _ENDPOINT and seed_buckets_too:
        seed_buckets(load_product(path), boto3_clients(_ENDPOINT[0]), template_bucket=template_bucket)
    return path


def write_template(path: Path, mutate: Any = None) -> dict[str, Any]:
    """Commit the config's full template in JSON form (``mutate`` edits it first). JSON on purpose: other tests
    rely on this rendering being reported stale by ``render --check``."""
    _text, template = render(load_product(path))
    if mutate:
        mutate(template)
    folder = path.with_suffix("")
    folder.mkdir(exist_ok=True)
    (folder / "template.yaml").write_text(json.dumps(template, indent=1))
    return template


def enterprise_network(endpoint: str, region: str) -> dict[str, Any]:
    ec2 = client(endpoint, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # as a private-DNS endpoint needs
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"{region}{az}")["Subnet"]["SubnetId"]
               for i, az in ((1, "a"), (2, "b"))]
    return {"vpc_id": vpc, "subnet_ids": subnets}


__all__ = ["client", "enterprise_network", "install", "shutil", "write_template"]
