"""Issue 12, "Protection lost": on the local endpoint, a failure or Ctrl-C at execute and during the wait of a
``--allow-data-loss`` deploy leaves the stack policy and (prod) termination protection as they must be; a rerun
with no changes restores what was removed out of band; delete-product never turns termination protection off
silently. Reproduces: the allow-all policy stayed after a failed execute; "no changes" never restored them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError
from mlprov.aws import stack, stackpolicy
from mlprov.commands import delete_product, deploy_product
from mlprov.config.loader import load_product
from mlprov.local_aws.fixtures import boto3_clients, seed_buckets

from tests.aws.cli_support import run_cli
from tests.aws.conftest import _ENDPOINT, REPO, client, install, write_template

CC = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
S3_SOURCE = yaml.safe_load((REPO / "products" / "techcorp-prod-a002-us-west-2-customer-churn-ml-s3.yaml").read_text())["source"]
STACK = "techcorp-prod-a951-usw2-customer-churn-ml"
REGION = "us-west-2"
OVERRIDE = (f"stack policy of {STACK}: allow-all for this change set (--allow-data-loss); "
            "it is restored when the deploy ends, whatever happens")
UNDONE = (f"stack policy of {STACK}: the --allow-data-loss override was undone "
          "(replace/delete denied again on the stateful resources)")


def _patch_cfn(monkeypatch: pytest.MonkeyPatch, module: Any, **methods: Callable[..., Any]) -> None:
    """The command's CloudFormation client (from ``guarded``: connected, account guard passed) with ``methods``
    replaced (each gets the original first)."""
    real = module.guarded

    def guarded(args: Any, prod: Any) -> Any:
        aws = real(args, prod)
        for name, fn in methods.items():
            original = getattr(aws.cfn, name)
            setattr(aws.cfn, name, lambda *a, _fn=fn, _orig=original, **kw: _fn(_orig, *a, **kw))
        return aws

    monkeypatch.setattr(module, "guarded", guarded)


def _policy(cfn: Any) -> dict[str, Any]:
    return dict(json.loads(cfn.get_stack_policy(StackName=STACK)["StackPolicyBody"]))


def _denied(cfn: Any) -> list[str]:
    first = _policy(cfn)["Statement"][0]
    assert first["Effect"] == "Deny" and first["Action"] == ["Update:Replace", "Update:Delete"]
    return sorted(r.removeprefix("LogicalResourceId/") for r in first["Resource"])


def _protected(cfn: Any) -> bool:
    return bool(cfn.describe_stacks(StackName=STACK)["Stacks"][0]["EnableTerminationProtection"])


def _configs(scratch: Path) -> tuple[Path, Path]:
    """The product with CodeCommit source, and the same product switched to S3 source (removes both repositories)."""
    cc = install(scratch, CC, {"app_id": "a951"}, as_name=CC.replace("a001", "a951"))
    data = yaml.safe_load(cc.read_text())
    data["source"] = S3_SOURCE
    s3 = scratch / "products" / "techcorp-prod-a951-us-west-2-customer-churn-ml-s3.yaml"
    s3.write_text(yaml.safe_dump(data, sort_keys=False))
    write_template(s3)
    seed_buckets(load_product(s3), boto3_clients(_ENDPOINT[0]))  # its source bucket, as the forecast (MLPROV-F008) needs
    return cc, s3


@pytest.mark.slow
def test_interrupted_and_failed_deploys_never_leave_the_stack_unprotected(
        endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    cc, s3 = _configs(scratch)
    aws = ["--endpoint-url", endpoint]
    cfn = client(endpoint, "cloudformation", REGION)
    stateful = ["ArtifactsBucket", "BuildLogGroup", "ModelBuildRepository", "ModelDeployRepository", "ModelPackageGroup"]
    assert run_cli(monkeypatch, "deploy-product", str(cc), "--force", *aws) == 0
    capsys.readouterr()
    assert _denied(cfn) == stateful and _protected(cfn)

    # 1. a failure injected at execute: the allow-all override is undone, and said so
    def fail(_orig: Any, **_kw: Any) -> None:
        raise ClientError({"Error": {"Code": "InternalFailure", "Message": "injected"}}, "ExecuteChangeSet")

    with monkeypatch.context() as m:
        _patch_cfn(m, deploy_product, execute_change_set=fail)
        assert run_cli(monkeypatch, "deploy-product", str(s3), "--force", "--allow-data-loss", *aws) == 3
    cap = capsys.readouterr()
    assert cap.err.splitlines() == [OVERRIDE, UNDONE, f"deploy of {STACK} failed: stack is CREATE_COMPLETE",
                                    "  ExecuteChangeSet: InternalFailure: injected", "hint: fix the cause above and deploy again"]
    assert "stack policy: replace/delete denied on 5 stateful resource(s) (was allow-all: restored)" in cap.out.splitlines()
    assert _denied(cfn) == stateful and _protected(cfn)

    # 2. what an old Ctrl-C left (allow-all, protection off): a rerun with no changes restores both
    cfn.set_stack_policy(StackName=STACK, StackPolicyBody=stackpolicy.ALLOW_ALL)
    cfn.update_termination_protection(StackName=STACK, EnableTerminationProtection=False)
    assert run_cli(monkeypatch, "deploy-product", str(cc), "--force", *aws) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"no changes: stack {STACK} is up to date" in out
    assert "stack policy: replace/delete denied on 5 stateful resource(s) (was allow-all: restored)" in out
    assert "termination protection: on (environment prod) (was off: restored)" in out
    assert _denied(cfn) == stateful and _protected(cfn)

    # 3. Ctrl-C at execute: protections asserted, then the stack's state and what to run next
    def interrupt(_orig: Any, **_kw: Any) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        _patch_cfn(m, deploy_product, execute_change_set=interrupt)
        assert run_cli(monkeypatch, "deploy-product", str(s3), "--force", "--allow-data-loss", *aws) == 130
    assert capsys.readouterr().err.splitlines() == [
        OVERRIDE, UNDONE, f"interrupted: stack {STACK} is CREATE_COMPLETE",
        f"next: rerun `mlprov deploy-product {s3}` to finish and verify", "interrupted"]
    assert _denied(cfn) == stateful and _protected(cfn)

    # 4. Ctrl-C during the wait (moto has executed the change set: the repositories are gone from the stack)
    def interrupted_wait(*_a: Any, **_kw: Any) -> str:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(stack, "wait", interrupted_wait)
        assert run_cli(monkeypatch, "deploy-product", str(s3), "--force", "--allow-data-loss", *aws) == 130
    err = capsys.readouterr().err.splitlines()
    assert err == [OVERRIDE, UNDONE, f"interrupted: stack {STACK} is UPDATE_COMPLETE",
                   f"next: rerun `mlprov deploy-product {s3}` to finish and verify", "interrupted"]
    assert _denied(cfn) == ["ArtifactsBucket", "BuildLogGroup", "ModelPackageGroup"] and _protected(cfn)

    # 5. a test copy of the prod product: stack policy, but no termination protection (CI removes it, no terminal)
    assert run_cli(monkeypatch, "test-deploy", str(cc), "--suffix", "t0a0b0c", *aws) == 0
    copy = f"{STACK}-t0a0b0c"
    assert not cfn.describe_stacks(StackName=copy)["Stacks"][0]["EnableTerminationProtection"]
    assert json.loads(cfn.get_stack_policy(StackName=copy)["StackPolicyBody"])["Statement"][0]["Effect"] == "Deny"
    assert run_cli(monkeypatch, "delete-product", str(cc), "--stack-name", copy, "--force", *aws) == 0
    assert stack.describe(cfn, copy) is None
    capsys.readouterr()

    # 6. delete-product: termination protection needs its own flag, and for prod a terminal (even with --force)
    assert run_cli(monkeypatch, "delete-product", str(s3), "--force", *aws) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"stack {STACK} has termination protection on: refusing to delete it",
        f"hint: to turn it off and delete: `mlprov delete-product {s3} --stack-name {STACK} "
        "--disable-termination-protection` on a terminal"]
    assert run_cli(monkeypatch, "delete-product", str(s3), "--force", "--disable-termination-protection", *aws) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"refusing to disable termination protection on prod stack {STACK} without a terminal",
        "hint: a person runs this on a terminal; --force does not replace that confirmation"]
    assert _protected(cfn)
    asked: list[str] = []
    monkeypatch.setattr(delete_product, "terminal_confirm", lambda: lambda prompt: asked.append(prompt) or True)
    assert run_cli(monkeypatch, "delete-product", str(s3), "--force", "--disable-termination-protection", *aws) == 0
    assert asked == [f"turn off termination protection on prod stack {STACK} and delete it? [y/N] "]
    out = capsys.readouterr().out.splitlines()
    assert f"turning off termination protection on {STACK} (--disable-termination-protection)" in out
    assert f"stack {STACK}: deleted" in out
    assert stack.describe(cfn, STACK) is None
