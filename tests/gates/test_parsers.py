"""Reading each tool's output back into findings, from recorded output shapes (no tool runs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mlprov.errors import UserError
from mlprov.gates.cfnlint_tool import CfnLint
from mlprov.gates.checkov_tool import Checkov
from mlprov.gates.guard_tool import CfnGuard, RuleInfo, control_tower_index
from mlprov.gates.model import Severity, Tool
from mlprov.gates.targets import Target
from mlprov.gates.toolbase import ToolOutput

from tests.conftest import REPO

CT_DIR = REPO / "node_modules" / "@cdklabs" / "cdk-validator-cfnguard" / "rules" / "control-tower" / "cfn-guard"
T1 = Target("p1", Path("/r/products/p1/template.yaml"), "products/p1/template.yaml", b"Resources: {}\n")
T2 = Target("p2", Path("/r/products/p2/template.yaml"), "products/p2/template.yaml", b"Resources: {}\n")


def out(doc: Any, rc: int = 0, stderr: str = "") -> ToolOutput:
    return ToolOutput(rc, doc if isinstance(doc, str) else json.dumps(doc), stderr, 0.1)


def test_cfn_lint_matches_become_findings_per_product() -> None:
    match = {
        "Filename": "/r/products/p1/template.yaml",
        "Level": "Warning",
        "Location": {"Path": ["Resources", "Bucket", "Properties"], "Start": {"LineNumber": 7, "ColumnNumber": 3}},
        "Message": "  something odd  ",
        "Rule": {"Id": "W3005", "ShortDescription": "Obsolete DependsOn", "Source": "https://example.invalid/W3005"},
    }
    other = dict(match, Filename="/elsewhere.yaml")
    top = dict(match, Location={"Path": ["Outputs"], "Start": {"LineNumber": 2}}, Level="Error", Rule={"Id": "E6001"})
    result = CfnLint(REPO).parse(out([match, other, top], rc=6), [T1, T2])
    assert result["p2"] == []
    first, second = result["p1"]
    assert (first.tool, first.rule_id, first.severity, first.resource, first.line, first.message) == (
        Tool.CFN_LINT, "W3005", Severity.MEDIUM, "Bucket", 7, "something odd"
    )
    assert first.fix == "Obsolete DependsOn: see https://example.invalid/W3005"
    assert (second.rule_id, second.severity, second.resource, second.fix) == ("E6001", Severity.HIGH, "", "")


@pytest.mark.parametrize("bad", [out("Traceback (most recent call last): boom", rc=1), out([], rc=1), out({"a": 1}, rc=0)])
def test_cfn_lint_crash_is_reported_not_swallowed(bad: ToolOutput) -> None:
    with pytest.raises(UserError, match=r"^cfn-lint failed \(exit \d\): "):
        CfnLint(REPO).parse(bad, [T1])


def checkov_parser() -> Checkov:
    parser = Checkov.__new__(Checkov)
    parser.tool = Tool.CHECKOV
    return parser


def check(check_id: str, resource: str, path: str = "/r/products/p1/template.yaml", **extra: Any) -> dict[str, Any]:
    return {"check_id": check_id, "check_name": f"name of {check_id}", "file_abs_path": path, "resource": resource,
            "file_line_range": [12, 30], "severity": None, "guideline": None} | extra


def test_checkov_failed_and_inline_skipped_checks_are_findings() -> None:
    report = {"check_type": "cloudformation", "results": {
        "failed_checks": [check("CKV_AWS_18", "AWS::S3::Bucket.ArtifactsBucket", severity="HIGH", guideline="https://g")],
        "skipped_checks": [check("CKV_AWS_21", "AWS::S3::Bucket.ArtifactsBucket", path="/r/products/p2/template.yaml")],
        "passed_checks": [check("CKV_AWS_1", "AWS::IAM::Role.R")],
    }}
    result = checkov_parser().parse(out(report, rc=1), [T1, T2])
    (failed,) = result["p1"]
    assert (failed.rule_id, failed.resource, failed.severity, failed.line, failed.fix) == (
        "CKV_AWS_18", "ArtifactsBucket", Severity.HIGH, 12, "https://g"
    )
    (skipped,) = result["p2"]
    assert skipped.message == "name of CKV_AWS_21 (an inline checkov skip was ignored)"
    assert skipped.severity is Severity.MEDIUM and skipped.fix == "make the resource satisfy checkov CKV_AWS_21"


def test_checkov_list_output_and_empty_summary_are_read() -> None:
    report = {"check_type": "cloudformation", "results": {"failed_checks": [check("CKV_AWS_2", "AWS::SNS::Topic.T")]}}
    assert [f.rule_id for f in checkov_parser().parse(out([report, {"check_type": "secrets"}], rc=1), [T1])["p1"]] == ["CKV_AWS_2"]
    empty = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0, "checkov_version": "3.3.30"}
    assert checkov_parser().parse(out(empty), [T1]) == {"p1": []}


@pytest.mark.parametrize("bad", [out("not json", rc=1), out({}, rc=2)])
def test_checkov_crash_is_reported(bad: ToolOutput) -> None:
    with pytest.raises(UserError, match=r"^checkov failed \(exit \d\): ") as err:
        checkov_parser().parse(bad, [T1])
    assert err.value.hint is not None and "make setup-checkov" in err.value.hint


def guard_parser() -> CfnGuard:
    parser = CfnGuard.__new__(CfnGuard)
    parser.tool = Tool.CFN_GUARD
    parser.ours = {"MLPROV_SG_NO_OPEN_INGRESS": RuleInfo("MLPROV_SG_NO_OPEN_INGRESS", "mlprov", Severity.CRITICAL, "no open SG",
                                                         "close it", Path("sg.guard"), frozenset())}
    parser.control_tower = {"s3_bucket_object_lock_enabled_check": RuleInfo("CT.S3.PR.9", "control-tower", Severity.HIGH,
                                                                            "object lock", "Set ObjectLockEnabled", Path("x"),
                                                                            frozenset({"AWS::S3::Bucket"}))}
    return parser


def guard_failure(name: str, *errors: str) -> dict[str, Any]:
    return {"Rule": {"name": name, "checks": [{"Clause": {"Unary": {"check": {"UnResolved": {"value": {"traversed_to": {
        "path": "/Resources/ArtifactsBucket/Properties"}}}}, "messages": {"error_message": e}}}} for e in errors]}}


def test_guard_structured_output_maps_rules_to_packs_resources_and_lines() -> None:
    reports = [
        {"name": "/r/products/p1/template.yaml", "status": "FAIL", "not_compliant": [
            guard_failure("s3_bucket_object_lock_enabled_check",
                          "Check was not compliant as property [ObjectLockEnabled] is missing. Value traversed to "
                          "[Path=/Resources/ArtifactsBucket/Properties[L:428,C:6] Value={}]"),
            guard_failure("MLPROV_SG_NO_OPEN_INGRESS",
                          "property [/Resources/SgA/Properties/SecurityGroupIngress/0/CidrIp[L:741,C:18]] was 0.0.0.0/0",
                          "property [/Resources/SgB/Properties/SecurityGroupIngress/0/CidrIp[L:801,C:18]] was ::/0"),
            guard_failure("some_unknown_rule"),
        ]},
        {"name": "/r/products/p2/template.yaml", "status": "PASS", "not_compliant": []},
    ]
    result = guard_parser().parse(out(reports, rc=19), [T1, T2])
    assert result["p2"] == []
    got = [(f.rule_id, f.pack, f.severity, f.resource, f.line) for f in result["p1"]]
    assert got == [
        ("CT.S3.PR.9", "control-tower", Severity.HIGH, "ArtifactsBucket", 428),
        ("MLPROV_SG_NO_OPEN_INGRESS", "mlprov", Severity.CRITICAL, "ArtifactsBucket", 0),
        ("MLPROV_SG_NO_OPEN_INGRESS", "mlprov", Severity.CRITICAL, "SgA", 741),
        ("MLPROV_SG_NO_OPEN_INGRESS", "mlprov", Severity.CRITICAL, "SgB", 801),
        ("some_unknown_rule", "", Severity.HIGH, "", 0),  # no resource path: about the whole template
    ]


def test_guard_errors_other_than_findings_fail_loudly() -> None:
    with pytest.raises(UserError, match=r"^cfn-guard failed \(exit 5\): Parser Error when parsing rules file"):
        guard_parser().parse(out("", rc=5, stderr="Parser Error when parsing rules file x.guard"), [T1])


@pytest.mark.skipif(not CT_DIR.is_dir(), reason="Control Tower rules not installed (make setup-node)")
def test_control_tower_index_names_controls_and_their_resource_types() -> None:
    index = control_tower_index(CT_DIR)
    lock = index["s3_bucket_object_lock_enabled_check"]
    assert (lock.rule_id, lock.pack, lock.description, lock.fix) == (
        "CT.S3.PR.9", "control-tower", "Require that an Amazon S3 bucket has S3 Object Lock activated",
        "Set 'ObjectLockEnabled' to 'true'.",
    )
    assert "AWS::S3::Bucket" in lock.types
    assert index["kms_create_grant_aws_service_check"].rule_id == "CT.KMS.PR.3"
    assert len({info.path for info in index.values()}) == len(list(CT_DIR.rglob("*.guard")))


def test_cfn_lint_lints_every_template_against_the_repository_regions(tmp_path: Path) -> None:
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "a.yaml").write_text("tier: starter\nregion: eu-west-1\n")
    (tmp_path / "products" / "b.yaml").write_text('region: "us-west-2"\n')
    lint = CfnLint(tmp_path)
    assert lint.regions == ["eu-west-1", "us-west-2"]
    command = lint.command([T1])
    assert command[command.index("--regions") + 1:command.index("--")] == ["eu-west-1", "us-west-2"]
    assert lint.fingerprint != CfnLint(tmp_path / "nowhere").fingerprint
    assert CfnLint(tmp_path / "nowhere").regions == ["us-east-1"]
