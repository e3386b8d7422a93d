"""Run exactly what was reviewed, on the local endpoint: a kept review change set is executed as is when
nothing changed; a stack updated after the review, or a changed template, is refused with what changed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.commands import deploy_product
from mlprov.commands._aws_common import committed_template

from tests.aws.conftest import REPO, client, endpoint, install, scratch, write_template
from tests.gitops.cli_support import run_cli

__all__ = ["endpoint", "scratch"]  # the local-endpoint fixtures of tests/aws

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
# one stack per test: retained stores (model package group, repositories) outlive a deleted stack
APP_IDS = {"unchanged": "s101", "stack": "s102", "template": "s103", "creation": "s104"}


class Product:
    """The starter example under another app id."""

    def __init__(self, scratch: Path, case: str) -> None:
        app_id = APP_IDS[case]
        self.name = STARTER.replace("s001", app_id)
        self.stack = f"startupco-dev-{app_id}-use1-fraud-detection-ml"
        self.config = install(scratch, STARTER, edit={"app_id": app_id}, as_name=self.name)
        self.reports = Path(os.environ["MLPROV_REPORTS_DIR"]) / self.name

    def record(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.reports / "review.json").read_text())
        return data

    def edit(self, **fields: str) -> None:
        data = yaml.safe_load(self.config.read_text())
        data.update(fields)
        self.config.write_text(yaml.safe_dump(data, sort_keys=False))
        write_template(self.config)

    def template_text(self) -> str:
        return self.config.with_suffix("").joinpath("template.yaml").read_text()


def _review_sets(cfn: Any, stack: str) -> dict[str, str]:
    stack_id = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackId"]
    return {s["ChangeSetName"]: s["ExecutionStatus"] for s in cfn.list_change_sets(StackName=stack)["Summaries"]
            if s["ChangeSetName"].startswith("mlprov-review-") and s["StackId"] == stack_id}


def _running(cfn: Any, stack: str) -> str:
    """The template the stack runs (stack tags stay as first created on the local endpoint)."""
    return json.dumps(cfn.get_template(StackName=stack)["TemplateBody"])


@pytest.fixture
def deployed(request: pytest.FixtureRequest, endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Iterator[Product]:
    p = Product(scratch, request.param)
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--force", "--endpoint-url", endpoint) == 0
    capsys.readouterr()
    yield p
    run_cli(monkeypatch, "delete-product", str(p.config), "--force", "--endpoint-url", endpoint)


@pytest.mark.slow
@pytest.mark.parametrize("deployed", ["unchanged"], indirect=True)
def test_unchanged_review_is_executed_as_reviewed(deployed: Product, endpoint: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    p, aws = deployed, ["--endpoint-url", endpoint]
    cfn = client(endpoint, "cloudformation", "us-east-1")
    p.edit(owner="reviewed-owner@example.com")
    assert run_cli(monkeypatch, "show-changes", str(p.config), "--review", *aws) == 0
    out = capsys.readouterr().out
    record = p.record()
    ident, name = record["identity"], record["change_set_name"]
    assert name.startswith("mlprov-review-") and len(name) == len("mlprov-review-") + 12
    assert f"kept change set {name} for the merge: mlprov review: template={ident['template_sha256']}" in out
    assert _review_sets(cfn, p.stack) == {name: "AVAILABLE"}
    description = cfn.describe_change_set(ChangeSetName=record["change_set_id"], StackName=p.stack)["Description"]
    assert description == (f"mlprov review: template={ident['template_sha256']} "
                           f"parameters={ident['parameters_sha256']} stack_updated={ident['stack_updated']}")

    # the PR job runs again on the same commit: the same change set is reused, not duplicated
    assert run_cli(monkeypatch, "show-changes", str(p.config), "--review", *aws) == 0
    capsys.readouterr()
    assert p.record()["change_set_id"] == record["change_set_id"]

    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 0
    out = capsys.readouterr().out
    assert f"executing the reviewed change set {name} (kept at " in out
    assert f"stack {p.stack}: UPDATE_COMPLETE" in out
    assert _review_sets(cfn, p.stack) == {name: "EXECUTE_COMPLETE"}
    assert "reviewed-owner@example.com" in _running(cfn, p.stack)

    # nothing left to do: another --reviewed run re-plans, finds no changes and succeeds
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 0
    assert f"no changes: stack {p.stack} is up to date" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("deployed", ["stack"], indirect=True)
def test_stack_updated_after_the_review_is_refused(deployed: Product, endpoint: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    p, aws = deployed, ["--endpoint-url", endpoint]
    cfn = client(endpoint, "cloudformation", "us-east-1")
    p.edit(owner="reviewed-owner@example.com")
    assert run_cli(monkeypatch, "show-changes", str(p.config), "--review", *aws) == 0
    reviewed, reviewed_text = p.record(), p.template_text()

    # someone else deploys another change before the merge; the merge brings back the reviewed template
    p.edit(cost_center="CC-OTHER")
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--force", *aws) == 0
    p.edit(cost_center=yaml.safe_load((REPO / "products" / f"{STARTER}.yaml").read_text())["cost_center"])
    assert p.template_text() == reviewed_text
    capsys.readouterr()

    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 1
    err = capsys.readouterr().err
    replanned = p.record()
    now, then = replanned["identity"]["stack_updated"], reviewed["identity"]["stack_updated"]
    assert replanned["identity"]["template_sha256"] == reviewed["identity"]["template_sha256"]
    assert now != then
    assert err.splitlines()[-3:] == [
        f"refusing to deploy {p.stack}: this is not the change set that was reviewed",
        f"  stack updated at {now}, after the review of its state at {then}",
        f"hint: a new preview is kept as {replanned['change_set_name']} (reports: {p.reports}); once someone has "
        "approved it, `mlprov deploy-product CONFIG --reviewed` executes exactly that",
    ]
    assert "CC-OTHER" in _running(cfn, p.stack)  # nothing was executed
    assert _review_sets(cfn, p.stack) == {reviewed["change_set_name"]: "AVAILABLE", replanned["change_set_name"]: "AVAILABLE"}

    # after approval (the production-approval environment) the re-planned change set is what runs
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 0
    assert f"executing the reviewed change set {replanned['change_set_name']}" in capsys.readouterr().out
    assert "CC-OTHER" not in _running(cfn, p.stack)


@pytest.mark.slow
@pytest.mark.parametrize("deployed", ["template"], indirect=True)
def test_template_changed_after_the_review_is_refused(deployed: Product, endpoint: str, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    p, aws = deployed, ["--endpoint-url", endpoint]
    cfn = client(endpoint, "cloudformation", "us-east-1")
    p.edit(owner="reviewed-owner@example.com")
    assert run_cli(monkeypatch, "show-changes", str(p.config), "--review", *aws) == 0
    reviewed = p.record()["identity"]

    def later(t: dict[str, Any]) -> None:  # a later commit nobody previewed (template only: tags unchanged)
        t["Resources"]["ModelPackageGroupArnParameter"]["Properties"]["Description"] = "nobody previewed this"

    write_template(p.config, later)
    # a template no config renders: bypass deploy-product's stale-rendering rule to reach the review check
    monkeypatch.setattr(deploy_product, "deployable_template", committed_template)
    capsys.readouterr()
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 1
    err = capsys.readouterr().err.splitlines()
    now = p.record()["identity"]
    assert err[-3:-1] == [
        f"refusing to deploy {p.stack}: this is not the change set that was reviewed",
        f"  template changed: sha256 {reviewed['template_sha256'][:12]} at review, {now['template_sha256'][:12]} now",
    ]
    assert err[-1].startswith("hint: a new preview is kept as mlprov-review-")
    assert "nobody previewed" not in _running(cfn, p.stack)
    changes = json.loads((p.reports / "changes.json").read_text())
    assert "ModelPackageGroupArnParameter" in [c["logical_id"] for c in changes["changes"] if c["kind"] == "modify"]


@pytest.mark.slow
def test_nothing_reviewed_then_a_creation(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    p, aws = Product(scratch, "creation"), ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2] == f"  no reviewed change set is kept on stack {p.stack}: nothing was previewed with `show-changes --review`"
    record = p.record()
    assert record["change_type"] == "CREATE" and record["identity"]["stack_updated"] == "none"
    # the creation kept for approval is what runs once approved
    assert run_cli(monkeypatch, "deploy-product", str(p.config), "--reviewed", *aws) == 0
    out = capsys.readouterr().out
    assert f"executing the reviewed change set {record['change_set_name']}" in out
    assert f"stack {p.stack}: CREATE_COMPLETE" in out
    assert run_cli(monkeypatch, "delete-product", str(p.config), "--force", *aws) == 0
