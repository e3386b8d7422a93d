"""Memoized policy derivation gives what the unmemoized code gave: incremental policy packing, the ARN-format
literal prefilter, handler filtering by (type, set properties), and no result shared between callers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mlprov.access import handlers, iamref
from mlprov.access.grants import PolicyError
from mlprov.access.principals import MANAGED_POLICY_LIMIT, MAX_POLICIES, _doc, iam_size, pack


def _pack_reference(statements: list[dict[str, Any]], name: str, limit: int) -> list[dict[str, Any]]:
    """The packing loop before it added sizes instead of re-serialising the growing document."""
    docs: list[list[dict[str, Any]]] = [[]]
    for st_ in statements:
        if iam_size(_doc([st_])) > limit:
            raise PolicyError(f"{name}: statement {st_['Sid']} alone exceeds {limit} characters")
        if docs[-1] and iam_size(_doc([*docs[-1], st_])) > limit:
            docs.append([])
        docs[-1].append(st_)
    if len(docs) > MAX_POLICIES:
        raise PolicyError(f"{name}: {len(docs)} managed policies, over IAM's {MAX_POLICIES} per role")
    return [_doc(d) for d in docs if d]


statement = st.builds(
    lambda sid, acts, res: {"Sid": sid, "Effect": "Allow", "Action": acts, "Resource": res},
    st.text(min_size=1, max_size=8), st.lists(st.text(max_size=30), min_size=1, max_size=6),
    st.one_of(st.just("*"), st.lists(st.text(max_size=60), min_size=1, max_size=5)))


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except PolicyError as exc:
        return str(exc)


@settings(max_examples=300)
@given(st.lists(statement, max_size=40), st.integers(min_value=40, max_value=900))
def test_pack_equals_the_reserialising_loop(statements: list[dict[str, Any]], limit: int) -> None:
    assert _outcome(pack, statements, "role", limit) == _outcome(_pack_reference, statements, "role", limit)


def test_pack_boundary_exactly_at_the_limit() -> None:
    one = {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    two = iam_size(_doc([one, one]))
    assert len(pack([one, one], "r", two)) == 1
    assert len(pack([one, one], "r", two - 1)) == 2
    with pytest.raises(PolicyError, match="r: statement A alone exceeds 10 characters"):
        pack([one], "r", 10)
    assert iam_size(_doc([one, one])) == len(json.dumps(_doc([one, one]), separators=(",", ":")))
    assert MANAGED_POLICY_LIMIT == 6144


def _formats() -> list[str]:
    actions = ["s3:GetObject", "s3:ListBucket", "iam:PassRole", "logs:CreateLogGroup", "codepipeline:StartPipelineExecution",
               "ec2:CreateVpcEndpoint", "ssm:GetParameters", "kms:Decrypt", "cloudformation:CreateChangeSet"]
    return sorted({fmt for a in actions for fmt in iamref.arn_formats(a)})


@pytest.mark.parametrize("fmt", _formats())
def test_every_arn_a_format_matches_holds_its_literal(fmt: str) -> None:
    literal = iamref.format_literal(fmt)
    assert literal and literal in fmt
    concrete = iamref.fill(fmt, "aws", "us-east-1", "123456789012").replace("*", "x")
    assert iamref.format_regex(fmt).match(concrete)
    assert literal in concrete
    assert not iamref.format_regex(fmt).match(concrete.replace(literal, literal[:-1] + "#", 1))


def test_handler_filter_memo_depends_on_the_set_properties_only() -> None:
    bare = handlers.filtered("AWS::IAM::ManagedPolicy", {"PolicyDocument": {}})
    with_users = handlers.filtered("AWS::IAM::ManagedPolicy", {"PolicyDocument": {}, "Users": ["alice"]})
    assert "iam:AttachUserPolicy" in with_users["create"] and "iam:AttachUserPolicy" not in bare["create"]
    assert handlers.filtered("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"x": 1}, "Users": []}) == bare  # [] is unset
    bare["create"].append("mutated:ByCaller")
    assert "mutated:ByCaller" not in handlers.filtered("AWS::IAM::ManagedPolicy", {"PolicyDocument": {}})["create"]
    nested = {"Stages": [{"Actions": [{"Configuration": {"ConnectionArn": "arn:x"}}]}]}
    assert "codestar-connections:PassConnection" in handlers.filtered("AWS::CodePipeline::Pipeline", nested)["create"]
    assert "codestar-connections:PassConnection" not in handlers.filtered("AWS::CodePipeline::Pipeline", {"Stages": []})["create"]
