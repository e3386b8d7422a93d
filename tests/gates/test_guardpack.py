"""Our cfn-guard pack: every rule's own cfn-guard tests, the committed templates, mutations, and the loader."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.errors import UserError
from mlprov.gates.guardbin import guard_binary
from mlprov.gates.guardpack import GuardRule, load_pack, named_rules, rule_files
from mlprov.gates.model import Severity
from mlprov.policy.registry import schema

from tests.conftest import REPO

TEMPLATES = sorted((REPO / "products").glob("*/template.yaml"))
ENTERPRISE = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct" / "template.yaml"
EXPECTED = {
    "MLPROV_IAM_NO_WILDCARD_ACTIONS": Severity.HIGH,
    "MLPROV_IAM_PERMISSION_BOUNDARY": Severity.HIGH,
    "MLPROV_KMS_ENCRYPTION": Severity.HIGH,
    "MLPROV_KMS_ROTATION": Severity.HIGH,
    "MLPROV_LOG_RETENTION": Severity.MEDIUM,
    "MLPROV_REQUIRED_TAGS": Severity.MEDIUM,
    "MLPROV_S3_PUBLIC_ACCESS_BLOCK": Severity.HIGH,
    "MLPROV_S3_TLS_ONLY": Severity.HIGH,
    "MLPROV_STATEFUL_RETENTION": Severity.HIGH,
    "MLPROV_SG_NO_OPEN_INGRESS": Severity.CRITICAL,
    "MLPROV_TEMPLATE_TIER": Severity.HIGH,
    "MLPROV_VPC_ENDPOINTS": Severity.HIGH,
    "MLPROV_VPC_ENDPOINT_PRIVATE_DNS": Severity.HIGH,
    "MLPROV_VPC_BUILD_NETWORK": Severity.HIGH,
}
PACK = load_pack(REPO)


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(), Loader=yaml.CSafeLoader)  # the C-accelerated safe loader


def guard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(guard_binary(REPO)), *args], capture_output=True, text=True, check=False, cwd=REPO)


def validate(rules: list[Path], data: list[Path]) -> list[dict[str, Any]]:
    """One cfn-guard process over all data files; its structured JSON report, one entry per data file."""
    args = ["validate", "--structured", "--show-summary", "none", "--output-format", "json"]
    for path in rules:
        args += ["--rules", str(path)]
    for path in data:
        args += ["--data", str(path)]
    done = guard(*args)
    assert done.returncode in (0, 19), done.stderr  # 19: some rule failed; anything else is a guard error
    report: list[dict[str, Any]] = json.loads(done.stdout)
    return report


def failed_rules(entry: dict[str, Any]) -> set[str]:
    return {item["Rule"]["name"] for item in entry["not_compliant"]}


def custom_messages(node: object) -> list[str]:
    """Every non-empty custom message in a guard JSON report fragment."""
    if isinstance(node, dict):
        found = [m] if isinstance(m := (node.get("messages") or {}).get("custom_message"), str) and m else []
        return found + [x for v in node.values() for x in custom_messages(v)]
    if isinstance(node, list):
        return [x for v in node for x in custom_messages(v)]
    return []


# --- the loader over the committed pack --------------------------------------------------------------------------


def test_pack_holds_the_fourteen_rules_with_header_fields() -> None:
    assert {r.id: r.severity for r in PACK} == EXPECTED
    assert [r.path.name for r in PACK] == sorted(p.name for p in (REPO / "rules" / "guard").glob("*.guard"))
    assert rule_files(PACK) == [r.path for r in PACK]
    for rule in PACK:
        assert rule.description and rule.fix, rule.id
        assert rule.tests_path == REPO / "rules" / "guard" / "tests" / f"{rule.path.stem}_tests.yaml"
    rotation = next(r for r in PACK if r.id == "MLPROV_KMS_ROTATION")
    assert rotation.description == "Every symmetric KMS key the stack creates has automatic key rotation on"
    assert rotation.fix == "set EnableKeyRotation: true on the AWS::KMS::Key"
    tls = next(r for r in PACK if r.id == "MLPROV_S3_TLS_ONLY")  # a Fix continued on an indented comment line
    assert tls.fix.endswith('a Deny statement for Principal "*", Action "s3:*" and Condition Bool aws:SecureTransport "false"')


def test_readme_lists_every_rule() -> None:
    readme = (REPO / "rules" / "guard" / "README.md").read_text()
    for rule in PACK:
        assert f"| `{rule.id}` | `{rule.path.name}` | {rule.severity.value} |" in readme


# --- each rule's own cfn-guard tests ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("rule", PACK, ids=lambda r: r.id)
def test_rule_passes_its_own_cfn_guard_tests(rule: GuardRule) -> None:
    cases = yaml.safe_load(rule.tests_path.read_text())
    expected = [case["expectations"]["rules"] for case in cases]
    assert all(set(e) == {rule.id} for e in expected), "every case names exactly this rule"
    outcomes = {e[rule.id] for e in expected}
    assert {"PASS", "FAIL"} <= outcomes
    done = guard("test", "--rules-file", str(rule.path), "--test-data", str(rule.tests_path), "--output-format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert len(report["test_cases"]) == len(cases)
    assert all(not case["failed_rules"] and case["passed_rules"] for case in report["test_cases"])


@pytest.mark.slow
@pytest.mark.parametrize("rule", PACK, ids=lambda r: r.id)
def test_each_fail_case_explains_itself_with_a_fix(rule: GuardRule, tmp_path: Path) -> None:
    cases = [c for c in yaml.safe_load(rule.tests_path.read_text()) if c["expectations"]["rules"][rule.id] == "FAIL"]
    data = []
    for i, case in enumerate(cases):
        data.append(tmp_path / f"case{i}.json")
        data[-1].write_text(json.dumps(case["input"]))
    report = {Path(e["name"]).name: e for e in validate([rule.path], data)}
    for i, case in enumerate(cases):
        entry = report[f"case{i}.json"]
        assert failed_rules(entry) == {rule.id}, case["name"]
        messages = custom_messages(entry["not_compliant"])
        assert messages, case["name"]
        assert all(re.search(r"\. Fix: \S", m) for m in messages), messages


def test_tier_scoped_rules_have_skip_cases() -> None:
    for rule in PACK:
        if rule.id in {"MLPROV_KMS_ENCRYPTION", "MLPROV_IAM_PERMISSION_BOUNDARY", "MLPROV_S3_TLS_ONLY", "MLPROV_VPC_ENDPOINTS"}:
            assert "Enterprise:" in rule.description
            outcomes = {c["expectations"]["rules"][rule.id] for c in yaml.safe_load(rule.tests_path.read_text())}
            assert "SKIP" in outcomes, rule.id


# --- the committed templates --------------------------------------------------------------------------------------

ALL_TIERS = {"MLPROV_IAM_NO_WILDCARD_ACTIONS", "MLPROV_REQUIRED_TAGS", "MLPROV_TEMPLATE_TIER", "MLPROV_STATEFUL_RETENTION"}
# professional owns its build log group (log_retention_days), so the retention rule applies there too
PROFESSIONAL = ALL_TIERS | {"MLPROV_S3_PUBLIC_ACCESS_BLOCK", "MLPROV_LOG_RETENTION"}
ENTERPRISE_RULES = set(EXPECTED)  # every enterprise stack has a security group (its builds' own)
# network.endpoints: existing (the -wl-blue examples): no endpoints, so the endpoint rules have nothing to hold
ENDPOINT_RULES = {"MLPROV_VPC_ENDPOINTS", "MLPROV_VPC_ENDPOINT_PRIVATE_DNS"}


@pytest.mark.slow
def test_committed_templates_pass_the_whole_pack_in_one_process() -> None:
    assert len(TEMPLATES) == 27
    report = validate([REPO / "rules" / "guard"], TEMPLATES)
    assert len(report) == 27
    for entry in report:
        meta = load_yaml(Path(entry["name"]))["Metadata"]["MlProvisioner"]
        assert entry["status"] != "FAIL", (entry["name"], failed_rules(entry))
        compliant = set(entry["compliant"])
        # the rules really apply where the tier promises them (not vacuously skipped)
        expected = {"starter": ALL_TIERS, "professional": PROFESSIONAL, "enterprise": ENTERPRISE_RULES}[meta["Tier"]]
        if meta.get("Endpoints") == "existing":
            expected = expected - ENDPOINT_RULES
            if meta.get("SecurityGroupMode") == "standalone":  # its only group is the builds', with no ingress
                expected = expected - {"MLPROV_SG_NO_OPEN_INGRESS"}
        assert compliant == expected, entry["name"]


# --- mutations of a real enterprise template: each breaks exactly its rule -------------------------------------------


def _statements(doc: dict[str, Any], resource: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = doc["Resources"][resource]["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _drop_tag(tags: list[dict[str, str]], key: str) -> list[dict[str, str]]:
    assert any(t["Key"] == key for t in tags)
    return [t for t in tags if t["Key"] != key]


def _unencrypted_bucket(t: dict[str, Any]) -> None:
    t["Resources"]["ArtifactsBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"] = [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]


def _rotation_off(t: dict[str, Any]) -> None:
    t["Resources"]["KmsKey"]["Properties"]["EnableKeyRotation"] = False


def _role_without_boundary(t: dict[str, Any]) -> None:
    del t["Resources"]["SageMakerExecutionRole"]["Properties"]["PermissionsBoundary"]


def _wildcard_action(t: dict[str, Any]) -> None:
    policy = t["Resources"]["SageMakerExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    policy["Statement"].append({"Effect": "Allow", "Action": "*", "Resource": "*"})


def _service_wildcard(t: dict[str, Any]) -> None:
    _statements(t, "BuildManagedPolicy")[0]["Action"].append("s3:*")


def _open_ingress(t: dict[str, Any]) -> None:
    ingress = t["Resources"]["EndpointSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    ingress.append({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"})


def _no_sts_endpoint(t: dict[str, Any]) -> None:
    del t["Resources"]["StsEndpoint"], t["Resources"]["VpcEndpointIdStsParameter"], t["Outputs"]["VpcEndpointIdSts"]


def _dropped_tag(t: dict[str, Any]) -> None:
    props = t["Resources"]["ModelPackageGroup"]["Properties"]
    props["Tags"] = _drop_tag(props["Tags"], "mlprov:cost-center")


def _dropped_map_tag(t: dict[str, Any]) -> None:
    del t["Resources"]["KmsKeyArnParameter"]["Properties"]["Tags"]["mlprov:owner"]


def _short_retention(t: dict[str, Any]) -> None:
    t["Resources"]["ComplianceLogGroup"]["Properties"]["RetentionInDays"] = 365  # configured: 731


def _no_tls_denial(t: dict[str, Any]) -> None:
    statements = _statements(t, "ArtifactsBucketPolicy")
    statements[:] = [s for s in statements if s["Sid"] != "DenyInsecureTransport"]


def _public_policy_allowed(t: dict[str, Any]) -> None:
    t["Resources"]["ArtifactsBucket"]["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] = False


def _tier_marker_removed(t: dict[str, Any]) -> None:
    del t["Metadata"]["MlProvisioner"]["Tier"]  # would switch the enterprise-only rules off, so it fails by itself


def _log_group_unencrypted(t: dict[str, Any]) -> None:
    del t["Resources"]["ComplianceLogGroup"]["Properties"]["KmsKeyId"]


def _plain_retain(t: dict[str, Any]) -> None:
    t["Resources"]["ArtifactsBucket"]["DeletionPolicy"] = "Retain"


MUTATIONS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "bucket-sse-s3": (_unencrypted_bucket, "MLPROV_KMS_ENCRYPTION"),
    "log-group-no-kms": (_log_group_unencrypted, "MLPROV_KMS_ENCRYPTION"),
    "rotation-off": (_rotation_off, "MLPROV_KMS_ROTATION"),
    "role-no-boundary": (_role_without_boundary, "MLPROV_IAM_PERMISSION_BOUNDARY"),
    "action-star": (_wildcard_action, "MLPROV_IAM_NO_WILDCARD_ACTIONS"),
    "action-s3-star": (_service_wildcard, "MLPROV_IAM_NO_WILDCARD_ACTIONS"),
    "sg-open": (_open_ingress, "MLPROV_SG_NO_OPEN_INGRESS"),
    "no-sts-endpoint": (_no_sts_endpoint, "MLPROV_VPC_ENDPOINTS"),
    "tag-dropped": (_dropped_tag, "MLPROV_REQUIRED_TAGS"),
    "map-tag-dropped": (_dropped_map_tag, "MLPROV_REQUIRED_TAGS"),
    "retention-short": (_short_retention, "MLPROV_LOG_RETENTION"),
    "no-tls-denial": (_no_tls_denial, "MLPROV_S3_TLS_ONLY"),
    "public-policy": (_public_policy_allowed, "MLPROV_S3_PUBLIC_ACCESS_BLOCK"),
    "tier-marker-removed": (_tier_marker_removed, "MLPROV_TEMPLATE_TIER"),
    "bucket-plain-retain": (_plain_retain, "MLPROV_STATEFUL_RETENTION"),
}


@pytest.mark.slow
def test_each_mutation_of_an_enterprise_template_fails_exactly_its_rule(tmp_path: Path) -> None:
    original = load_yaml(ENTERPRISE)
    files = [tmp_path / "unchanged.json"]
    files[0].write_text(json.dumps(original))
    for name, (mutate, _rule) in MUTATIONS.items():
        template = copy.deepcopy(original)
        mutate(template)
        files.append(tmp_path / f"{name}.json")
        files[-1].write_text(json.dumps(template))
    report = {Path(e["name"]).stem: e for e in validate([REPO / "rules" / "guard"], files)}
    assert failed_rules(report["unchanged"]) == set()
    assert {name: failed_rules(report[name]) for name in MUTATIONS} == {name: {rule} for name, (_m, rule) in MUTATIONS.items()}
    tag_messages = custom_messages(report["tag-dropped"]["not_compliant"])
    assert set(tag_messages) == {
        "required tag mlprov:cost-center is missing. Fix: render the template again (tags come from the config)"
    }
    sts_messages = custom_messages(report["no-sts-endpoint"]["not_compliant"])
    assert set(sts_messages) == {"the VPC endpoint for STS (com.amazonaws.<region>.sts) is missing. Fix: add StsEndpoint"}


# --- required tags: the non-taggable list agrees with the CloudFormation registry schemas ---------------------------


def test_non_taggable_types_match_the_registry_schemas() -> None:
    text = (REPO / "rules" / "guard" / "required_tags.guard").read_text()
    block = re.search(r"Type !in \[(.*?)\]", text, re.DOTALL)
    assert block
    excluded = set(re.findall(r"'(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)'", block.group(1)))
    assert len(excluded) == 13
    for resource_type in excluded:
        assert "Tags" not in schema(resource_type).get("properties", {}), resource_type
    used = {r["Type"] for t in TEMPLATES for r in load_yaml(t)["Resources"].values()}
    for resource_type in used - excluded:
        assert "Tags" in schema(resource_type)["properties"], resource_type


# --- the loader's refusals ------------------------------------------------------------------------------------------

HEADER = "# Rule: {desc}\n# Severity: high\n# Fix: do the thing\n\n"


def _pack(root: Path, files: dict[str, str], with_tests: bool = True) -> Path:
    folder = root / "rules" / "guard"
    (folder / "tests").mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
        if with_tests:
            (folder / "tests" / f"{Path(name).stem}_tests.yaml").write_text("[]\n")
    return root


def _rule(rule_id: str, desc: str = "a promise") -> str:
    return HEADER.format(desc=desc) + f"rule {rule_id} {{\n    Resources exists << no resources. Fix: add one >>\n}}\n"


def _refusal(root: Path) -> UserError:
    with pytest.raises(UserError) as caught:
        load_pack(root)
    return caught.value


def test_loader_reads_a_valid_pack(tmp_path: Path) -> None:
    root = _pack(tmp_path, {"b.guard": _rule("MLPROV_B", "second"), "a.guard": _rule("MLPROV_A", "first")})
    assert load_pack(root) == [
        GuardRule("MLPROV_A", root / "rules/guard/a.guard", Severity.HIGH, "first", "do the thing"),
        GuardRule("MLPROV_B", root / "rules/guard/b.guard", Severity.HIGH, "second", "do the thing"),
    ]


def test_loader_refuses_a_duplicate_rule_id(tmp_path: Path) -> None:
    root = _pack(tmp_path, {"a.guard": _rule("MLPROV_SAME"), "b.guard": _rule("MLPROV_OTHER"), "c.guard": _rule("MLPROV_SAME")})
    error = _refusal(root)
    assert error.message == "duplicate rule id MLPROV_SAME: rules/guard/a.guard and rules/guard/c.guard"
    assert error.hint == "rule ids are unique across the pack; rename one of them"


def test_loader_refuses_a_file_with_two_rules(tmp_path: Path) -> None:
    two = _rule("MLPROV_ONE") + "\nrule MLPROV_TWO when Resources exists {\n    Resources !empty\n}\n"
    error = _refusal(_pack(tmp_path, {"two.guard": two}))
    assert error.message == "rules/guard/two.guard: 2 named rules (MLPROV_ONE, MLPROV_TWO); one rule per file"
    assert error.hint == "move each rule to its own .guard file with its own tests"


def test_loader_refuses_a_file_without_a_named_rule(tmp_path: Path) -> None:
    text = HEADER.format(desc="d") + "# rule MLPROV_COMMENTED { }\nlet x = Resources\n%x !empty << rule MLPROV_IN_MESSAGE >>\n"
    error = _refusal(_pack(tmp_path, {"none.guard": text}))
    assert error.message == "rules/guard/none.guard: no named rule"
    assert named_rules(text) == []


def test_loader_refuses_bad_ids_headers_severities_and_missing_tests(tmp_path: Path) -> None:
    cases = {
        "lower": (_rule("mlprov_lower"), "rules/guard/x.guard: rule id mlprov_lower does not match MLPROV_[A-Z0-9_]+"),
        "no-fix": (
            _rule("MLPROV_X").replace("# Fix: do the thing\n", ""),
            "rules/guard/x.guard: header comment `# Fix:` missing or empty",
        ),
        "severity": (
            _rule("MLPROV_X").replace("high", "urgent"),
            "rules/guard/x.guard: severity 'urgent' is not one of critical, high, medium, low, info",
        ),
    }
    for name, (text, message) in cases.items():
        assert _refusal(_pack(tmp_path / name, {"x.guard": text})).message == message
    untested = _pack(tmp_path / "untested", {"x.guard": _rule("MLPROV_X")}, with_tests=False)
    assert _refusal(untested).message == "rules/guard/x.guard: test file rules/guard/tests/x_tests.yaml missing"
    assert _refusal(tmp_path / "empty").message == "rules/guard: guard rule pack folder missing"
    (tmp_path / "nofiles" / "rules" / "guard").mkdir(parents=True)
    assert _refusal(tmp_path / "nofiles").message == "rules/guard: no .guard rule files"
