"""waivers.yaml: loading, validation messages (exit 2 vs waiver problems), matching, unused warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mlprov.errors import UserError
from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.waivers import apply_waivers, load_waivers, unused_warnings

from tests.conftest import REPO

TODAY = dt.date(2026, 11, 25)
FIELDS = "rule, tiers, product, resource, owner, justification, expires"
GOOD = """\
waivers:
  - rule: CT.S3.PR.9
    tiers: [professional, enterprise]
    product: "*"
    resource: ArtifactsBucket
    owner: mlops-platform-team
    justification: Object Lock does not fit transient pipeline artifacts.
    expires: 2027-05-31
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "waivers.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def entry(**fields: object) -> str:
    base: dict[str, object] = {
        "rule": "CKV_AWS_18",
        "product": "acme-*",
        "resource": "ArtifactsBucket",
        "owner": "team-a",
        "justification": "access logs go to the central log archive instead",
        "expires": "2027-01-31",
    }
    base.update(fields)
    lines = []
    for key, value in base.items():
        if value is not None:
            lines.append(f"    {key}: {value}")
    return "waivers:\n  - " + "\n".join(lines).lstrip() + "\n"


def finding(rule: str, product: str = "acme-prod-x", resource: str = "ArtifactsBucket", tool: Tool = Tool.CHECKOV) -> Finding:
    return Finding(tool, rule, Severity.HIGH, product, resource, "m", "f", f"products/{product}/template.yaml")


def test_the_committed_waivers_are_valid_today() -> None:
    waivers, problems = load_waivers(REPO)
    assert problems == []
    assert [w.rule_id for w in waivers] == ["CT.S3.PR.9", "CKV_AWS_26", "CKV_AWS_158", "CT.CLOUDWATCH.PR.3", "CT.CLOUDWATCH.PR.2"]
    assert all(w.owner and len(w.justification) >= 20 for w in waivers)


def test_no_file_means_no_waivers(tmp_path: Path) -> None:
    assert load_waivers(tmp_path) == ([], [])


def test_a_valid_entry_loads_with_its_index_and_tiers(tmp_path: Path) -> None:
    waivers, problems = load_waivers(write(tmp_path, GOOD), TODAY)
    assert problems == []
    (w,) = waivers
    assert (w.index, w.rule_id, w.tiers, w.product, w.resource, w.expires) == (
        1, "CT.S3.PR.9", ("professional", "enterprise"), "*", "ArtifactsBucket", dt.date(2027, 5, 31)
    )


def test_expired_waiver_is_a_problem_naming_entry_and_field(tmp_path: Path) -> None:
    waivers, problems = load_waivers(write(tmp_path, GOOD + entry(expires="2026-11-24").replace("waivers:\n", "")), TODAY)
    assert [w.index for w in waivers] == [1]
    assert problems == [
        "waivers.yaml: entry 2 (CKV_AWS_18) field 'expires': expired on 2026-11-24; fix the finding or renew the waiver after review"
    ]


def test_unjustified_waivers_are_problems(tmp_path: Path) -> None:
    _, problems = load_waivers(write(tmp_path, entry(justification="'because'", owner='""')), TODAY)
    assert problems == [
        "waivers.yaml: entry 1 (CKV_AWS_18) field 'owner': missing; name the team or person who owns this exception",
        "waivers.yaml: entry 1 (CKV_AWS_18) field 'justification': missing or too short (at least 20 characters); "
        "say why the check does not apply",
    ]


def test_missing_owner_justification_and_expiry_are_problems(tmp_path: Path) -> None:
    waivers, problems = load_waivers(write(tmp_path, entry(owner=None, justification=None, expires=None)), TODAY)
    assert waivers == []
    assert [p.split(" field ")[1].split(":")[0] for p in problems] == ["'owner'", "'justification'", "'expires'"]


def test_expiry_more_than_a_year_out_is_a_problem(tmp_path: Path) -> None:
    _, problems = load_waivers(write(tmp_path, entry(expires="2028-01-01")), TODAY)
    assert problems == [
        "waivers.yaml: entry 1 (CKV_AWS_18) field 'expires': 2028-01-01 is more than a year out; choose a date up to 2027-11-26"
    ]


