"""source.type: connection: the schema's and the loader's exact messages (bad ARN, other account or partition,
missing or malformed repository), and what is accepted (the old codestar-connections form, another region)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.config import connection
from mlprov.config.loader import load_product
from mlprov.errors import ConfigErrors

from tests.conftest import REPO

PRO = REPO / "products" / "techcorp-prod-a003-us-west-2-customer-churn-ml-connection.yaml"
UUID = "8c3d9e2f-1a4b-4c5d-8e6f-7a8b9c0d1e2f"
ARN_FIX = ("use the connection's ARN, arn:aws:codeconnections:<region>:<account>:connection/<uuid> (or the older "
           "arn:aws:codestar-connections:... form), e.g. "
           "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789")
REPO_FIX = "use owner/name as the provider shows it (GitLab groups: group/subgroup/name), e.g. my-org/model-build"


def _with_source(tmp_path: Path, name: str = PRO.name, **changes: Any) -> Path:
    data = yaml.safe_load(PRO.read_text())
    for key, value in changes.items():
        if value is None:
            data["source"].pop(key)
        else:
            data["source"][key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as info:
        load_product(path)
    return info.value.problems


@pytest.mark.parametrize("arn", [
    f"arn:aws:codecommit:us-east-1:123456789012:connection/{UUID}",  # another service
    "arn:aws:codeconnections:us-east-1:123456789012:connection/abc",  # no UUID
    f"arn:aws:codeconnections:us-east-1:12345678901:connection/{UUID}",  # 11-digit account
    f"arn:aws:codeconnections:us-east-1:123456789012:host/{UUID}",  # a host, not a connection
    f"arn:aws:codeconnections:mars-east-1:123456789012:connection/{UUID}",  # no region
    f"arn:aws:codeconnections:us-east-1:123456789012:connection/{UUID}\n",  # trailing newline
])
def test_a_malformed_arn_is_refused_with_the_fix(tmp_path: Path, arn: str) -> None:
    (line,) = _problems(_with_source(tmp_path, connection_arn=arn))
    shown = repr(arn) if len(repr(arn)) <= 60 else repr(arn)[:57] + "..."
    assert line == f"field 'source.connection_arn': {shown} is not valid; {ARN_FIX}"


def test_a_connection_of_another_account_is_refused(tmp_path: Path) -> None:
    arn = f"arn:aws:codeconnections:us-east-1:210987654321:connection/{UUID}"
    assert _problems(_with_source(tmp_path, connection_arn=arn)) == [
        "field 'source.connection_arn': the connection belongs to account 210987654321 but the product deploys to "
        "123456789012; use a connection created in account 123456789012"]


def test_a_connection_of_another_partition_is_refused(tmp_path: Path) -> None:
    arn = f"arn:aws-cn:codeconnections:us-east-1:123456789012:connection/{UUID}"
    assert _problems(_with_source(tmp_path, connection_arn=arn)) == [
        "field 'source.connection_arn': the ARN's partition is 'aws-cn' but region us-west-2 is in 'aws'; "
        "use a connection ARN starting arn:aws:"]


def test_another_region_and_the_old_form_are_accepted(tmp_path: Path) -> None:
    """Connections are global ("Global resources in AWS CodeConnections"): the ARN's region is where it was made."""
    arn = f"arn:aws:codestar-connections:eu-central-1:123456789012:connection/{UUID}"
    product = load_product(_with_source(tmp_path, connection_arn=arn))
    assert product.source == "connection" and product.region == "us-west-2"
    assert connection.parse(arn).use_actions == ["codestar-connections:UseConnection"]
    assert connection.parse(arn).pass_action == "codestar-connections:PassConnection"
    assert connection.parse(arn.replace("codestar-connections", "codeconnections")).use_actions == [
        "codeconnections:UseConnection"]


@pytest.mark.parametrize("field", ["connection_arn", "build_repository", "deploy_repository"])
def test_a_missing_field_names_it_and_the_fix(tmp_path: Path, field: str) -> None:
    hint = {"connection_arn": f"ARN of the AVAILABLE CodeConnections connection to the Git provider; {ARN_FIX}",
            "build_repository": f"model-build repository as owner/name; {REPO_FIX}",
            "deploy_repository": f"model-deploy repository as owner/name; {REPO_FIX}"}[field]
    assert _problems(_with_source(tmp_path, **{field: None})) == [f"field 'source.{field}' is missing: add it ({hint})"]


@pytest.mark.parametrize("value", ["just-a-name", "owner/", "/name", "owner//name", "owner/na me", "o/" + "n" * 200,
                                   "owner/name\n"])
def test_a_malformed_repository_is_refused(tmp_path: Path, value: str) -> None:
    (line,) = _problems(_with_source(tmp_path, build_repository=value))
    assert line.startswith("field 'source.build_repository': ")
    assert line.endswith(REPO_FIX) or "at most 200 characters" in line


def test_one_repository_for_both_is_refused(tmp_path: Path) -> None:
    assert _problems(_with_source(tmp_path, deploy_repository="techcorp/ml/churn-model-build")) == [
        "field 'source.deploy_repository': it names the same repository as build_repository; "
        "model-build and model-deploy need two repositories"]


def test_fields_of_other_sources_and_a_bad_branch(tmp_path: Path) -> None:
    assert _problems(_with_source(tmp_path, bucket="x")) == [
        "field 'source.bucket' is not a known field: remove it or fix its spelling "
        "(known fields here: branch, build_repository, connection_arn, deploy_repository, type)"]
    assert _problems(_with_source(tmp_path, branch="-rf")) == [
        "field 'source.branch': '-rf' is not valid; use a git branch name such as main"]


def test_the_file_name_carries_the_connection_token(tmp_path: Path) -> None:
    path = _with_source(tmp_path, name=PRO.name.replace("-connection", "-s3"))
    assert _problems(path) == [
        "field 'source.type': the file name says 's3' but the config says 'connection'; make them agree "
        "(expected file name: techcorp-prod-a003-us-west-2-customer-churn-ml-connection.yaml)"]
