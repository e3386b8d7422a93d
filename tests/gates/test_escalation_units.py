"""The iam-escalation runner without a process: locations of principal documents, output parsing, cache keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.access.escalation import principal_documents
from mlprov.errors import UserError
from mlprov.gates.escalation_scan import _scan
from mlprov.gates.escalation_tool import IamEscalation, source_digest
from mlprov.gates.model import Severity, Tool
from mlprov.gates.targets import Target
from mlprov.gates.toolbase import ToolOutput

from tests.conftest import REPO

ADMIN_ISH = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}]}
GROUPS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:PutGroupPolicy"], "Resource": "arn:aws:iam::123456789012:group/ops",
     "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}
CONTRACT = {"product": "p", "principals": [
    {"kind": "deployer", "policies": [{"Version": "2012-10-17", "Statement": []}, ADMIN_ISH], "boundary": GROUPS},
    {"kind": "plan", "policies": [], "boundary": None}]}


def test_principal_findings_name_the_principal_and_the_policy_or_boundary() -> None:
    found = [(f.rule_id, f.resource, f.line, f.message) for f in _scan(principal_documents(CONTRACT), "")]
    assert found == [
        ("MLPROV-IAM-ESC-001", "deployer/policy-2", 0, "deployer/policy-2 (deployer principal, policy 2) allows 1 "
         'privilege-escalation method(s) on "*" without a condition: CreateNewPolicyVersion (iam:createpolicyversion)'),
        ("MLPROV-IAM-ESC-002", "deployer/policy-2", 0, "deployer/policy-2 (deployer principal, policy 2) allows 1 "
         'permissions-management action(s) on "*" without a condition: iam:CreatePolicyVersion'),
        # resource-blind and condition-blind: a group method is never part of the deploy path
        ("MLPROV-IAM-ESC-003", "deployer/boundary", 0, "deployer/boundary (deployer principal, boundary) allows 1 "
         "escalation method(s) on IAM users or groups, whatever the resource: PutGroupPolicy (iam:putgrouppolicy)"),
    ]


def test_an_admin_statement_is_three_findings_with_counted_lists() -> None:
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    found = _scan(principal_documents({"principals": [{"kind": "drift", "policies": [admin], "boundary": None}]}), "")
    assert [f.rule_id for f in found] == ["MLPROV-IAM-ESC-001", "MLPROV-IAM-ESC-002", "MLPROV-IAM-ESC-003"]
    assert found[0].message.startswith('drift/policy-1 (drift principal, policy 1) allows 59 privilege-escalation method(s) on "*"')
    assert found[0].message.endswith(", ... (49 more)")
    assert found[1].message.endswith(" more)") and found[2].message.count("(iam:") == 8


def _target(tmp_path: Path, config: bytes | None, name: str = "acme-prod-x") -> Target:
    folder = tmp_path / "products" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.yaml").write_text("Resources: {}\n")
    if config is not None:
        (tmp_path / "products" / f"{name}.yaml").write_bytes(config)
    return Target(name, folder / "template.yaml", f"products/{name}/template.yaml", b"Resources: {}\n")


def test_the_cache_key_covers_product_template_and_config(tmp_path: Path) -> None:
    runner = IamEscalation(REPO)
    without = runner.digest(_target(tmp_path, None))
    one = runner.digest(_target(tmp_path, b"tier: starter\n"))
    other = runner.digest(_target(tmp_path, b"tier: enterprise\n"))
    renamed = runner.digest(_target(tmp_path, b"tier: enterprise\n", "acme-prod-y"))
    assert len({without, one, other, renamed}) == 4
    assert runner.digest(_target(tmp_path, b"tier: enterprise\n")) == other


def test_the_fingerprint_covers_our_source(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    before = source_digest(pkg)
    source_digest.cache_clear()
    (pkg / "a.py").write_text("x = 2\n")
    after = source_digest(pkg)
    assert after != before
    source_digest.cache_clear()
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")  # compiled files and other suffixes: not source
    (pkg / "notes.txt").write_text("ignored")
    assert source_digest(pkg) == after
    source_digest.cache_clear()
    assert IamEscalation(REPO).version.endswith("+cloudsplaining.0.9.1")


def test_output_is_parsed_into_findings(tmp_path: Path) -> None:
    target = _target(tmp_path, b"tier: starter\n")
    item = {"rule_id": "MLPROV-IAM-ESC-002", "resource": "CodeBuildRole", "message": "m", "fix": "f", "line": 7}
    out = ToolOutput(0, json.dumps({"acme-prod-x": [item]}), "", 0.1)
    [f] = IamEscalation(REPO).parse(out, [target])["acme-prod-x"]
    assert (f.tool, f.rule_id, f.severity, f.resource, f.line, f.template) == (
        Tool.IAM_ESCALATION, "MLPROV-IAM-ESC-002", Severity.HIGH, "CodeBuildRole", 7, "products/acme-prod-x/template.yaml")


@pytest.mark.parametrize(("out", "last"), [
    (ToolOutput(1, "", "Traceback ...\nModuleNotFoundError: No module named 'cloudsplaining'", 0.1),
     "ModuleNotFoundError: No module named 'cloudsplaining'"),
    (ToolOutput(0, "not json", "", 0.1), "not json"),
    (ToolOutput(0, "{}", "", 0.1), "{}"),  # a product missing from the output
    (ToolOutput(0, '{"acme-prod-x": [{"rule_id": "NOPE"}]}', "", 0.1), '{"acme-prod-x": [{"rule_id": "NOPE"}]}'),
])
def test_a_failed_or_garbled_scan_is_a_tool_failure_never_a_pass(tmp_path: Path, out: ToolOutput, last: str) -> None:
    with pytest.raises(UserError) as err:
        IamEscalation(REPO).parse(out, [_target(tmp_path, None)])
    assert err.value.message == f"iam-escalation failed (exit {out.returncode}): {last}"
    assert err.value.hint == ("cloudsplaining is a dependency of mlprov: reinstall with 'make setup-python' "
                              "(or pip install ml-provisioner)")
