"""The verdict at the top of the review report: READY, BLOCKED (and why), UNKNOWN when the gate did not run."""

from __future__ import annotations

from datetime import date

from mlprov.gates.model import GateResult
from mlprov.reports.changes import FAILED, NOT_REQUESTED, NOT_REQUESTED_TEXT, PreviewState
from mlprov.reports.verdict import BLOCKED, READY, STATIC_ONLY, UNKNOWN, decide

from tests.reports.support import NO_STACK_STATE, TODAY, blocked_gate, clean_gate, data_loss_preview, preview, waiver

NOT_ASKED = PreviewState(NOT_REQUESTED, NOT_REQUESTED_TEXT)


def test_ready_when_gate_clean_renderings_current_and_no_data_loss() -> None:
    v = decide(clean_gate(), "", [], preview(no_changes=True), TODAY)
    assert (v.status, v.ready, v.reasons, v.headline) == (READY, True, [], "READY to deploy")
    assert v.passed == ["gate clean (1 finding(s) waived)", "committed renderings are up to date",
                        "no data-loss risk in the change preview (globalbank-prod-b002-euw1-demand-forecasting-ml: no changes)",
                        "pre-flight passed (the deploy's prerequisites exist)"]


def test_ready_without_a_deployed_stack_once_the_preflight_passed() -> None:
    v = decide(clean_gate(), "", [], NO_STACK_STATE, TODAY)
    assert (v.status, v.headline) == (READY, "READY to deploy")
    assert v.passed[2:] == ["no stack deployed yet: the first deploy only adds resources",
                            "pre-flight passed (the deploy's prerequisites exist)"]


def test_without_aws_it_is_ready_on_static_checks_only_and_says_what_was_not_checked() -> None:
    v = decide(clean_gate(), "", [], NOT_ASKED, TODAY)
    assert (v.status, v.ready, v.deployable, v.headline) == (STATIC_ONLY, False, True, "READY (static checks only)")
    assert v.passed == ["gate clean (1 finding(s) waived)", "committed renderings are up to date"]
    assert v.reasons == ["not checked: change preview: no AWS endpoint or credentials given: preview not available",
                         "not checked: pre-flight not run (no AWS endpoint or credentials given)"]


def test_a_preview_without_preflight_is_not_ready() -> None:
    shown = preview(no_changes=True)
    no_preflight = PreviewState(shown.status, shown.message, shown.preview, None,
                                "pre-flight could not run: AWS denied DescribeVpcs: AccessDenied")
    v = decide(clean_gate(), "", [], no_preflight, TODAY)
    assert v.status == STATIC_ONLY
    assert v.reasons == ["not checked: pre-flight could not run: AWS denied DescribeVpcs: AccessDenied"]


def test_a_deploy_that_would_fail_preflight_is_blocked() -> None:
    shown = preview(no_changes=True)
    failing = PreviewState(shown.status, shown.message, shown.preview, ["VPC vpc-1 (network.vpc_id/subnet_ids) does not exist"])
    v = decide(clean_gate(), "", [], failing, TODAY)
    assert (v.status, v.reasons) == (BLOCKED, ["pre-flight: VPC vpc-1 (network.vpc_id/subnet_ids) does not exist"])


def test_blocked_by_findings_counted_by_severity() -> None:
    v = decide(blocked_gate(), "", [], NO_STACK_STATE, TODAY)
    assert v.status == BLOCKED and not v.ready
    assert v.reasons == ["3 open gate finding(s): 1 high, 1 medium, 1 low"]
    assert v.headline == "BLOCKED — 1 reason(s)"


def test_blocked_by_expired_waiver_and_waiver_problems() -> None:
    gate = clean_gate()
    f, _w = gate.waived[0]
    gate.waived = [(f, waiver(expires=date(2026, 11, 24)))]
    gate.waiver_problems = ["waivers.yaml: entry 3: owner missing"]
    v = decide(gate, "", [], NO_STACK_STATE, TODAY)
    assert v.status == BLOCKED
    assert v.reasons == ["waiver problem: waivers.yaml: entry 3: owner missing",
                         "expired waiver: CKV_AWS_18 on globalbank-*/ArtifactsBucket "
                         "(owner security@globalbank.example, expired 2026-11-24)"]
    gate.waived = [(f, waiver(expires=TODAY))]  # expires today: still valid today
    gate.waiver_problems = []
    assert decide(gate, "", [], NO_STACK_STATE, TODAY).status == READY


def test_blocked_by_data_loss_stale_rendering_and_failed_preview() -> None:
    v = decide(clean_gate(), "", [("products/x/template.yaml", "out of date")], data_loss_preview(), TODAY)
    assert v.reasons == ["stale rendering: products/x/template.yaml (out of date); run `mlprov render`",
                         "DATA-LOSS RISK: ArtifactsBucket (AWS::S3::Bucket) would be replaced"]
    failed = PreviewState(FAILED, "change preview failed: AWS denied CreateChangeSet: AccessDenied: no")
    assert decide(clean_gate(), "", [], failed, TODAY).reasons == [failed.message]


def test_unknown_when_the_gate_did_not_run_and_blocked_wins_over_unknown() -> None:
    v = decide(None, "skipped (--no-gate)", [], NO_STACK_STATE, TODAY)
    assert (v.status, v.ready, v.reasons) == (UNKNOWN, False, ["gate not run: skipped (--no-gate)"])
    assert v.headline == "UNKNOWN — gate not run (not ready)"
    v = decide(None, "skipped (--no-gate)", [("t", "missing")], NO_STACK_STATE, TODAY)
    assert v.status == BLOCKED and v.reasons[-1] == "gate not run: skipped (--no-gate)"


def test_an_empty_gate_result_counts_as_clean() -> None:
    assert decide(GateResult(["p"]), "", [], NO_STACK_STATE, TODAY).passed[0] == "gate clean (0 finding(s) waived)"
