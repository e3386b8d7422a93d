"""source.type: connection on the strict local endpoint: the forecast's MLPROV-F015 both ways (AVAILABLE: info;
PENDING, ERROR, missing: blockers with the fix) and a deploy of the connection example of each tier
reaching CREATE_COMPLETE, with V2 pipelines whose source is the connection and no CodeCommit repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.forecast.runner import forecast
from mlprov.local_aws.fixtures import boto3_clients, seed_connection
from mlprov.render.engine import render

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

STARTER = "startupco-dev-s003-us-east-1-fraud-detection-ml-connection"
PRO = "techcorp-prod-a003-us-west-2-customer-churn-ml-connection"
ENTERPRISE = "globalbank-prod-b010-eu-west-1-demand-forecasting-ml-connection-standalone-direct"
STARTER_ARN = "arn:aws:codestar-connections:us-east-1:123456789012:connection/5b2a7c1e-3f4d-4e8a-9b6c-0d1e2f3a4b5c"
PRO_ARN = "arn:aws:codeconnections:us-east-1:123456789012:connection/8c3d9e2f-1a4b-4c5d-8e6f-7a8b9c0d1e2f"
CONSOLE = ("finish the handshake: Developer Tools console > Settings > Connections, choose the connection, "
           "'Update a pending connection', and authorize AWS in the provider")


def _f015(endpoint: str, config: Path) -> list[str]:
    prod = load_product(config)
    text, template = render(prod)
    found = forecast(prod, text, template, Aws(Target(region=prod.region, endpoint_url=endpoint)))
    return [f.line() for f in found if f.code == "MLPROV-F015"]


@pytest.mark.parametrize(("name", "arn"), [(STARTER, STARTER_ARN), (PRO, PRO_ARN)])
def test_the_forecast_reads_the_connection_status(endpoint: str, scratch: Path, name: str, arn: str) -> None:
    config = install(scratch, name)  # seeds the connection AVAILABLE
    provider = "GitHub"
    assert _f015(endpoint, config) == [f"MLPROV-F015 info: connection {arn} ({provider}) is AVAILABLE"]
    product = load_product(config)
    seed_connection(product, boto3_clients(endpoint), status="PENDING")
    assert _f015(endpoint, config) == [
        f"MLPROV-F015 blocker: connection {arn} ({provider}) is PENDING: its handshake was never finished, so the "
        f"pipelines cannot fetch the source (fix: {CONSOLE})"]
    seed_connection(product, boto3_clients(endpoint), status="ERROR")
    assert _f015(endpoint, config) == [
        f"MLPROV-F015 blocker: connection {arn} ({provider}) is ERROR, not AVAILABLE (fix: AWS retries an ERROR "
        "connection by itself; if it stays so, check the provider's app installation in the Developer Tools console > "
        "Settings > Connections, or re-create the connection)"]
    client(endpoint, arn.split(":")[2], "eu-west-1").delete_connection(ConnectionArn=arn)  # global: any region
    assert _f015(endpoint, config) == [
        f"MLPROV-F015 blocker: connection {arn} does not exist (fix: create it (Developer Tools console > Settings > "
        "Connections), finish its handshake, and set source.connection_arn to its ARN)"]


def test_a_pending_connection_stops_the_deploy_before_any_change_set(endpoint: str, scratch: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s913"}, as_name=STARTER.replace("s003", "s913"))
    seed_connection(load_product(config), boto3_clients(endpoint), status="PENDING")
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 2
    assert "MLPROV-F015 blocker: connection" in capsys.readouterr().err
    cfn = client(endpoint, "cloudformation", "us-east-1")
    assert "startupco-dev-s913-use1-fraud-detection-ml" not in {s["StackName"] for s in cfn.list_stacks()["StackSummaries"]}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "app", "region"), [(STARTER, ("s003", "s903"), "us-east-1"),
                                                     (PRO, ("a003", "a903"), "us-west-2"),
                                                     (ENTERPRISE, ("b010", "b910"), "eu-west-1")])
def test_a_connection_example_deploys(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str], name: str, app: tuple[str, str],
                                      region: str) -> None:
    network = enterprise_network(endpoint, region) if name == ENTERPRISE else None
    config = install(scratch, name, {"app_id": app[1]}, network=network, as_name=name.replace(*app))
    product = load_product(config)
    stack = product.names.stack
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    assert f"stack {stack}: CREATE_COMPLETE" in capsys.readouterr().out
    pipelines = client(endpoint, "codepipeline", region)
    source = product.config["source"]
    for kind, repo in (("build", source["build_repository"]), ("deploy", source["deploy_repository"])):
        pipeline = pipelines.get_pipeline(name=f"{stack}-{kind}-pipeline")["pipeline"]
        (action,) = pipeline["stages"][0]["actions"]
        assert action["actionTypeId"]["provider"] == "CodeStarSourceConnection"
        assert action["configuration"]["ConnectionArn"] == source["connection_arn"]
        assert action["configuration"]["FullRepositoryId"] == repo
    types = {r["ResourceType"] for r in client(endpoint, "cloudformation", region).list_stack_resources(
        StackName=stack)["StackResourceSummaries"]}
    assert "AWS::CodeCommit::Repository" not in types and "AWS::Events::Rule" in types
