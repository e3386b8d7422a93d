"""PATHS -> products: configs, names, templates and product folders; unknown or unrendered products are bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.errors import UserError
from mlprov.gates.targets import resolve_targets
from mlprov.paths import Repo

from tests.conftest import PRODUCTS

NAME = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"
OTHER = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"


@pytest.mark.parametrize(
    "arg",
    [
        f"products/{NAME}.yaml",
        NAME,
        f"{NAME}.yaml",
        f"products/{NAME}/template.yaml",
        f"products/{NAME}/access/deployer.json",  # what the pre-commit hook passes for a staged access file
        f"products/{NAME}",
        f"products/{NAME}/",
    ],
)
def test_each_kind_of_path_maps_to_its_product(repo_copy: Path, arg: str) -> None:
    (target,) = resolve_targets(Repo(repo_copy), [arg])
    assert target.product == NAME
    assert target.rel == f"products/{NAME}/template.yaml"
    assert target.template == (repo_copy / target.rel).resolve()
    assert target.tier == "starter" and target.region == "us-east-1"
    assert "AWS::CodeBuild::Project" in target.resource_types


def test_absolute_paths_and_cwd_relative_paths_work(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo_copy / "products")
    targets = resolve_targets(Repo(repo_copy), [f"{NAME}.yaml", str(repo_copy / "products" / OTHER / "template.yaml")])
    assert [t.product for t in targets] == sorted([NAME, OTHER])


def test_duplicates_collapse_and_no_paths_means_every_product(repo_copy: Path) -> None:
    repo = Repo(repo_copy)
    assert [t.product for t in resolve_targets(repo, [NAME, f"products/{NAME}.yaml"])] == [NAME]
    assert [t.product for t in resolve_targets(repo, [])] == [p.stem for p in PRODUCTS]


def test_unknown_product_is_bad_input(repo_copy: Path) -> None:
    with pytest.raises(UserError) as err:
        resolve_targets(Repo(repo_copy), ["no-such-product"])
    assert err.value.message == (
        f"no-such-product: not a product config, product name, template or product folder under {repo_copy / 'products'}"
    )
    assert err.value.exit_code == 2


def test_a_file_outside_products_is_bad_input(repo_copy: Path) -> None:
    (repo_copy / "elsewhere.yaml").write_text("a: 1\n")
    with pytest.raises(UserError, match=r"^elsewhere.yaml: not a product config"):
        resolve_targets(Repo(repo_copy), ["elsewhere.yaml"])


def test_a_product_without_its_rendering_is_bad_input(repo_copy: Path) -> None:
    template = repo_copy / "products" / NAME / "template.yaml"
    template.unlink()
    with pytest.raises(UserError) as err:
        resolve_targets(Repo(repo_copy), [NAME])
    assert err.value.message == f"{template}: template missing for product {NAME}"
    assert err.value.hint == f"run 'mlprov render {NAME}' first"


def test_short_form_intrinsics_parse_and_broken_yaml_has_no_doc(repo_copy: Path) -> None:
    template = repo_copy / "products" / NAME / "template.yaml"
    template.write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-q'\n")
    (target,) = resolve_targets(Repo(repo_copy), [NAME])
    queue = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "${AWS::StackName}-q"}}}
    assert target.doc == {"Resources": {"Q": queue}}
    template.write_text("Resources: [\n")
    (target,) = resolve_targets(Repo(repo_copy), [NAME])
    assert target.doc is None and target.resource_types == set() and target.tier == ""
