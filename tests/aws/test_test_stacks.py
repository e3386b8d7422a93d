"""Issue 12, "The wrong stack": test stacks are identified by their ``mlprov:test-of`` stack tag, not by their name's
shape. Reproduces: ``delete-product A --stack-name <A>-tabc123 --force`` deleted the real stack of the product with
``workload: tabc123``; the failed test-deploy's hint deleted the product's own stack."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from botocore.exceptions import ClientError
from mlprov.aws import stack
from mlprov.commands import test_deploy
from mlprov.config.loader import load_product
from mlprov.deploypath import TEST_OF_TAG
from mlprov.errors import ConfigErrors

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
A = "startupco-dev-s953-use1-fraud-detection-ml"
WORKLOAD_FIX = "use 1-8 lower-case letters or digits that are not t + 6 hex digits (the test-deploy suffix), e.g. blue"


def _one(name: str) -> str:
    """A one-resource template: the stack of some other product."""
    return json.dumps({"Resources": {"P": {"Type": "AWS::SSM::Parameter",
                                           "Properties": {"Name": f"/{name}/p", "Type": "String", "Value": "x"}}}})


def test_a_workload_shaped_like_a_test_suffix_is_refused(scratch: Path) -> None:
    path = install(scratch, STARTER)
    data = yaml.safe_load(path.read_text())
    data["workload"] = "tabc123"
    bad = scratch / "products" / "startupco-dev-s001-us-east-1-fraud-detection-ml-wl-tabc123-codecommit.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ConfigErrors) as err:
        load_product(bad)
    assert err.value.lines() == [f"{bad}: field 'workload': 'tabc123' is not valid; {WORKLOAD_FIX}"]
    data["workload"] = "tabc12"  # not the suffix's shape: accepted
    ok = scratch / "products" / "startupco-dev-s001-us-east-1-fraud-detection-ml-wl-tabc12-codecommit.yaml"
    ok.write_text(yaml.safe_dump(data, sort_keys=False))
    assert load_product(ok).names.stack == "startupco-dev-s001-use1-fraud-detection-ml-tabc12"


def test_a_use_case_ending_like_a_test_suffix_is_refused(scratch: Path) -> None:
    path = install(scratch, STARTER)
    data = yaml.safe_load(path.read_text())
    data["use_case"] = "fraud-detection-ml-t0a1b2c"
    bad = scratch / "products" / "startupco-dev-s001-us-east-1-fraud-detection-ml-t0a1b2c-codecommit.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ConfigErrors) as err:
        load_product(bad)
    assert err.value.lines()[0].startswith(f"{bad}: field 'use_case': 'fraud-detection-ml-t0a1b2c' is not valid; ")


@pytest.mark.slow
def test_delete_by_stack_name_needs_the_test_of_tag(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s953"}, as_name=STARTER.replace("s001", "s953"))
    aws = ["--endpoint-url", endpoint]
    cfn = client(endpoint, "cloudformation", "us-east-1")
    # another product's real stack whose name looks like a test copy of A (what `workload: tabc123` used to make)
    lookalike = f"{A}-tabc123"
    cfn.create_stack(StackName=lookalike, Tags=[{"Key": "mlprov:product", "Value": lookalike}], TemplateBody=_one(lookalike))
    assert run_cli(monkeypatch, "delete-product", str(config), "--stack-name", lookalike, "--force", *aws) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"--stack-name {lookalike}: not a test copy of {A} (its stack tag {TEST_OF_TAG} is missing)",
        f"hint: only stacks made by `mlprov test-deploy {config}` can be deleted with --stack-name; "
        f"delete {lookalike} through its own config"]
    assert stack.describe(cfn, lookalike)["StackStatus"] == "CREATE_COMPLETE"  # untouched

    # a test copy of ANOTHER product (tag names that product) is refused too
    other = f"{A}-tbeef00"
    cfn.create_stack(StackName=other, Tags=[{"Key": TEST_OF_TAG, "Value": "someone-else"}], TemplateBody=_one(other))
    assert run_cli(monkeypatch, "delete-product", str(config), "--stack-name", other, "--force", *aws) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"--stack-name {other}: not a test copy of {A} (its stack tag {TEST_OF_TAG} is 'someone-else')")

    # test-deploy tags its copy; its hint names the copy exactly; that copy (and only it) is deleted
    assert run_cli(monkeypatch, "test-deploy", str(config), "--suffix", "t0c0ffe", *aws) == 0
    out = capsys.readouterr().out.splitlines()
    copy = f"{A}-t0c0ffe"
    assert out[-2:] == [f"test stack: {copy}", f"remove it with: mlprov delete-product {config} --stack-name {copy} --force"]
    tags = {t["Key"]: t["Value"] for t in cfn.describe_stacks(StackName=copy)["Stacks"][0]["Tags"]}
    assert tags[TEST_OF_TAG] == A and tags["mlprov:product"] == copy
    logs = sorted((Path(os.environ["MLPROV_REPORTS_DIR"]) / "logs").glob("*-test-deploy.log"))
    audit = json.loads(logs[-1].read_text().split(" INFO mlprov: audit ", 1)[1].splitlines()[0])
    assert (audit["action"], audit["stack"], audit["change_type"], audit["outcome"]) == ("test-deploy", copy, "CREATE", "ok")
    assert run_cli(monkeypatch, "delete-product", str(config), "--stack-name", copy, "--force", *aws) == 0
    assert stack.describe(cfn, copy) is None
    assert stack.describe(cfn, lookalike)["StackStatus"] == "CREATE_COMPLETE"

    # a failed test-deploy: its hint removes that copy by name (it used to name the product's own stack)
    def fail(*_a: object, **_kw: object) -> None:
        raise ClientError({"Error": {"Code": "InternalFailure", "Message": "injected"}}, "ExecuteChangeSet")

    real_guarded = test_deploy.guarded  # the command's clients once the account guard passed

    def guarded(args: object, prod: object) -> object:
        aws_ = real_guarded(args, prod)
        aws_.cfn.execute_change_set = fail
        return aws_

    with monkeypatch.context() as m:
        m.setattr(test_deploy, "guarded", guarded)
        assert run_cli(monkeypatch, "test-deploy", str(config), "--suffix", "t0bad00", *aws) == 3
    broken = f"{A}-t0bad00"
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"hint: fix the cause above; remove this test copy with `mlprov delete-product {config} --stack-name {broken} --force`")
    assert run_cli(monkeypatch, "delete-product", str(config), "--stack-name", broken, "--force", *aws) == 0
    assert stack.describe(cfn, broken) is None
    for name in (lookalike, other):
        cfn.delete_stack(StackName=name)
