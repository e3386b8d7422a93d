"""The identity of a change set: its parts, the Description round trip, and the differences it explains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from mlprov.gitops.identity import NO_STACK, Identity, _iso, differences, parameters, parse_description

BASE = Identity("1" * 64, "2" * 64, "2026-05-01T10:00:00.000000Z")


class FakeSsm:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked: list[list[str]] = []

    def get_parameters(self, Names: list[str]) -> dict[str, Any]:
        self.asked.append(Names)
        return {"Parameters": [{"Name": n, "Value": self.values[n]} for n in Names if n in self.values]}


def test_name_and_description_round_trip() -> None:
    assert BASE.change_set_name == "mlprov-review-" + BASE.digest[:12]
    assert len(BASE.description()) < 1024
    assert parse_description(BASE.description()) == BASE
    assert parse_description("created by mlprov") is None
    assert parse_description("mlprov review: template=abc") is None


def test_each_part_changes_the_name() -> None:
    names = {BASE.change_set_name, Identity("3" * 64, BASE.parameters_sha256, BASE.stack_updated).change_set_name,
             Identity(BASE.template_sha256, "4" * 64, BASE.stack_updated).change_set_name,
             Identity(BASE.template_sha256, BASE.parameters_sha256, "2026-05-02T00:00:00.000000Z").change_set_name}
    assert len(names) == 4


def test_differences_name_each_part() -> None:
    assert differences(BASE, BASE) == []
    now = Identity("a" * 64, "b" * 64, "2026-05-01T11:00:00.000000Z")
    assert differences(BASE, now) == [
        "template changed: sha256 111111111111 at review, aaaaaaaaaaaa now",
        "parameters changed (tags or resolved SSM values): sha256 222222222222 at review, bbbbbbbbbbbb now",
        "stack updated at 2026-05-01T11:00:00.000000Z, after the review of its state at 2026-05-01T10:00:00.000000Z",
    ]
    created = Identity(BASE.template_sha256, BASE.parameters_sha256, NO_STACK)
    assert differences(created, BASE) == [
        "stack created at 2026-05-01T10:00:00.000000Z, after the review (which previewed a creation)"]
    assert differences(BASE, created) == ["stack deleted since the review (it was last updated at 2026-05-01T10:00:00.000000Z)"]


def test_parameters_resolve_ssm_typed_template_parameters() -> None:
    template = {"Parameters": {
        "VpcId": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>", "Default": "/network/vpc-id"},
        "SubnetIds": {"Type": "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>", "Default": "/network/subnets"},
        "Plain": {"Type": "String", "Default": "x"},
    }}
    ssm = FakeSsm({"/network/vpc-id": "vpc-1"})
    got = parameters(ssm, template, {"b": "2", "a": "1"})
    assert got == {"Tags": {"a": "1", "b": "2"}, "Capabilities": ["CAPABILITY_NAMED_IAM"],
                   "Parameters": {"VpcId": "vpc-1", "SubnetIds": "<missing>"}}
    assert ssm.asked == [["/network/subnets", "/network/vpc-id"]]
    assert parameters(FakeSsm({}), {"Resources": {}}, {})["Parameters"] == {}


def test_times_are_utc() -> None:
    plus_two = datetime(2026, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert _iso(plus_two) == "2026-05-01T10:00:00.000000Z"
    assert _iso(datetime(2026, 5, 1, 10, 0)) == "2026-05-01T10:00:00.000000Z"
    assert _iso(datetime(2026, 5, 1, 10, 0, tzinfo=UTC)) == "2026-05-01T10:00:00.000000Z"
