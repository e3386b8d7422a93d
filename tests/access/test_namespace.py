"""Name-space compression, merging and packing of the account roles' statements (hostile names included)."""

from __future__ import annotations

import json

import pytest
from mlprov.access.grants import PolicyError
from mlprov.access.namespace import compress, compress_arn, covers, drop_covered, merge
from mlprov.access.packing import pack_statements, split
from mlprov.access.principals import iam_size

P = "acme-prod-a001-use1-churn"
R = "arn:aws:codebuild:us-east-1:123456789012:project"


@pytest.mark.parametrize(("arn", "expected"), [
    (f"{R}/{P}-build", f"{R}/{P}-*"),
    (f"{R}/{P}-t??????-build", f"{R}/{P}-*"),
    (f"arn:aws:cloudformation:us-east-1:123456789012:stack/{P}/*", f"arn:aws:cloudformation:us-east-1:123456789012:stack/{P}/*"),
    (f"arn:aws:ssm:us-east-1:123456789012:parameter/mlprov/{P}/BucketName",
     f"arn:aws:ssm:us-east-1:123456789012:parameter/mlprov/{P}/*"),
    (f"arn:aws:logs:us-east-1:123456789012:log-group:/mlprov/{P}/compliance:*",
     f"arn:aws:logs:us-east-1:123456789012:log-group:/mlprov/{P}/*"),
    (f"arn:aws:s3:::{P}-12345678-7e6a5e", f"arn:aws:s3:::{P}-*"),
    # kept exact: the name ends at the prefix, continues it, or the prefix is inside another name
    (f"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/{P}",
     f"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/{P}"),
    (f"{R}/{P}x-build", f"{R}/{P}x-build"),
    (f"{R}/evil-{P}-build", f"{R}/evil-{P}-build"),
    ("arn:aws:s3:::mlprov-templates-123456789012-us-east-1/templates/*",
     "arn:aws:s3:::mlprov-templates-123456789012-us-east-1/templates/*"),
    ("arn:aws:kms:us-east-1:123456789012:key/*", "arn:aws:kms:us-east-1:123456789012:key/*"),
    ("*", "*"),
    # the product's name in the account field or service is not its name space
    (f"arn:aws:{P}:us-east-1:123456789012:x", f"arn:aws:{P}:us-east-1:123456789012:x"),
])
def test_compress_arn(arn: str, expected: str) -> None:
    assert compress_arn(arn, P) == expected


