"""The biggest committed template (enterprise, CodeCommit, standalone SG, direct VPC: 47 resources) deploys on the
local AWS, takes an update that changes every resource's tags without replacing any, stays in sync, and deletes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from mlprov.commands import delete_product
from mlprov.config.loader import load_product
from mlprov.local_aws.fixtures import boto3_clients, point_at, seed
from mlprov.render.engine import render

from tests.aws.cli_support import run_cli

REPO = Path(__file__).resolve().parents[2]
NAME = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
COPY = NAME.replace("b002", "b902")  # its own names: the AWS tests deploy b002 on a server in the same process
STACK = "globalbank-prod-b902-euw1-demand-forecasting-ml"


def _commit(config: Path, data: dict[str, object]) -> None:
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    folder = config.with_suffix("")
    folder.mkdir(exist_ok=True)
    (folder / "template.yaml").write_text(render(load_product(config))[0])


@pytest.mark.slow
def test_update_in_place_keeps_every_physical_id(endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "products").mkdir()
    monkeypatch.setenv("MLPROV_ROOT", str(tmp_path))
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(tmp_path / "reports"))
    config = tmp_path / "products" / f"{COPY}.yaml"
    data = yaml.safe_load((REPO / "products" / f"{NAME}.yaml").read_text())
    data["app_id"] = "b902"
    # its own VPC too: the committed ids are seeded as they are, and another stack of this process may own that VPC's
    # private-DNS endpoints already (AWS allows one per service per VPC)
    data["network"] = {**data["network"], "vpc_id": "vpc-0b902000000000001",
                       "subnet_ids": ["subnet-0b9020000000000a1", "subnet-0b9020000000000a2"]}
    clients = boto3_clients(endpoint)
    _commit(config, data)
    data = point_at(data, seed(load_product(config), clients))
    _commit(config, data)
    aws = ["--endpoint-url", endpoint]
    cfn = clients("cloudformation", "eu-west-1")

    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    summaries = cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    before = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}
    # SPEC 41 + build group, Logs and KMS endpoints; mlops: EventsRole, a trigger rule per pipeline (was one) and the
    # failed-builds alarm (docs/mlops.md)
    assert len(before) == 47 and all(before.values())
    outputs = cfn.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]

    _commit(config, {**data, "owner": "platform@globalbank.example"})
    capsys.readouterr()
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    assert f"stack {STACK}: UPDATE_COMPLETE" in capsys.readouterr().out
    summaries = cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    assert {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries} == before
    assert cfn.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"] == outputs
    group = clients("ec2", "eu-west-1").describe_security_groups(GroupIds=[before["EndpointSecurityGroup"]])["SecurityGroups"][0]
    assert {"Key": "mlprov:owner", "Value": "platform@globalbank.example"} in group["Tags"]
    project = clients("codebuild", "eu-west-1").batch_get_projects(names=[before["BuildProject"]])["projects"][0]
    assert {"key": "mlprov:owner", "value": "platform@globalbank.example"} in project["tags"]

    assert run_cli(monkeypatch, "check-drift", str(config), *aws) == 0
    monkeypatch.setattr(delete_product, "terminal_confirm", lambda: lambda _prompt: True)  # prod: a terminal, answered yes
    assert run_cli(monkeypatch, "delete-product", str(config), "--force", "--disable-termination-protection", *aws) == 0
    kms = clients("kms", "eu-west-1").describe_key(KeyId=before["KmsKey"])["KeyMetadata"]
    assert kms["KeyState"] == "Enabled"  # DeletionPolicy Retain
