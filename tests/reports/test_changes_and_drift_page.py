"""When the review report asks AWS for a preview, and the drift page's content."""

from __future__ import annotations

import argparse

import pytest
from mlprov.reports import changes, drift_html
from mlprov.reports.changes import NOT_REQUESTED, fetch, requested

from tests.reports.htmlparse import read
from tests.reports.support import SCRIPT, STARTER, drift_report, product, template


def _args(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(**({"endpoint_url": None, "profile": None, "region": None, "no_preview": False} | kw))


def test_preview_only_when_an_endpoint_or_credentials_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not requested(_args())
    assert requested(_args(endpoint_url="http://127.0.0.1:5000"))
    assert requested(_args(profile="deployer"))
    for key in changes.CREDENTIAL_ENV:
        monkeypatch.setenv(key, "x")
        assert requested(_args()), key
        monkeypatch.delenv(key)


def test_no_preview_wins_and_nothing_is_called(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object) -> None:
        raise AssertionError("AWS must not be asked")

    monkeypatch.setattr("mlprov.aws.session.connect", boom)
    state = fetch(_args(endpoint_url="http://127.0.0.1:9", no_preview=True), product(STARTER), "", template(STARTER))
    assert (state.status, state.message, state.preview, state.data_loss) == (NOT_REQUESTED, "preview skipped (--no-preview)", None, [])
    state = fetch(_args(), product(STARTER), "", template(STARTER))
    assert state.message == "no AWS endpoint or credentials given: preview not available"


def test_drift_page_orders_by_status_and_shows_expected_and_actual() -> None:
    report = drift_report()
    report.resources[0].differences[0].actual = SCRIPT
    text = drift_html.html(report)
    page = read(text)
    assert page.elements("script") == [] and page.urls() == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and SCRIPT in page.texts
    ids = [t for t in page.texts if t in {r.logical_id for r in report.resources}]
    assert ids == ["RepositoryUrlParameter", "ArtifactsBucket", "ModelPackageGroupArnParameter", "MonitoringDashboard",
                   "CodeBuildRole", "KmsKey"]
    body = page.text
    assert "2 in sync · 2 drifted · 1 deleted · 1 not checked" in " ".join(body.split())
    assert "83.3%" in body and "native drift detection: native drift detection unavailable on this endpoint" in body
    assert '{\n "BlockPublicAcls": false,\n "BlockPublicPolicy": true\n}' in page.texts
    assert "the parameter is gone" in body and "checked: exists, EnableKeyRotation" in body
    assert "not compared: no check for this resource type" not in body  # the dashboard has a note
    assert "no live check for this type" in body


def test_in_sync_report_is_green() -> None:
    report = drift_report()
    report.resources = [r for r in report.resources if r.status == "IN_SYNC"]
    page = read(drift_html.html(report))
    assert page.by_id("verdict") == ("section", {"id": "verdict", "class": "verdict READY"})
    assert "IN SYNC" in page.texts and "100.0%" in page.text


def test_an_aws_failure_becomes_a_failed_preview_that_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.stub import Stubber
    from mlprov.aws.session import Aws, Target
    from mlprov.reports.changes import FAILED
    from mlprov.reports.verdict import BLOCKED, decide

    from tests.reports.support import TODAY, clean_gate

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    aws = Aws(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"))
    stub = Stubber(aws.cfn)
    stub.add_client_error("describe_stacks", service_error_code="AccessDenied", service_message="not allowed", http_status_code=403)
    monkeypatch.setattr("mlprov.aws.session.connect", lambda _args, _product: aws)
    with stub:
        state = fetch(_args(endpoint_url="http://127.0.0.1:9"), product(STARTER), "", template(STARTER))
    assert state.status == FAILED
    assert state.message == "change preview failed: AWS denied DescribeStacks: AccessDenied: not allowed"
    verdict = decide(clean_gate(STARTER), "", [], state, TODAY)
    assert (verdict.status, verdict.reasons) == (BLOCKED, [state.message])
