"""The names the role policies are scoped to: the job prefix never covers a sibling product, the image registry is
known for the region (else validation says which field and what to do), and the boundary merge keeps its promise."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import yaml
from mlprov.config.loader import validate_data
from mlprov.config.names import Names
from mlprov.render import images, roles

from tests.conftest import PRODUCTS, REPO


def test_job_prefix_patterns_never_match_the_sibling_product() -> None:
    for prefix in ("startupco-dev-s001-use1-fraud-detection-ml", "a-b-c-d-e", "x" * 60):
        mine, blue = Names(prefix, "123456789012").job_prefix, Names(prefix + "-blue", "123456789012").job_prefix
        assert mine != blue and len(mine) <= 23 and len(blue) <= 23
        assert not fnmatch.fnmatchcase(f"{blue}-exec-token-0", f"{mine}-*")
        assert not fnmatch.fnmatchcase(f"{mine}-exec-token-0", f"{blue}-*")
        assert Names(prefix, "123456789012").staging_endpoint == f"{mine}-staging"


def test_an_unknown_region_fails_validation_naming_the_field(tmp_path: Path) -> None:
    path = next(p for p in PRODUCTS if p.name.startswith("techcorp-prod-a001") and "-wl-" not in p.name)
    data = yaml.safe_load(path.read_text())
    data["region"] = "il-central-1"
    problems = validate_data(tmp_path / path.name.replace("us-west-2", "il-central-1"), data)
    assert any(p.startswith("field 'region': no SageMaker scikit-learn image registry is recorded for 'il-central-1'")
               for p in problems), problems
    assert images.sklearn_repository_arn("mars-north-1") == (
        "arn:aws:ecr:mars-north-1:no-registry-for-region:repository/sagemaker-scikit-learn")  # fails closed
    assert images.sklearn_image_uri("eu-west-1") == (
        "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3")
    assert (REPO / "generator" / "render" / "images.py").is_file()


def test_boundary_merge_keeps_services_apart_except_shared_ones() -> None:
    s3 = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::a/*"]}
    s3b = {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::b/*"]}
    sm1 = {"Effect": "Allow", "Action": ["sagemaker:CreateModel"], "Resource": ["arn:aws:sagemaker:r:1:model/p-*"]}
    sm2 = {"Effect": "Allow", "Action": ["sagemaker:CreateEndpoint"], "Resource": ["arn:aws:sagemaker:r:1:endpoint/p-*"]}
    star = {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}
    out = roles.merged([s3, s3b, sm1, sm2, star])
    # s3 statements stay apart (PutObject must not reach bucket a); sagemaker ones merge; "*" never merges.
    assert {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::b/*"]} in out
    assert star in out and len(out) == 3
    merged = next(st for st in out if "s3:GetObject" in st["Action"])
    assert merged["Action"] == ["s3:GetObject", "sagemaker:CreateEndpoint", "sagemaker:CreateModel"]
