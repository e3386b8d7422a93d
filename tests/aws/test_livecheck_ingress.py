"""The stack's ingress rule on an imported security group (existing-SG mode): checked from its properties."""

from __future__ import annotations

from typing import Any

from mlprov.aws import livecheck
from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC

PROPS = {"GroupId": {"Fn::ImportValue": "sg-provisioner-prod-SecurityGroupId"}, "IpProtocol": "tcp", "FromPort": 443,
         "ToPort": 443, "SourceSecurityGroupId": {"Fn::GetAtt": ["BuildSecurityGroup", "GroupId"]}}
RULE = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-build"}]}


class _Pages:
    def paginate(self) -> list[dict[str, Any]]:
        return [{"Exports": [{"Name": "other", "Value": "x"}]},
                {"Exports": [{"Name": "sg-provisioner-prod-SecurityGroupId", "Value": "sg-endpoints"}]}]


class _Cfn:
    def get_paginator(self, name: str) -> _Pages:
        assert name == "list_exports"
        return _Pages()


class _Ec2:
    def __init__(self, groups: list[dict[str, Any]]) -> None:
        self.groups, self.asked = groups, []

    def describe_security_groups(self, GroupIds: list[str]) -> dict[str, Any]:
        self.asked.append(GroupIds)
        return {"SecurityGroups": self.groups}


class _Aws:
    def __init__(self, ec2: _Ec2) -> None:
        self.cfn, self._ec2 = _Cfn(), ec2

    def client(self, name: str) -> _Ec2:
        assert name == "ec2"
        return self._ec2


def _run(groups: list[dict[str, Any]]) -> tuple[Any, _Ec2]:
    ec2 = _Ec2(groups)
    ctx = livecheck.Ctx(_Aws(ec2), PROPS, {"BuildSecurityGroup": "sg-build"}, {}, "EndpointIngressFromBuilds")  # type: ignore[arg-type]
    return livecheck.run(ctx, "AWS::EC2::SecurityGroupIngress", ""), ec2


def test_the_rule_on_the_imported_group_is_in_sync() -> None:
    other = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
    (status, diffs, checked, _note), ec2 = _run([{"IpPermissions": [RULE, other]}])
    assert (status, diffs, checked) == (IN_SYNC, [], ["exists", "rule"])
    assert ec2.asked == [["sg-endpoints"]]  # the export's value, read with ListExports


def test_a_revoked_rule_is_drift() -> None:
    (status, diffs, _checked, _note), _ec2 = _run([{"IpPermissions": []}])
    assert status == DRIFTED
    assert [(d.property, d.expected, d.actual) for d in diffs] == [("rule", ["tcp:443-443:sg-build"], "absent")]


def test_a_deleted_group_is_deleted() -> None:
    (status, _diffs, _checked, note), _ec2 = _run([])
    assert (status, note) == (DELETED, "the physical resource no longer exists")
