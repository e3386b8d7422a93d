"""The seed code's access, through the IAM oracle: the service role reads exactly the seed archives; the deployer
writes absent S3 source keys only with If-None-Match (never an overwrite); the plan principal never writes them."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO
from tests.iam.access_fixtures import failures, principals, product, run, template
from tests.iam.model import Labeled, resource_requests
from tests.iam.oracle import Request

CODECOMMIT = REPO / "products" / "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml"
S3_SOURCE = REPO / "products" / "startupco-dev-s002-us-east-1-fraud-detection-ml-s3.yaml"
TEMPLATES = "arn:aws:s3:::mlprov-templates-123456789012-us-west-2"


def _req(label: str, action: str, arn: str, ctx: dict[str, str] | None = None) -> Labeled:
    return Labeled(label, Request(action, arn, ctx or {}))


def test_the_service_role_reads_the_seed_archives_the_template_names() -> None:
    reads = [x for x in resource_requests(product(CODECOMMIT), template(CODECOMMIT), ("create",))
             if x.request.action.startswith("s3:") and "Repository" in x.label]
    assert sorted(x.label for x in reads) == ["ModelBuildRepository create s3:GetObject on object",
                                              "ModelDeployRepository create s3:GetObject on object"]
    code = template(CODECOMMIT)["Resources"]["ModelBuildRepository"]["Properties"]["Code"]["S3"]
    assert reads[0].request.resource == f"arn:aws:s3:::{code['Bucket']}/{code['Key']}"
    assert failures(run(principals(CODECOMMIT)["cloudformation-service-role"], reads), want_allowed=True) == []


def test_the_service_role_reads_nothing_else_of_the_template_bucket() -> None:
    role = principals(CODECOMMIT)["cloudformation-service-role"]
    denied = [
        _req("a template", "s3:GetObject", f"{TEMPLATES}/templates/{'a' * 64}.json"),
        _req("outside seeds/", "s3:GetObject", f"{TEMPLATES}/seeds-old/x.zip"),
        _req("another region's bucket", "s3:GetObject", f"arn:aws:s3:::mlprov-templates-123456789012-eu-west-1/seeds/{'a' * 64}.zip"),
        _req("a version of a seed (Code names none)", "s3:GetObjectVersion", f"{TEMPLATES}/seeds/{'a' * 64}.zip"),
        _req("writing a seed", "s3:PutObject", f"{TEMPLATES}/seeds/{'a' * 64}.zip"),
    ]
    assert failures(run(role, denied), want_allowed=False) == []


def _source() -> tuple[str, str, str]:
    src = product(S3_SOURCE).config["source"]
    return str(src["bucket"]), str(src["build_key"]), str(src["deploy_key"])


def test_the_deployer_creates_absent_source_keys_but_cannot_overwrite_them() -> None:
    bucket, build, deploy = _source()
    deployer = principals(S3_SOURCE)["deployer"]
    conditional = {"s3:if-none-match": "*"}
    allowed = [_req(f"create {k}", "s3:PutObject", f"arn:aws:s3:::{bucket}/{k}", conditional) for k in (build, deploy)]
    assert failures(run(deployer, allowed), want_allowed=True) == []
    denied = [
        _req("overwrite the build key (no If-None-Match)", "s3:PutObject", f"arn:aws:s3:::{bucket}/{build}"),
        _req("another key of the source bucket", "s3:PutObject", f"arn:aws:s3:::{bucket}/model-build/other.zip", conditional),
        _req("read the team's source", "s3:GetObject", f"arn:aws:s3:::{bucket}/{build}"),
        _req("delete the deploy key", "s3:DeleteObject", f"arn:aws:s3:::{bucket}/{deploy}"),
    ]
    assert failures(run(deployer, denied), want_allowed=False) == []


def test_the_plan_principal_never_writes_the_source_bucket() -> None:
    bucket, build, _deploy = _source()
    plan = principals(S3_SOURCE)["plan"]
    put = [_req("create the build key", "s3:PutObject", f"arn:aws:s3:::{bucket}/{build}", {"s3:if-none-match": "*"})]
    assert failures(run(plan, put), want_allowed=False) == []


def test_a_product_with_seed_false_grants_no_source_write(tmp_path: Path) -> None:
    import yaml
    from mlprov.access.accountroles import statements
    from mlprov.config.loader import load_product

    data = yaml.safe_load(S3_SOURCE.read_text())
    data["source"]["seed"] = False
    path = tmp_path / "products" / S3_SOURCE.name
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data))
    sids = [s.get("Sid") for s in statements("deployer", load_product(path), template(S3_SOURCE))]
    assert "SeedAbsentSourceKeysOnly" not in sids
    assert "SeedAbsentSourceKeysOnly" in [s.get("Sid") for s in statements("deployer", product(S3_SOURCE), template(S3_SOURCE))]


def test_a_code_object_outside_the_seed_archives_is_a_generator_error() -> None:
    import copy

    import pytest
    from mlprov.access.grants import PolicyError
    from mlprov.access.servicerole import statements

    bad = copy.deepcopy(template(CODECOMMIT))
    bad["Resources"]["ModelDeployRepository"]["Properties"]["Code"]["S3"]["Key"] = "templates/x.zip"
    with pytest.raises(PolicyError) as exc:
        statements(product(CODECOMMIT), bad)
    assert str(exc.value) == ("ModelDeployRepository: Code.S3 must name a literal bucket and a key under seeds/ "
                              "(got 'mlprov-templates-123456789012-us-west-2', 'templates/x.zip'); the service role "
                              "reads only seed archives")
