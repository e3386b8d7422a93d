"""The IAM oracle itself: allow, explicit deny, boundary, condition operators, NotAction/NotResource, bad input."""

from __future__ import annotations

from typing import Any

from tests.iam.oracle import Decision, Request, evaluate

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: str | list[str], resource: str | list[str], **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def one(policies: list[dict[str, Any]], request: Request, **kw: Any) -> Decision:
    [decision] = evaluate(policies, [request], **kw)
    assert decision.request == request
    return decision


def test_allow_and_implicit_deny_in_one_batch() -> None:
    policy = doc(allow("s3:GetObject", "arn:aws:s3:::data/*") | {"Sid": "Read"})
    decisions = evaluate(
        [policy],
        [Request("s3:GetObject", "arn:aws:s3:::data/a.csv"), Request("s3:GetObject", "arn:aws:s3:::other/a.csv")],
    )
    assert [d.allowed for d in decisions] == [True, False]
    assert decisions[0].detail == "Allowed by identity allow Read"
    assert decisions[1].detail == "ImplicitlyDenied: no identity statement allows it"


def test_explicit_deny_wins_over_allow_in_another_policy() -> None:
    granting = doc(allow("s3:*", "*"))
    denying = doc({"Sid": "NoSecret", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/secret"})
    decision = one([granting, denying], Request("s3:GetObject", "arn:aws:s3:::data/secret"))
    assert not decision.allowed
    assert decision.detail == "ExplicitlyDenied by identity deny NoSecret"


def test_boundary_caps_the_identity_policy() -> None:
    admin = doc(allow("*", "*"))
    boundary = doc(allow("s3:*", "arn:aws:s3:::data*"))
    inside, outside = evaluate(
        [admin],
        [Request("s3:PutObject", "arn:aws:s3:::data/x"), Request("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/eve")],
        boundary=boundary,
    )
    assert inside.allowed
    assert not outside.allowed and outside.detail == "ImplicitlyDenied: the boundary does not allow it"


def test_boundary_explicit_deny() -> None:
    boundary = doc(allow("*", "*"), {"Sid": "NoUsers", "Effect": "Deny", "Action": "iam:*", "Resource": "*"})
    decision = one([doc(allow("iam:CreateUser", "*"))], Request("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/e"),
                   boundary=boundary)
    assert not decision.allowed and decision.detail == "ExplicitlyDenied by boundary deny NoUsers"


def test_string_equals_on_request_tag() -> None:
    policy = doc(allow("kms:CreateKey", "*", Condition={"StringEquals": {"aws:RequestTag/mlprov:product": "churn"}}))
    tagged, foreign, untagged = evaluate(
        [policy],
        [
            Request("kms:CreateKey", "*", {"aws:RequestTag/mlprov:product": "churn"}),
            Request("kms:CreateKey", "*", {"aws:RequestTag/mlprov:product": "churn-blue"}),
            Request("kms:CreateKey", "*"),
        ],
    )
    assert (tagged.allowed, foreign.allowed, untagged.allowed) == (True, False, False)


def test_resource_tag_and_arn_like() -> None:
    policy = doc(
        allow("kms:ScheduleKeyDeletion", "*", Condition={"StringEquals": {"aws:ResourceTag/mlprov:product": "churn"}}),
        allow("iam:PassRole", "*", Condition={
            "ArnLike": {"iam:AssociatedResourceArn": f"arn:aws:cloudformation:*:{ACCOUNT}:stack/churn/*"},
        }),
    )
    decisions = evaluate(
        [policy],
        [
            Request("kms:ScheduleKeyDeletion", KEY, {"aws:ResourceTag/mlprov:product": "churn"}),
            Request("kms:ScheduleKeyDeletion", KEY, {"aws:ResourceTag/mlprov:product": "other"}),
            Request("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/r",
                    {"iam:AssociatedResourceArn": f"arn:aws:cloudformation:eu-west-1:{ACCOUNT}:stack/churn/abc"}),
            Request("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/r",
                    {"iam:AssociatedResourceArn": f"arn:aws:cloudformation:eu-west-1:{ACCOUNT}:stack/churn-blue/a"}),
        ],
    )
    assert [d.allowed for d in decisions] == [True, False, True, False]


def test_for_any_value_on_tag_keys() -> None:
    policy = doc({
        "Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*",
        "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["mlprov:product"]}},
    }, allow("ec2:CreateTags", "*"))
    sg = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-0123456789abcdef0"
    retag, harmless = evaluate(
        [policy],
        [
            Request("ec2:CreateTags", sg, {"aws:TagKeys": ["Name", "mlprov:product"]}),
            Request("ec2:CreateTags", sg, {"aws:TagKeys": ["Name", "team"]}),
        ],
    )
    assert not retag.allowed and retag.detail.startswith("ExplicitlyDenied")
    assert harmless.allowed


def test_not_action_and_not_resource() -> None:
    policy = doc(
        {"Effect": "Allow", "NotAction": ["iam:*", "kms:*"], "Resource": "*"},
        {"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": KEY},
    )
    other_key = KEY.replace("0f1e2d3c", "99999999")
    decisions = evaluate(
        [policy],
        [
            Request("s3:ListBucket", "arn:aws:s3:::data"),
            Request("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/eve"),
            Request("kms:Decrypt", KEY),
            Request("kms:Decrypt", other_key),
        ],
    )
    assert [d.allowed for d in decisions] == [True, False, False, True]


def test_pass_role_with_passed_to_service() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/mlprov/churn-cfn"
    policy = doc(allow("iam:PassRole", role,
                       Condition={"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}))
    to_cfn, to_ec2 = evaluate(
        [policy],
        [
            Request("iam:PassRole", role, {"iam:PassedToService": "cloudformation.amazonaws.com"}),
            Request("iam:PassRole", role, {"iam:PassedToService": "ec2.amazonaws.com"}),
        ],
    )
    assert to_cfn.allowed and not to_ec2.allowed


def test_invalid_requests_are_never_allowed() -> None:
    policy = doc(allow("*", "*"))
    unknown, wrong_type = evaluate(
        [policy],
        [Request("s3:REST.PUT.OBJECT", "arn:aws:s3:::data/x"), Request("s3:GetObject", f"arn:aws:iam::{ACCOUNT}:role/r")],
    )
    assert not unknown.allowed and unknown.detail.startswith("invalid request:")
    assert not wrong_type.allowed and wrong_type.detail.startswith("invalid request:")


def test_empty_batch_starts_no_process() -> None:
    assert evaluate([doc(allow("*", "*"))], []) == []


def test_kms_keys_get_the_default_key_policy_of_their_own_account() -> None:
    policy = doc(allow("kms:Decrypt", "*"))
    foreign_key = KEY.replace(ACCOUNT, "210987654321")
    own, foreign = evaluate([policy], [Request("kms:Decrypt", KEY), Request("kms:Decrypt", foreign_key)])
    assert own.allowed
    # The other account's default key policy trusts only its own root: an identity policy alone cannot reach it.
    assert not foreign.allowed and foreign.detail == "ImplicitlyDenied: the resource policy does not allow it"


def test_an_explicit_resource_policy_replaces_the_default() -> None:
    locked = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"}, "Action": "kms:*",
                  "Resource": "*"})
    decision = one([doc(allow("kms:Decrypt", "*"))], Request("kms:Decrypt", KEY, resource_policy=locked))
    assert not decision.allowed
