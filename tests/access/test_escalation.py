"""Privilege-escalation scan (cloudsplaining's methods) of every generated IAM document: none found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from mlprov.access.escalation import scan, scan_document, template_documents
from mlprov.access.plaindoc import UNKNOWN_ARN, plain_document, plain_statement
from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.render.engine import render

from tests.conftest import PRODUCTS


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_no_escalation_in_any_generated_document(path: Path) -> None:
    product = load_product(path)
    template = render(product)[1]
    assert [f.line() for f in scan(contract(product, template), template)] == []


def test_the_scan_flags_the_old_deployer_patterns() -> None:
    old = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:PutGroupPolicy"], "Resource": "arn:aws:iam::123456789012:user/*"},
        {"Effect": "Allow", "Action": ["iam:CreatePolicyVersion"], "Resource": "*"}]}
    lines = [f.line() for f in scan_document("deployer policy 1", old)]
    assert "deployer policy 1: escalation-on-*: CreateNewPolicyVersion" in lines
    assert "deployer policy 1: permissions-management-on-*: iam:CreatePolicyVersion" in lines
    assert "deployer policy 1: user-or-group-method: AttachUserPolicy" in lines
    assert "deployer policy 1: user-or-group-method: PutGroupPolicy" in lines


def test_template_documents_cover_every_iam_shape_and_skip_broken_ones() -> None:
    doc = {"Version": "2012-10-17", "Statement": []}
    template = {"Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "a", "PolicyDocument": doc}, "junk",
                                                                       {"PolicyName": "b"}]}},
        "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": doc}},
        "User": {"Type": "AWS::IAM::User", "Properties": {"Policies": [{"PolicyName": "u", "PolicyDocument": doc}]}},
        "RolePolicy": {"Type": "AWS::IAM::RolePolicy", "Properties": {"PolicyDocument": doc}},
        "NoProps": {"Type": "AWS::IAM::Policy"},
        "BadPolicies": {"Type": "AWS::IAM::Role", "Properties": {"Policies": "not a list"}},
        "NotIam": {"Type": "AWS::S3::BucketPolicy", "Properties": {"PolicyDocument": doc}},  # resource policies: not identity
        "Scalar": "hostile",
    }}
    assert [(d.resource, d.part, d.where) for d in template_documents(template)] == [
        ("Role", "inline policy a", "template Role/a"),
        ("Managed", "AWS::IAM::ManagedPolicy", "template Managed"),
        ("User", "inline policy u", "template User/u"),
        ("RolePolicy", "AWS::IAM::RolePolicy", "template RolePolicy"),
    ]
    assert template_documents({"Resources": ["not", "a", "mapping"]}) == []


def test_intrinsics_never_hide_a_grant() -> None:
    hidden = {"Version": date(2012, 10, 17), "Statement": {
        "Effect": {"Fn::If": ["Prod", "Allow", "Deny"]},  # unknown before deploy: scanned as Allow
        "Action": {"Fn::If": ["Prod", "iam:PutUserPolicy", "s3:GetObject"]},
        "Resource": {"Fn::Sub": "*"}}}
    assert plain_document(hidden) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:PutUserPolicy", "s3:GetObject"], "Resource": ["*"]}]}
    lines = [f.line() for f in scan_document("template Role/x", hidden)]
    assert lines == ["template Role/x: escalation-on-*: PutUserPolicy",
                     "template Role/x: permissions-management-on-*: iam:PutUserPolicy",
                     "template Role/x: user-or-group-method: PutUserPolicy"]


def test_intrinsic_resources_are_constraints_as_in_aws() -> None:
    statement = {"Effect": "Allow", "Action": {"Fn::Join": ["", ["iam:", "PutRolePolicy"]]},
                 "Resource": [{"Fn::GetAtt": ["Role", "Arn"]}, {"Fn::Sub": ["arn:${AWS::Partition}:iam::${A}:role/x", {"A": "1"}]},
                              {"Fn::Join": ["", ["arn:aws:iam::", {"Ref": "AWS::AccountId"}, ":role/y"]]}]}
    assert plain_statement(statement) == {"Effect": "Allow", "Action": ["iam:PutRolePolicy"], "Resource": [
        "arn:${AWS::Partition}:iam::${A}:role/x", UNKNOWN_ARN, "arn:aws:iam::x:role/y"]}
    assert scan_document("t", {"Statement": [statement, "junk"]}) == []  # bounded by ARN: the oracle tests prove it


def test_allow_with_not_resource_is_a_grant_on_every_other_resource() -> None:
    doc = {"Statement": [{"Effect": "Allow", "Action": "iam:PutRolePolicy", "NotResource": "arn:aws:iam::1:role/x"}]}
    assert [f.line() for f in scan_document("d", doc)] == [
        "d: escalation-on-*: PutRolePolicy", "d: permissions-management-on-*: iam:PutRolePolicy"]


@pytest.mark.parametrize("deny", [
    {"Effect": "Deny", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::1:role/x"},  # one role only
    {"Effect": "Deny", "Action": "iam:PutRolePolicy", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "x"}}},
    {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"},
])
def test_a_narrow_deny_never_hides_a_broad_allow(deny: dict[str, object]) -> None:
    doc = {"Statement": [{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*"}, deny]}
    assert "d: escalation-on-*: PutRolePolicy" in [f.line() for f in scan_document("d", doc)]


def test_a_deny_everywhere_does_remove_the_method() -> None:
    doc = {"Statement": [{"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*"},
                         {"Effect": "Deny", "Action": "iam:PutRolePolicy", "Resource": "*"}]}
    # cloudsplaining's permissions-management view does not subtract denies: over-reported, never under-reported
    assert [f.line() for f in scan_document("d", doc)] == ["d: permissions-management-on-*: iam:PutRolePolicy"]


def test_a_policy_document_given_as_a_json_string_is_scanned() -> None:
    text = '{"Statement": [{"Effect": "Allow", "Action": "iam:AttachGroupPolicy", "Resource": "*"}]}'
    template = {"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": text}},
                              "Q": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": "not json"}}}}
    [doc] = template_documents(template)
    assert doc.resource == "P" and [e.check for e in scan_document(doc.where, doc.document)] == [
        "escalation-on-*", "permissions-management-on-*", "user-or-group-method"]
