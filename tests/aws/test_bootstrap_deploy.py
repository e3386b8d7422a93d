"""``mlprov bootstrap --deploy`` on the strict local endpoint: region stack (bucket) first, then a service-role stack per
product, then the account stack, which is over the 51,200-byte inline limit and so goes by TemplateURL through the
bucket (the strict endpoint refuses such a TemplateBody); a re-run changes nothing; failures are one line."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from mlprov.access import deploybootstrap
from mlprov.access.bootstrap import BootstrapStack, stacks
from mlprov.access.trust import TrustSettings
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.errors import UserError
from mlprov.render.engine import render

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install

REGION = "ca-central-1"  # no other test uses it: its bucket and stacks are this module's alone
BUCKET = f"mlprov-templates-123456789012-{REGION}"
BASES = ["globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct",
         "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm",
         "globalbank-prod-b004-eu-west-1-demand-forecasting-ml-codecommit-existing-direct",
         "globalbank-prod-b005-eu-west-1-demand-forecasting-ml-codecommit-standalone-ssm",
         "globalbank-prod-b006-eu-west-1-demand-forecasting-ml-s3-existing-direct",
         "globalbank-prod-b007-eu-west-1-demand-forecasting-ml-s3-existing-ssm"]


def _configs(scratch: Path, region: str, first_app: int) -> list[Path]:
    out = []
    for i, name in enumerate(BASES):
        app = f"b{first_app + i}"
        old = name.split("-demand")[0].removeprefix("globalbank-prod-")  # e.g. b002-eu-west-1
        out.append(install(scratch, name, {"app_id": app, "region": region}, seed_buckets_too=False,
                           as_name=name.replace(old, f"{app}-{region}")))
    return out


@pytest.mark.slow
def test_bootstrap_deploys_in_order_through_the_bucket_and_a_rerun_changes_nothing(
        endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    configs = _configs(scratch, REGION, 981)
    assert run_cli(monkeypatch, "bootstrap", *map(str, configs), "--deploy", "--endpoint-url", endpoint) == 0
    out = capsys.readouterr().out.splitlines()
    started = [line.split(":")[0] for line in out if ": CREATE with " in line]
    stacks_prefix = "mlprov-bootstrap-globalbank-prod-b98"
    assert started == [f"mlprov-bootstrap-123456789012-{REGION}",
                       *[f"{stacks_prefix}{i}-cac1-demand-forecasting-ml" for i in range(1, 7)],
                       "mlprov-bootstrap-123456789012"]
    [account_line] = [line for line in out if line.startswith("mlprov-bootstrap-123456789012: CREATE")]
    url_prefix = f"TemplateURL https://{BUCKET}.s3.{REGION}.amazonaws.com/templates/"
    assert url_prefix in account_line  # over the inline limit: through the region stack's bucket
    key = "templates/" + account_line.split("/templates/")[1]
    obj = client(endpoint, "s3", REGION).get_object(Bucket=BUCKET, Key=key)
    data = obj["Body"].read()
    assert len(data) > 51_200 and key == f"templates/{hashlib.sha256(data).hexdigest()}.json"
    assert obj["ServerSideEncryption"] == "AES256"
    iam = client(endpoint, "iam", REGION)
    account = json.loads(data)["Resources"]
    for role, logical in (("mlprov-deploy", "MlprovDeploy"), ("mlprov-plan", "MlprovPlan"), ("mlprov-drift", "MlprovDrift")):
        assert iam.get_role(RoleName=role)["Role"]["Path"] == "/mlprov/"
        attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        assert len(attached) == len(account[logical]["Properties"]["ManagedPolicyArns"]) >= 2
    for i in range(1, 7):
        name = f"globalbank-prod-b98{i}-cac1-demand-forecasting-ml-cfn"
        assert iam.get_role(RoleName=name)["Role"]["Arn"] == f"arn:aws:iam::123456789012:role/mlprov/{name}"
        assert iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    # again: nothing to do
    assert run_cli(monkeypatch, "bootstrap", *map(str, configs), "--deploy", "--endpoint-url", endpoint) == 0
    again = capsys.readouterr().out.splitlines()
    assert [line for line in again if line.startswith("mlprov-bootstrap-")] == [
        f"{s}: no changes" for s in [f"mlprov-bootstrap-123456789012-{REGION}",
                                     *[f"{stacks_prefix}{i}-cac1-demand-forecasting-ml" for i in range(1, 7)],
                                     "mlprov-bootstrap-123456789012"]]
    assert again[-1] == "8 bootstrap stack(s) deployed"


def _account_stack(scratch: Path, region: str, first_app: int) -> BootstrapStack:
    products = [load_product(p) for p in _configs(scratch, region, first_app)]
    return stacks([(p, render(p)[1]) for p in products], TrustSettings())[-1]


def test_the_strict_endpoint_refuses_the_account_template_inline(endpoint: str, scratch: Path) -> None:
    """What the TemplateURL path avoids: the same template as TemplateBody is refused (so the test above can fail)."""
    boot = _account_stack(scratch, "sa-east-1", 961)
    body = json.dumps(boot.template, separators=(",", ":"))
    assert len(body) > 51_200
    cfn = client(endpoint, "cloudformation", "sa-east-1")
    with pytest.raises(Exception, match="Member must have length less than or equal to 51200"):
        cfn.create_change_set(StackName=boot.name, ChangeSetName="inline", TemplateBody=body, ChangeSetType="CREATE",
                              Capabilities=["CAPABILITY_NAMED_IAM"])


def test_without_the_bucket_stack_the_account_stack_is_refused_in_one_line(
        endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    configs = _configs(scratch, "ap-northeast-3", 971)
    # only the account stack: as when the region stack was never deployed in this region
    monkeypatch.setattr("mlprov.commands.bootstrap.stacks", lambda *a, **k: stacks(*a, **k)[-1:])
    assert run_cli(monkeypatch, "bootstrap", *map(str, configs), "--deploy", "--endpoint-url", endpoint) == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert len(err) == 2 and "Traceback" not in captured.err
    assert err[0].startswith("bootstrap stack mlprov-bootstrap-123456789012: its template (")
    assert err[0].endswith(" bytes) is over the 51,200-byte inline limit and goes through bucket "
                           "mlprov-templates-123456789012-ap-northeast-3, but stack mlprov-bootstrap-123456789012-ap-northeast-3 "
                           "(which creates the bucket) does not exist in ap-northeast-3")
    assert err[1] == ("hint: run `mlprov bootstrap --deploy` with every config of this account: it deploys the region "
                      "stacks first")
    assert client(endpoint, "cloudformation", "ap-northeast-3").list_stacks()["StackSummaries"] == []


class _OtherAccount:
    def get_caller_identity(self) -> dict[str, str]:
        return {"Account": "210987654321", "Arn": "arn:aws:iam::210987654321:user/admin"}


def test_credentials_of_another_account_are_refused_before_any_change() -> None:
    boot = BootstrapStack("mlprov-bootstrap-123456789012-eu-west-1", "123456789012-eu-west-1", "eu-west-1",
                          {"Metadata": {"MlProvisioner": {"AccountId": "123456789012"}}, "Resources": {}})
    aws = Aws(Target(region="eu-west-1"))
    aws._clients["sts"] = _OtherAccount()
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(deploybootstrap, "Aws", lambda target: aws)
    try:
        with pytest.raises(UserError) as err:
            deploybootstrap.deploy_all([boot], None, None, io.StringIO())
    finally:
        monkeypatch.undo()
    assert err.value.lines() == [
        "bootstrap stack mlprov-bootstrap-123456789012-eu-west-1 is for account 123456789012 but the credentials are for "
        "account 210987654321 (arn:aws:iam::210987654321:user/admin)",
        "hint: use an administrator's credentials of account 123456789012 (--profile or AWS_PROFILE)"]


class _RolledBack:
    def describe_stacks(self, StackName: str) -> dict[str, object]:
        return {"Stacks": [{"StackName": StackName, "StackStatus": "ROLLBACK_COMPLETE"}]}


def test_a_stack_whose_first_create_failed_is_refused_with_the_fix() -> None:
    boot = BootstrapStack("mlprov-bootstrap-123456789012", "123456789012", "eu-west-1",
                          {"Metadata": {"MlProvisioner": {"AccountId": "123456789012"}}, "Resources": {}})
    aws = Aws(Target(region="eu-west-1"))
    aws._clients["cloudformation"] = _RolledBack()
    with pytest.raises(UserError) as err:
        deploybootstrap.deploy_stack(aws, boot, io.StringIO())
    assert err.value.lines() == [
        "bootstrap stack mlprov-bootstrap-123456789012 is ROLLBACK_COMPLETE (its first create failed) and cannot be updated",
        "hint: see why in its events, delete it (aws cloudformation delete-stack --stack-name mlprov-bootstrap-123456789012), "
        "then run `mlprov bootstrap --deploy` again"]
