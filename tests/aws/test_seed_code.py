"""Seed code reaches the stack on the strict local endpoint: the CodeCommit repositories are created with it (Code
from the seed archive the deploy path uploads), S3 source keys get it when absent (never overwriting an object)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from mlprov.aws import stack
from mlprov.config.loader import load_product
from mlprov.errors import AwsError, UserError
from mlprov.render.engine import render
from mlprov.seeds import upload
from mlprov.seeds.archive import archive

from tests.aws.cli_support import run_cli
from tests.aws.conftest import REPO, client, install, write_template

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
S3_STARTER = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"
BUCKET = "mlprov-templates-123456789012-us-east-1"  # deploypath.template_bucket_name, made by `mlprov bootstrap`


def _config(scratch: Path, name: str, app: str, edit: dict[str, object] | None = None) -> Path:
    return install(scratch, name, {"app_id": app, **(edit or {})}, as_name=name.replace(name.split("-")[2], app))


def test_a_starter_codecommit_deploy_creates_seeded_repositories(endpoint: str, scratch: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(scratch, STARTER, "s931")
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    assert "stack startupco-dev-s931-use1-fraud-detection-ml: CREATE_COMPLETE" in capsys.readouterr().out
    s3, cc = client(endpoint, "s3", "us-east-1"), client(endpoint, "codecommit", "us-east-1")
    for seed, repo, probe in (("model-build", "model-build", "pipelines/definition.py"),
                              ("model-deploy", "model-deploy", "deploy.py")):
        made = archive(seed)
        head = s3.head_object(Bucket=BUCKET, Key=made.key)
        assert head["ServerSideEncryption"] == "AES256"
        assert head["ContentLength"] == len(made.data)
        name = f"startupco-dev-s931-use1-fraud-detection-ml-{repo}"
        assert cc.get_repository(repositoryName=name)["repositoryMetadata"]["defaultBranch"] == "main"
        branch = cc.get_branch(repositoryName=name, branchName="main")["branch"]
        got = cc.get_file(repositoryName=name, commitSpecifier="main", filePath=probe)
        assert got["commitId"] == branch["commitId"]
        assert got["fileContent"] == (REPO / "seeds" / seed / probe).read_bytes()
        with pytest.raises(cc.exceptions.FileDoesNotExistException):
            cc.get_file(repositoryName=name, filePath="pipelines/nothing.py")


def _newer_seeds(tmp: Path, monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """The seed code of a newer mlprov: a copy of seeds/ with model-build's run.py edited (a new archive key)."""
    import shutil

    from mlprov.render import cache
    from mlprov.seeds import archive as module

    shutil.copytree(REPO / "seeds", tmp / "seeds", ignore=shutil.ignore_patterns("__pycache__"))
    run = tmp / "seeds" / "model-build" / "pipelines" / "run.py"
    run.write_text(run.read_text() + f"# {marker}\n")
    monkeypatch.setenv("MLPROV_SEEDS_DIR", str(tmp / "seeds"))
    module.archive.cache_clear()
    cache.generator_digest.cache_clear()


@pytest.fixture
def restore_seed_cache() -> Iterator[None]:
    """After the test (and after monkeypatch restored MLPROV_SEEDS_DIR): the archives of the real seed code again."""
    from mlprov.render import cache
    from mlprov.seeds import archive as module

    yield
    module.archive.cache_clear()
    cache.generator_digest.cache_clear()