def test_pass_role_statements_stay_exact_and_others_compress() -> None:
    statements = [
        {"Sid": "A", "Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::123456789012:role/mlprov/{P}-cfn",
         "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}},
        {"Sid": "B", "Effect": "Allow", "Action": ["iam:GetRole"], "Resource": [
            f"arn:aws:iam::123456789012:role/mlprov/{P}-codebuild", f"arn:aws:iam::123456789012:role/mlprov/{P}-events"]},
    ]
    out = compress(statements, P)
    assert out[0]["Resource"] == [f"arn:aws:iam::123456789012:role/mlprov/{P}-cfn"]
    assert out[1]["Resource"] == [f"arn:aws:iam::123456789012:role/mlprov/{P}-*"]


def test_covers_is_literal_prefix_of_a_trailing_star() -> None:
    assert covers(f"{R}/{P}-*", f"{R}/{P}-blue-*")
    assert covers(f"{R}/{P}-*", f"{R}/{P}-t??????-build")
    assert not covers(f"{R}/{P}-*", f"{R}/{P}x-*")
    assert not covers(f"{R}/{P}-build", f"{R}/{P}-build-x")  # no trailing star: exact
    assert not covers(f"{R}/{P}-*", f"{R}/{P}-*")  # itself
    assert drop_covered([f"{R}/{P}-*", f"{R}/{P}-blue-*", f"{R}/{P}x-*"]) == [f"{R}/{P}-*", f"{R}/{P}x-*"]


def _st(actions: list[str], resources: list[str], condition: dict[str, object] | None = None) -> dict[str, object]:
    st: dict[str, object] = {"Sid": "X", "Effect": "Allow", "Action": actions, "Resource": resources}
    if condition:
        st["Condition"] = condition
    return st


def test_merge_unions_actions_per_resource_and_joins_tag_values_of_equal_statements() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/*"
    a = [_st(["kms:DescribeKey"], [key], {"StringLike": {"aws:ResourceTag/mlprov:product": ["a", "a-t??????"]}}),
         _st(["codebuild:BatchGetProjects"], [f"{R}/a-*"])]
    b = [_st(["kms:DescribeKey"], [key], {"StringLike": {"aws:ResourceTag/mlprov:product": ["b", "b-t??????"]}}),
         _st(["codebuild:BatchGetProjects"], [f"{R}/b-*"])]
    out = merge([a, b])
    assert out == [
        {"Sid": "CodebuildInTheProductsNameSpaces", "Effect": "Allow", "Action": "codebuild:BatchGetProjects",
         "Resource": [f"{R}/a-*", f"{R}/b-*"]},
        {"Sid": "KmsConditioned", "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": key,
         "Condition": {"StringLike": {"aws:ResourceTag/mlprov:product": ["a", "a-t??????", "b", "b-t??????"]}}}]


def test_merge_never_joins_negated_or_multi_key_conditions_or_different_resources() -> None:
    stack = "arn:aws:cloudformation:us-east-1:123456789012:stack"
    a = [_st(["cloudformation:CreateChangeSet"], [f"{stack}/a/*"], {"StringEquals": {"cloudformation:RoleArn": "role-a"}}),
         _st(["s3:GetObject"], ["arn:aws:s3:::x/*"], {"StringNotEquals": {"aws:ResourceTag/k": "1"}})]
    b = [_st(["cloudformation:CreateChangeSet"], [f"{stack}/b/*"], {"StringEquals": {"cloudformation:RoleArn": "role-b"}}),
         _st(["s3:GetObject"], ["arn:aws:s3:::x/*"], {"StringNotEquals": {"aws:ResourceTag/k": "2"}})]
    out = merge([a, b])
    pairs = sorted((st["Resource"], json.dumps(st["Condition"])) for st in out)
    assert pairs == sorted([
        ("arn:aws:s3:::x/*", '{"StringNotEquals": {"aws:ResourceTag/k": "1"}}'),
        ("arn:aws:s3:::x/*", '{"StringNotEquals": {"aws:ResourceTag/k": "2"}}'),
        (f"{stack}/a/*", '{"StringEquals": {"cloudformation:RoleArn": "role-a"}}'),
        (f"{stack}/b/*", '{"StringEquals": {"cloudformation:RoleArn": "role-b"}}')])


def test_a_statement_too_large_alone_is_split_by_resources_then_by_condition_values() -> None:
    many = _st(["codebuild:BatchGetProjects"], [f"{R}/product-{i:04d}-*" for i in range(200)])
    many["Sid"] = "Many"
    parts = split(many)
    assert len(parts) > 1 and all(iam_size({"Version": "2012-10-17", "Statement": [p]}) <= 6144 for p in parts)
    assert sorted(r for p in parts for r in p["Resource"]) == sorted(many["Resource"])  # type: ignore[arg-type]
    tags = _st(["kms:DescribeKey"], ["*"], {"StringLike": {"aws:ResourceTag/mlprov:product": [f"p{i:04d}" * 5 for i in range(400)]}})
    tags["Sid"] = "Tags"
    parts = split(tags)
    assert len(parts) > 1
    values = [v for p in parts for v in p["Condition"]["StringLike"]["aws:ResourceTag/mlprov:product"]]  # type: ignore[index]
    assert sorted(values) == sorted(tags["Condition"]["StringLike"]["aws:ResourceTag/mlprov:product"])  # type: ignore[index]
    single = _st(["kms:DescribeKey"], ["arn:aws:kms:us-east-1:123456789012:key/" + "x" * 7000])
    single["Sid"] = "Huge"
    with pytest.raises(PolicyError, match="statement Huge alone exceeds 6144 characters and cannot be split"):
        split(single)


def test_packing_fills_policies_to_the_limit_and_refuses_past_the_count() -> None:
    statements = [{**_st(["codebuild:BatchGetProjects"], [f"{R}/p{i:03d}-{j}-*" for j in range(20)]), "Sid": f"S{i:03d}"}
                  for i in range(40)]
    docs = pack_statements(statements, "role r")
    assert all(iam_size(d) <= 6144 for d in docs)
    assert sum(len(d["Statement"]) for d in docs) == 40
    size = iam_size(statements[0])
    per_policy = (6144 - iam_size({"Version": "2012-10-17", "Statement": []}) + 1) // (size + 1)
    assert len(docs) == -(-40 // per_policy)  # equal statements: each policy holds as many as fit
    with pytest.raises(PolicyError, match=rf"^role r: {len(docs)} managed policies, over IAM's 2 per role$"):
        pack_statements(statements, "role r", max_policies=2)
