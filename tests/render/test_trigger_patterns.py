"""Each rendered trigger rule, evaluated against sample events with a faithful matcher (moto's server does not
implement TestEventPattern; tests/render/eventpattern.py, checked against moto's own matcher too): a push to each
repository (or a write of each S3 key) and a model approval start exactly the pipeline they should, and nothing
else does (other branches, tags, the sibling product's repositories, keys and group, packages not Approved).

Sample events follow AWS's documented shapes (CodeCommit "CodeCommit Repository State Change",
https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html; S3 "Object Created",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html; "SageMaker Model Package State Change",
https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render.engine import render
from moto.events.models import EventPattern, EventPatternParser

from tests.conftest import PRODUCTS
from tests.render.eventpattern import matches

# The connection examples have no -wl-blue sibling and no push rules (tests/render/test_connection_source.py).
PAIRS = [p for p in PRODUCTS if "-wl-blue-" not in p.name and "-connection" not in p.name]


def sibling(path: Path) -> Product:
    return load_product(path.with_name(path.name.replace("-ml-", "-ml-wl-blue-", 1)))


def _event(p: Product, source: str, detail_type: str, detail: dict[str, Any], resources: list[str]) -> dict[str, Any]:
    return {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": detail_type, "source": source,
            "account": p.account_id, "time": "2026-12-01T12:00:00Z", "region": p.region, "resources": resources,
            "detail": detail}


def push(p: Product, repository: str, branch: str = "main", event: str = "referenceUpdated",
         ref_type: str = "branch") -> dict[str, Any]:
    arn = f"arn:aws:codecommit:{p.region}:{p.account_id}:{repository}"
    return _event(p, "aws.codecommit", "CodeCommit Repository State Change", {
        "callerUserArn": f"arn:aws:iam::{p.account_id}:user/dev", "commitId": "a1b2c3", "event": event,
        "referenceFullName": f"refs/heads/{branch}", "referenceName": branch, "referenceType": ref_type,
        "repositoryId": "12345678-1234-5678-abcd-12345678abcd", "repositoryName": repository}, [arn])


def written(p: Product, bucket: str, key: str) -> dict[str, Any]:
    return _event(p, "aws.s3", "Object Created", {
        "version": "0", "bucket": {"name": bucket}, "object": {"key": key, "size": 1024, "etag": "e1", "sequencer": "0A"},
        "request-id": "R1", "requester": p.account_id, "reason": "PutObject"}, [f"arn:aws:s3:::{bucket}"])


def package(p: Product, group: str, status: str) -> dict[str, Any]:
    arn = f"arn:aws:sagemaker:{p.region}:{p.account_id}:model-package/{group}/3"
    return _event(p, "aws.sagemaker", "SageMaker Model Package State Change", {
        "ModelPackageGroupName": group, "ModelPackageVersion": 3, "ModelPackageArn": arn,
        "ModelApprovalStatus": status, "ModelPackageStatus": "Completed"}, [arn])


def cases(p: Product, s: Product) -> list[tuple[str, dict[str, Any], set[str]]]:
    """(case, event, the pipelines it must start)."""
    n, sn = p.names, s.names
    out = [
        ("approval", package(p, n.model_package_group, "Approved"), {"DeployPipeline"}),
        ("pending approval", package(p, n.model_package_group, "PendingManualApproval"), set()),
        ("rejected", package(p, n.model_package_group, "Rejected"), set()),
        ("sibling's approval", package(p, sn.model_package_group, "Approved"), set()),
    ]
    if p.source == "codecommit":
        out += [
            ("push model-build", push(p, n.build_repository), {"BuildPipeline"}),
            ("new branch model-build", push(p, n.build_repository, event="referenceCreated"), {"BuildPipeline"}),
            ("push model-deploy", push(p, n.deploy_repository), {"DeployPipeline"}),
            ("new branch model-deploy", push(p, n.deploy_repository, event="referenceCreated"), {"DeployPipeline"}),
            ("other branch", push(p, n.build_repository, branch="feature"), set()),
            ("branch deleted", push(p, n.deploy_repository, event="referenceDeleted"), set()),
            ("tag", push(p, n.build_repository, ref_type="tag"), set()),
            ("sibling's model-build", push(p, sn.build_repository), set()),
            ("sibling's model-deploy", push(p, sn.deploy_repository), set()),
        ]
    else:
        src, ssrc = p.config["source"], s.config["source"]
        out += [
            ("build key", written(p, src["bucket"], src["build_key"]), {"BuildPipeline"}),
            ("deploy key", written(p, src["bucket"], src["deploy_key"]), {"DeployPipeline"}),
            ("other key", written(p, src["bucket"], src["build_key"] + ".bak"), set()),
            ("same key, other bucket", written(p, "someone-elses-bucket", src["build_key"]), set()),
        ]
        if (ssrc["bucket"], ssrc["build_key"]) != (src["bucket"], src["build_key"]):
            out.append(("sibling's build key", written(p, ssrc["bucket"], ssrc["build_key"]), set()))
    return out


def _moto(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    raw = json.dumps(pattern)
    return EventPattern(raw, EventPatternParser(raw).parse()).matches_event(event)


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.stem)
def test_each_event_starts_exactly_its_pipeline(path: Path) -> None:
    product = load_product(path)
    rules = {r["Properties"]["Targets"][0]["Id"]: r["Properties"]
             for r in render(product)[1]["Resources"].values() if r["Type"] == "AWS::Events::Rule"}
    assert set(rules) == {"BuildPipeline", "DeployPipeline"}
    for props in rules.values():
        assert len(props["Targets"]) == 1 and props["Targets"][0]["RoleArn"] == {"Fn::GetAtt": ["EventsRole", "Arn"]}
    got, by_moto = {}, {}
    for case, event, _ in cases(product, sibling(path)):
        got[case] = {pipeline for pipeline, props in rules.items() if matches(props["EventPattern"], event)}
        by_moto[case] = {pipeline for pipeline, props in rules.items() if _moto(props["EventPattern"], event)}
    assert got == {case: expected for case, _, expected in cases(product, sibling(path))}
    assert by_moto == got


def test_the_matcher_refuses_operators_it_does_not_implement() -> None:
    with pytest.raises(ValueError, match="operator not implemented"):
        matches({"detail": {"key": [{"prefix": "a"}]}}, {"detail": {"key": "ab"}})
    with pytest.raises(ValueError, match="at least two"):
        matches({"$or": [{"a": ["1"]}]}, {"a": "1"})
    assert not matches({"detail": {"x": ["1"]}}, {"detail": {}})
    assert matches({"resources": ["r2"]}, {"resources": ["r1", "r2"]})


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.stem)
def test_no_polling_and_no_rule_on_the_artifacts_bucket(path: Path) -> None:
    product = load_product(path)
    resources = render(product)[1]["Resources"]
    for lid in ("BuildPipeline", "DeployPipeline"):
        (action,) = resources[lid]["Properties"]["Stages"][0]["Actions"]
        assert action["Configuration"]["PollForSourceChanges"] == "false"
    patterns = json.dumps([r["Properties"]["EventPattern"] for r in resources.values() if r["Type"] == "AWS::Events::Rule"])
    assert product.names.artifacts_bucket not in patterns and str(product.config.get("artifact_bucket")) not in patterns