def test_inline_suppression_rule_cannot_be_waived(tmp_path: Path) -> None:
    _, problems = load_waivers(write(tmp_path, entry(rule="MLPROV_INLINE_SUPPRESSION")), TODAY)
    assert problems == [
        "waivers.yaml: entry 1 (MLPROV_INLINE_SUPPRESSION) field 'rule': MLPROV_INLINE_SUPPRESSION cannot be waived; "
        "remove the inline suppression instead"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("waivers: [\n", "waivers.yaml: YAML syntax error at line 2, column 1: expected the node content, but found '<stream end>'"),
        ("rules: []\n", "waivers.yaml: top level must be 'waivers:' with a list of entries"),
        ("waivers:\n  - just a string\n", f"waivers.yaml: entry 1: must be a mapping of {FIELDS}"),
        (entry(colour="red"), f"waivers.yaml: entry 1: unknown field 'colour' (fields: {FIELDS})"),
        (entry(rule=None), "waivers.yaml: entry 1: field 'rule' is required"),
        (entry(product=None), "waivers.yaml: entry 1: field 'product' is required"),
        (entry(resource="[1, 2]"), "waivers.yaml: entry 1: field 'resource' must be a string, got list"),
        (entry(expires="next-year"), "waivers.yaml: entry 1: field 'expires' must be a date YYYY-MM-DD, got 'next-year'"),
        (entry(tiers="[gold]"), "waivers.yaml: entry 1: "
         "field 'tiers' must be a list of starter, professional, enterprise, got ['gold']"),
    ],
)
def test_malformed_waivers_are_bad_input(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        load_waivers(write(tmp_path, text), TODAY)
    assert err.value.message == message
    assert err.value.exit_code == 2
    assert err.value.hint is not None and err.value.hint.startswith("each entry needs rule, product, resource, owner")


def test_matching_uses_rule_product_and_resource_globs_and_tiers(tmp_path: Path) -> None:
    text = entry(product='"acme-*"', resource='"Artifacts*"', tiers="[enterprise]")
    waivers, _ = load_waivers(write(tmp_path, text), TODAY)
    tiers = {"acme-prod-x": "enterprise", "acme-dev-y": "starter", "other-z": "enterprise"}
    findings = [
        finding("CKV_AWS_18"),  # waived
        finding("CKV_AWS_18", product="acme-dev-y"),  # wrong tier
        finding("CKV_AWS_18", product="other-z"),  # product glob
        finding("CKV_AWS_18", resource="KmsKey"),  # resource glob
        finding("CKV_AWS_21"),  # other rule
    ]
    open_, waived, counts = apply_waivers(findings, waivers, tiers.__getitem__)
    assert [(f.product, f.resource) for f, _ in waived] == [("acme-prod-x", "ArtifactsBucket")]
    assert [(f.rule_id, f.product, f.resource) for f in open_] == [
        ("CKV_AWS_18", "acme-dev-y", "ArtifactsBucket"),
        ("CKV_AWS_18", "other-z", "ArtifactsBucket"),
        ("CKV_AWS_18", "acme-prod-x", "KmsKey"),
        ("CKV_AWS_21", "acme-prod-x", "ArtifactsBucket"),
    ]
    assert counts == {1: 1}


def test_one_waiver_covers_the_rule_whatever_tool_reports_it(tmp_path: Path) -> None:
    waivers, _ = load_waivers(write(tmp_path, entry(rule="MLPROV_X", product='"*"')), TODAY)
    found = [finding("MLPROV_X", tool=Tool.CFN_GUARD), finding("MLPROV_X", tool=Tool.CFN_LINT)]
    open_, waived, _ = apply_waivers(found, waivers, lambda _: "enterprise")
    assert open_ == [] and len(waived) == 2


def test_unused_waiver_is_a_warning_only_for_gated_products(tmp_path: Path) -> None:
    waivers, _ = load_waivers(write(tmp_path, entry()), TODAY)
    assert unused_warnings(waivers, {1: 0}, {"other-z": "starter"}) == []
    assert unused_warnings(waivers, {1: 0}, {"acme-prod-x": "starter"}) == [
        "warning: waivers.yaml: entry 1 (CKV_AWS_18, product acme-*, resource ArtifactsBucket) matched no finding: "
        "unused (not a failure; delete it once the check passes everywhere)"
    ]
    assert unused_warnings(waivers, {1: 3}, {"acme-prod-x": "starter"}) == []
