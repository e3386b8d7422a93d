"""A VPC shared from a network account: the service role's VPC and subnet ARNs name the owner account."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml
from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.render.engine import render

from tests.iam.access_fixtures import failures, run
from tests.iam.model import Labeled, resource_requests
from tests.iam.oracle import Request, evaluate

NAME = "globalbank-prod-b004-eu-west-1-demand-forecasting-ml-codecommit-existing-direct"
NETWORK = "210987654321"
# The RAM share that makes the VPC usable from the product's account, as the simulator needs it for a
# cross-account request (in AWS the share itself grants the participant account use of the subnets).
RAM_SHARE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                     "Action": "ec2:*", "Resource": "*"}]}


def test_shared_vpc_arns_name_the_owner_account(repo_copy: Path) -> None:
    path = repo_copy / "products" / f"{NAME}.yaml"
    config = yaml.safe_load(path.read_text())
    config["network"]["vpc_owner_account"] = NETWORK
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    product = load_product(path)
    template = render(product)[1]
    service = contract(product, template)["principals"][1]
    vpc = config["network"]["vpc_id"]
    shared = f"arn:aws:ec2:eu-west-1:{NETWORK}:vpc/{vpc}"
    own = f"arn:aws:ec2:eu-west-1:123456789012:vpc/{vpc}"
    ok, wrong = evaluate(service["policies"], [Request("ec2:CreateVpcEndpoint", shared, resource_policy=RAM_SHARE),
                                               Request("ec2:CreateVpcEndpoint", own)], principal=service["arn"])
    assert ok.allowed and not wrong.allowed
    requests = [Labeled(r.label, replace(r.request, resource_policy=RAM_SHARE) if NETWORK in r.request.resource else r.request)
                for r in resource_requests(product, template) if "Endpoint" in r.label]
    assert sum(NETWORK in r.request.resource for r in requests) >= 12  # 4 endpoints: the VPC and 2 subnets each
    assert failures(run(service, requests), want_allowed=True) == []