@pytest.mark.usefixtures("restore_seed_cache")
def test_a_seed_change_on_a_deployed_stack_is_an_in_place_modify_and_keeps_the_files(
        endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Code is write-only and used at create only (registry schema): a newer seed archive changes nothing in the
    repository, so the preview must not call it a replacement or a data-loss risk."""
    config = _config(scratch, STARTER, "s932")
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    capsys.readouterr()
    old_key = archive("model-build").key
    _newer_seeds(scratch, monkeypatch, "newer seed code")
    assert archive("model-build").key != old_key
    write_template(config)
    assert run_cli(monkeypatch, "show-changes", str(config), "--endpoint-url", endpoint) == 0
    report = capsys.readouterr().out.split("reports: ", 1)[1].split()[1]
    changes = json.loads(Path(report).read_text())
    rows = {r["logical_id"]: r for r in changes["changes"]}
    assert sorted(rows) == ["ModelBuildRepository"]
    assert rows["ModelBuildRepository"]["action"] == "Modify"
    assert rows["ModelBuildRepository"]["replacement"] == "False"
    assert rows["ModelBuildRepository"]["kind"] == "modify"
    assert changes["data_loss_risk"] == [] and changes["will_fail"] == []
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    assert "UPDATE_COMPLETE" in capsys.readouterr().out
    cc = client(endpoint, "codecommit", "us-east-1")
    name = "startupco-dev-s932-use1-fraud-detection-ml-model-build"
    got = cc.get_file(repositoryName=name, filePath="pipelines/run.py")["fileContent"]
    assert got == (REPO / "seeds" / "model-build" / "pipelines" / "run.py").read_bytes()  # the first commit's


@pytest.mark.usefixtures("restore_seed_cache")
def test_a_repository_whose_seed_object_is_missing_fails_its_create(endpoint: str, scratch: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """As on AWS, CloudFormation cannot create the repository from an object it cannot read: the stack rolls back."""
    config = _config(scratch, STARTER, "s933")
    _newer_seeds(scratch, monkeypatch, "never uploaded")
    missing = archive("model-build").key
    write_template(config)
    monkeypatch.setattr("mlprov.aws.plan.ensure_repository_seeds", lambda _s3, _t: [])  # the upload skipped
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 3
    err = capsys.readouterr().err
    assert "deploy of startupco-dev-s933-use1-fraud-detection-ml failed" in err
    assert f"Code.S3: s3://{BUCKET}/{missing} does not exist" in err


def test_seed_archives_are_uploaded_once_and_a_foreign_key_is_refused(endpoint: str, scratch: Path) -> None:
    config = _config(scratch, STARTER, "s934")
    _text, template = render(load_product(config))
    s3 = client(endpoint, "s3", "us-east-1")
    for p in upload.repository_placements(template):
        s3.delete_object(Bucket=p.bucket, Key=p.key)
    first = upload.ensure_repository_seeds(s3, template)
    assert [(p.bucket, p.key, p.archive.name) for p in first] == [
        (BUCKET, archive("model-build").key, "model-build"), (BUCKET, archive("model-deploy").key, "model-deploy")]
    assert upload.ensure_repository_seeds(s3, template) == []  # content-addressed: already there
    assert s3.get_object(Bucket=BUCKET, Key=archive("model-deploy").key)["Body"].read() == archive("model-deploy").data
    template["Resources"]["ModelBuildRepository"]["Properties"]["Code"]["S3"]["Key"] = "seeds/other.zip"
    with pytest.raises(UserError) as exc:
        upload.ensure_repository_seeds(s3, template)
    assert exc.value.message.startswith("ModelBuildRepository: Code.S3 names 'seeds/other.zip', which is not a seed "
                                        "archive of this mlprov (it builds seeds/")
    assert exc.value.hint == "re-render with `mlprov render` (the seed code or mlprov changed since)"


def test_without_the_template_bucket_the_upload_says_to_bootstrap(endpoint: str, scratch: Path) -> None:
    config = _config(scratch, STARTER, "s935")
    _text, template = render(load_product(config))
    for res in template["Resources"].values():
        if res["Type"] == "AWS::CodeCommit::Repository":
            res["Properties"]["Code"]["S3"]["Bucket"] = "mlprov-templates-999999999999-us-east-1"
    with pytest.raises(UserError) as exc:
        upload.ensure_repository_seeds(client(endpoint, "s3", "us-east-1"), template)
    assert exc.value.message == ("bucket mlprov-templates-999999999999-us-east-1 does not exist: "
                                 "ModelBuildRepository seed (model-build) goes there")
    assert exc.value.hint == ("run `mlprov bootstrap` for this account and region (it creates the bucket the "
                              "repositories' seed code is read from)")


def _source(config: Path) -> dict[str, str]:
    return dict(yaml.safe_load(config.read_text())["source"])


def test_an_s3_source_deploy_seeds_absent_keys_and_keeps_a_users_object(endpoint: str, scratch: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(scratch, S3_STARTER, "s936")
    src = _source(config)
    s3 = client(endpoint, "s3", "us-east-1")
    s3.delete_object(Bucket=src["bucket"], Key=src["build_key"])
    s3.put_object(Bucket=src["bucket"], Key=src["deploy_key"], Body=b"the team's own deploy code")
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    out = capsys.readouterr().out
    build, deploy = f"s3://{src['bucket']}/{src['build_key']}", f"s3://{src['bucket']}/{src['deploy_key']}"
    assert f"seeded {build} with the model-build seed code ({archive('model-build').sha256[:12]})" in out
    assert f"kept {deploy}: it exists, not overwritten by the seed code" in out
    assert out.index(f"seeded {build}") < out.index("executing change set")  # before the pipelines start
    got = s3.get_object(Bucket=src["bucket"], Key=src["build_key"])
    assert got["Body"].read() == archive("model-build").data and got["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=src["bucket"], Key=src["deploy_key"])["Body"].read() == b"the team's own deploy code"
    # an update never seeds: the pipelines exist, and a new key would start them
    s3.delete_object(Bucket=src["bucket"], Key=src["build_key"])
    data = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**data, "tags": {**(data.get("tags") or {}), "iteration": "second"}}, sort_keys=False))
    write_template(config)
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    out = capsys.readouterr().out
    assert "UPDATE_COMPLETE" in out and "seeded s3://" not in out and "kept s3://" not in out
    with pytest.raises(s3.exceptions.ClientError):
        s3.head_object(Bucket=src["bucket"], Key=src["build_key"])


def test_seed_false_leaves_the_source_bucket_alone(endpoint: str, scratch: Path) -> None:
    config = _config(scratch, S3_STARTER, "s937")
    src = {**_source(config), "seed": False}
    data = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**data, "source": src}, sort_keys=False))
    s3 = client(endpoint, "s3", "us-east-1")
    s3.delete_object(Bucket=src["bucket"], Key=src["build_key"])
    out: list[str] = []

    class Sink:
        def write(self, text: str) -> int:
            out.append(text)
            return len(text)

    upload.seed_sources(s3, load_product(config), Sink())  # type: ignore[arg-type]
    assert out == []
    with pytest.raises(s3.exceptions.ClientError):
        s3.head_object(Bucket=src["bucket"], Key=src["build_key"])


def test_a_denied_source_write_names_the_policy_and_the_opt_out(scratch: Path) -> None:
    from botocore.exceptions import ClientError

    config = _config(scratch, S3_STARTER, "s938")

    class Denying:
        def put_object(self, **_kw: object) -> None:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "PutObject")

    with pytest.raises(AwsError) as exc:
        upload.seed_sources(Denying(), load_product(config), None)  # type: ignore[arg-type]
    src = _source(config)
    assert exc.value.message == (f"s3://{src['bucket']}/{src['build_key']}: access denied writing "
                                 "source.build_key (model-build seed)")
    assert exc.value.hint == ("the deployer needs s3:PutObject on it: see `mlprov create-policy CONFIG`; "
                              "or set source.seed: false and upload the seed code yourself")


def test_without_the_template_bucket_the_forecast_refuses_a_codecommit_product(
        endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Even an inline template needs the bucket: the repositories are created from the seed archives in it."""
    config = install(scratch, STARTER, {"app_id": "s939", "region": "us-east-2"},
                     as_name=STARTER.replace("s001-us-east-1", "s939-us-east-2"), template_bucket=False)
    assert run_cli(monkeypatch, "forecast", str(config), "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("  MLPROV-F002 blocker: template bucket mlprov-templates-123456789012-us-east-2 does not exist, and "
                      "the CodeCommit repositories are created from the seed code uploaded there (fix: run `mlprov "
                      "bootstrap` for this account and region)")
    # forced past the forecast, the seed upload itself says why, before any change set
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "hint: run `mlprov bootstrap` for this account and region (it creates the bucket the repositories' seed code is "
        "read from)")
    assert stack.describe(client(endpoint, "cloudformation", "us-east-2"), "startupco-dev-s939-use2-fraud-detection-ml") is None
