"""A connection source renders V2 pipelines started by their own Git push triggers, a CodeStarSourceConnection
source action per repository, one EventBridge rule (model approval -> deploy pipeline), no CodeCommit, and the
pipeline role's UseConnection on exactly the configured connection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mlprov.config.loader import load_product
from mlprov.render import inventory
from mlprov.render.engine import render

from tests.conftest import PRODUCTS
from tests.render.eventpattern import matches
from tests.render.test_trigger_patterns import package

CONNECTED = [p for p in PRODUCTS if p.stem.endswith("-connection") or "-connection-" in p.stem]


def test_one_example_per_tier() -> None:
    assert sorted(load_product(p).tier for p in CONNECTED) == ["enterprise", "professional", "starter"]


def _statements(resources: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for lid, res in resources.items():
        if lid == "PermissionBoundaryPolicy":  # the enterprise ceiling merges every role's grants (docs/hardening.md)
            continue
        props = res.get("Properties", {})
        docs = [props.get("PolicyDocument")] + [p["PolicyDocument"] for p in props.get("Policies", [])]
        out += [st for doc in docs if doc for st in doc["Statement"]]
    return out


@pytest.mark.parametrize("path", CONNECTED, ids=lambda p: p.stem)
def test_pipelines_are_v2_with_push_triggers_on_the_branch(path: Path) -> None:
    product = load_product(path)
    source = product.config["source"]
    resources = render(product)[1]["Resources"]
    for lid, repo in (("BuildPipeline", source["build_repository"]), ("DeployPipeline", source["deploy_repository"])):
        props = resources[lid]["Properties"]
        assert props["PipelineType"] == "V2"
        assert props["Triggers"] == [{"ProviderType": "CodeStarSourceConnection", "GitConfiguration": {
            "SourceActionName": "Source", "Push": [{"Branches": {"Includes": [source.get("branch", "main")]}}]}}]
        (action,) = props["Stages"][0]["Actions"]
        assert action["Name"] == "Source"
        assert action["ActionTypeId"] == {"Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection",
                                          "Version": "1"}
        assert action["Configuration"] == {"ConnectionArn": source["connection_arn"], "FullRepositoryId": repo,
                                           "BranchName": source.get("branch", "main"),
                                           "OutputArtifactFormat": "CODE_ZIP", "DetectChanges": "false"}
    assert not [r for r in resources.values() if r["Type"].startswith("AWS::CodeCommit::")]
    assert "RepositoryUrlParameter" not in resources and "codecommit" not in json.dumps(resources)


@pytest.mark.parametrize("path", CONNECTED, ids=lambda p: p.stem)
def test_only_the_approval_rule_remains_and_events_start_only_the_deploy_pipeline(path: Path) -> None:
    product = load_product(path)
    n = product.names
    resources = render(product)[1]["Resources"]
    rules = {lid: r["Properties"] for lid, r in resources.items() if r["Type"] == "AWS::Events::Rule"}
    assert list(rules) == ["DeployTriggerRule"]
    pattern = rules["DeployTriggerRule"]["EventPattern"]
    assert matches(pattern, package(product, n.model_package_group, "Approved"))
    assert not matches(pattern, package(product, n.model_package_group, "PendingManualApproval"))
    assert not matches(pattern, package(product, n.model_package_group + "-blue", "Approved"))
    events = resources["EventsRole"]["Properties"]
    (start,) = events["Policies"][0]["PolicyDocument"]["Statement"]
    assert start["Resource"] == [f"arn:aws:codepipeline:{product.region}:{product.account_id}:{n.deploy_pipeline}"]
    (trust,) = events["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"] == [
        f"arn:aws:events:{product.region}:{product.account_id}:rule/{n.deploy_trigger_rule}"]


@pytest.mark.parametrize("path", CONNECTED, ids=lambda p: p.stem)
def test_use_connection_on_exactly_that_connection(path: Path) -> None:
    product = load_product(path)
    arn = product.config["source"]["connection_arn"]
    prefix = arn.split(":")[2]
    statements = _statements(render(product)[1]["Resources"])
    def actions(st: dict[str, Any]) -> list[str]:
        value = st.get("Action", [])
        return [value] if isinstance(value, str) else list(value)

    uses = [st for st in statements if any("Connection" in a for a in actions(st))]
    # the pipeline role's policy only (starter: the starter policy)
    assert len(uses) == 1
    assert all(actions(st) == [f"{prefix}:UseConnection"] and st["Resource"] in ([arn], arn) for st in uses)
    assert all(arn not in json.dumps(st) for st in statements if st not in uses)
    pull = [st for st in statements if st.get("Sid") == "PullSource"]
    assert pull and all(actions(st) == [f"{prefix}:UseConnection"] for st in pull)


@pytest.mark.parametrize("path", CONNECTED, ids=lambda p: p.stem)
def test_the_inventory_lists_exactly_the_rendered_resources(path: Path) -> None:
    product = load_product(path)
    resources = render(product)[1]["Resources"]
    listed = inventory.resources(product.variant)
    assert [(r.logical_id, r.type) for r in listed] == [(lid, r["Type"]) for lid, r in resources.items()] or \
        sorted((r.logical_id, r.type) for r in listed) == sorted((lid, r["Type"]) for lid, r in resources.items())
    low, high = inventory.count_range(product.variant)
    assert low <= len(resources) <= high
    assert "BuildTriggerRule" not in resources and "ModelBuildRepository" not in resources


def test_list_products_and_show_product_name_the_connection_variants(capsys: pytest.CaptureFixture[str]) -> None:
    from mlprov.cli import main

    assert main(["list-products"]) == 0
    out = capsys.readouterr().out
    assert "  starter / connection                                12  (10 + 2)" in out
    assert "  professional / connection                           21  (15 + 6)" in out
    assert "  enterprise / connection / sg=standalone / vpc=direct  43  (35-37 + 6)" in out
    assert "  enterprise / connection / sg=existing / vpc=direct  42  (35-37 + 7)" in out
    assert main(["show-product", str(CONNECTED[-1])]) == 0
    out = capsys.readouterr().out
    assert "variant: professional / connection" in out and "DeployTriggerRule" in out
    assert "ModelBuildRepository" not in out and "BuildTriggerRule" not in out
