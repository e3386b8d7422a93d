"""The engine with stand-in tools: one batch per tool, the content-hash cache, merging, waivers and inline findings."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from mlprov.gates import engine
from mlprov.gates.model import Finding, Severity, Tool
from mlprov.gates.targets import Target, resolve_targets
from mlprov.gates.toolbase import ToolOutput
from mlprov.paths import Repo

A = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
B = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"
C = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"


class FakeTool:
    """Reports FAKE_<tool> on ModelPackageGroup of every template holding the text 'BAD'; records its batches."""

    def __init__(self, tool: Tool, version: str, batches: list[tuple[Tool, list[str]]]) -> None:
        self.tool = tool
        self.version = version
        self.fingerprint = f"{tool.value}-{version}"
        self.batches = batches

    def digest(self, target: Target) -> str:
        return target.digest

    def command(self, targets: list[Target]) -> list[str]:
        self.batches.append((self.tool, sorted(t.product for t in targets)))
        return ["true"]

    def env(self) -> dict[str, str]:
        return {}

    def parse(self, out: ToolOutput, targets: list[Target]) -> dict[str, list[Finding]]:
        assert out.returncode == 0
        return {
            t.product: [
                Finding(self.tool, f"FAKE_{self.tool.name}", Severity.HIGH, t.product, "ModelPackageGroup", "bad", "fix", t.rel, 3)
            ]
            if b"BAD" in t.data
            else []
            for t in targets
        }


@pytest.fixture
def fake(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]]:
    for config in (repo_copy / "products").glob("*.yaml"):
        if config.stem not in (A, B, C):
            config.unlink()
            shutil.rmtree(config.with_suffix(""))
    batches: list[tuple[Tool, list[str]]] = []
    versions = {t.value: "1.0" for t in Tool}

    def factories(root: Path, tools: tuple[Tool, ...]) -> list[Callable[[], FakeTool]]:
        return [partial(FakeTool, t, versions[t.value], batches) for t in Tool if t in tools]

    monkeypatch.setattr(engine, "runner_factories", factories)
    return repo_copy, batches, versions


def gate(root: Path, use_cache: bool = True, tools: tuple[Tool, ...] = tuple(Tool)) -> engine.GateResult:
    return engine.run_gate(Repo(root), [], use_cache=use_cache, tools=tools)


def append(root: Path, product: str, text: str) -> None:
    path = root / "products" / product / "template.yaml"
    path.write_text(path.read_text() + text)


Fake = tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]]


def test_one_batch_per_tool_then_everything_from_the_cache(fake: Fake) -> None:
    root, batches, _ = fake
    first = gate(root)
    assert sorted(batches) == sorted((t, [A, B, C]) for t in Tool)
    assert (first.scanned, first.cache_hits) == (12, 0)  # 3 templates x 4 tools
    assert {k: (v.scanned, v.cache_hits) for k, v in first.tools.items()} == {t.value: (3, 0) for t in Tool}
    batches.clear()
    second = gate(root)
    assert batches == []
    assert (second.scanned, second.cache_hits) == (0, 12)
    assert second.clean


def test_editing_one_template_rescans_only_it_and_findings_come_back_from_cache(
    fake: tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]],
) -> None:
    root, batches, _ = fake
    gate(root)
    append(root, B, "# BAD\n")
    batches.clear()
    result = gate(root)
    assert sorted(batches) == sorted((t, [B]) for t in Tool)
    assert (result.scanned, result.cache_hits) == (4, 8)
    assert [(f.tool, f.rule_id, f.product) for f in result.findings] == [
        (Tool.CFN_GUARD, "FAKE_CFN_GUARD", B), (Tool.CFN_LINT, "FAKE_CFN_LINT", B), (Tool.CHECKOV, "FAKE_CHECKOV", B),
        (Tool.IAM_ESCALATION, "FAKE_IAM_ESCALATION", B),
    ]
    batches.clear()
    again = gate(root)
    assert batches == [] and again.findings == result.findings and not again.clean


def test_a_tool_version_or_rule_change_invalidates_that_tool_only(
    fake: tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]],
) -> None:
    root, batches, versions = fake
    gate(root)
    versions["cfn-guard"] = "2.0"  # a new version, or changed rules: a new fingerprint
    batches.clear()
    result = gate(root)
    assert batches == [(Tool.CFN_GUARD, [A, B, C])]
    assert {k: v.scanned for k, v in result.tools.items()} == {"cfn-lint": 0, "cfn-guard": 3, "checkov": 0, "iam-escalation": 0}


def test_identical_templates_are_scanned_once_and_reported_for_each_product(
    fake: tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]],
) -> None:
    root, batches, _ = fake
    same = (root / "products" / A / "template.yaml").read_text() + "# BAD\n"
    for product in (A, C):
        (root / "products" / product / "template.yaml").write_text(same)
    result = gate(root, tools=(Tool.CHECKOV,))
    assert batches == [(Tool.CHECKOV, [A, B])]
    assert [(f.product, f.template) for f in result.findings if f.tool is Tool.CHECKOV] == [
        (A, f"products/{A}/template.yaml"), (C, f"products/{C}/template.yaml")
    ]
    # C's config is professional, its template now says starter: the gate judges it as professional, and says so
    assert [(f.product, f.rule_id, f.severity.value) for f in result.findings if f.tool is not Tool.CHECKOV] == [
        (C, "MLPROV_TIER_LABEL", "critical")]


def test_no_cache_scans_everything_and_stores_nothing(fake: tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]]) -> None:
    root, batches, _ = fake
    gate(root, use_cache=False)
    gate(root, use_cache=False)
    assert len(batches) == 8  # 4 tools, twice
    assert not (root / ".cache" / "gate").exists()
    assert not (Path(os.environ["MLPROV_CACHE_DIR"]) / "gate").exists()


def test_an_unparseable_template_goes_to_cfn_lint_only(fake: tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]]) -> None:
    root, batches, _ = fake
    (root / "products" / A / "template.yaml").write_text("Resources: [ BAD\n")
    gate(root)
    assert sorted(batches) == [
        (Tool.CFN_GUARD, [B, C]), (Tool.CFN_LINT, [A, B, C]), (Tool.CHECKOV, [B, C]), (Tool.IAM_ESCALATION, [B, C])]


def test_inline_suppressions_and_waivers_merge_into_the_result(
    fake: tuple[Path, list[tuple[Tool, list[str]]], dict[str, str]],
) -> None:
    root, _, _ = fake
    append(root, A, "# BAD checkov:skip=CKV_AWS_1\n")
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    (root / "waivers.yaml").write_text(
        "waivers:\n"
        "  - {rule: FAKE_CHECKOV, product: 'startupco-*', resource: ModelPackage*, owner: team-a,"
        f" justification: stand-in tool finding waived here, expires: {soon}}}\n"
        "  - {rule: FAKE_CFN_LINT, product: '*', resource: '*', owner: team-a, justification: a waiver that is long expired,"
        " expires: 2020-01-01}\n"
    )
    result = gate(root)
    assert [(f.tool, f.rule_id) for f in result.findings] == [
        (Tool.CFN_GUARD, "FAKE_CFN_GUARD"), (Tool.CFN_LINT, "FAKE_CFN_LINT"), (Tool.CHECKOV, "MLPROV_INLINE_SUPPRESSION"),
        (Tool.IAM_ESCALATION, "FAKE_IAM_ESCALATION"),
    ]
    assert [(f.rule_id, w.index) for f, w in result.waived] == [("FAKE_CHECKOV", 1)]
    assert result.waiver_problems == [
        "waivers.yaml: entry 2 (FAKE_CFN_LINT) field 'expires': expired on 2020-01-01; "
        "fix the finding or renew the waiver after review"
    ]
    assert [w.index for w in result.active_waivers] == [1]


def test_targets_are_read_once_with_their_digest(repo_copy: Path) -> None:
    (target,) = resolve_targets(Repo(repo_copy), [A])
    assert len(target.digest) == 64 and target.data == (repo_copy / target.rel).read_bytes()


def test_unused_waivers_are_reported_only_when_every_tool_ran(fake: Fake) -> None:
    root, _, _ = fake
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    (root / "waivers.yaml").write_text(
        "waivers:\n  - {rule: FAKE_CFN_LINT, product: '*', resource: '*', owner: team-a,"
        f" justification: a stand-in waiver that matches nothing here, expires: {soon}}}\n"
    )
    assert gate(root, tools=(Tool.IAM_ESCALATION,)).warnings == []  # cfn-lint did not run: not "unused"
    assert gate(root).warnings == [
        "warning: waivers.yaml: entry 1 (FAKE_CFN_LINT, product *, resource *) matched no finding: "
        "unused (not a failure; delete it once the check passes everywhere)"
    ]
