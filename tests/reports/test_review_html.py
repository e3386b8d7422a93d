"""The review page: self-contained, every value escaped, each section showing what it should."""

from __future__ import annotations

from pathlib import Path

from jinja2 import StrictUndefined
from mlprov.reports import graph
from mlprov.reports.environment import environment
from mlprov.reports.review import html, write

from tests.reports.htmlparse import read
from tests.reports.support import (
    ENTERPRISE,
    IMG,
    REPO,
    SCRIPT,
    STARTER,
    TIERS,
    blocked_gate,
    clean_gate,
    data_loss_preview,
    finding,
    marked_up_repo,
    review,
    template,
    waiver,
)


def test_environment_escapes_everything_and_refuses_undefined_names() -> None:
    env = environment()
    assert env.undefined is StrictUndefined
    assert callable(env.autoescape)
    for name in ("review.html.j2", "drift.html.j2", "_graph.svg.j2", "_style.css.j2", "plain.txt", None):
        assert env.autoescape(name) is True, name
    assert env.from_string("{{ v }}").render(v=SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_every_shipped_product_page_is_self_contained_and_lists_every_resource() -> None:
    names = [p.stem for p in sorted((REPO / "products").glob("*.yaml"))]
    assert len(names) == 27 and set(TIERS) <= set(names)
    for name in names:
        page = read(html(review(name, clean_gate(name))))
        resources = template(name)["Resources"]
        assert [a["data-id"] for tag, a in page.tags if tag == "g" and a.get("class") == "node"] == \
            [n.id for n in graph.layout(template(name)).nodes]
        assert set(resources) <= set(page.texts)  # each logical id is a text node of its own (table and graph)
        assert page.elements("script") == [] and page.elements("link") == [] and page.elements("img") == []
        assert page.urls() == [] and page.handlers() == []
        assert len(page.elements("style")) == 1 and len(page.elements("svg")) >= 1
        assert "http://" not in page.text and "https://" not in page.text.replace("https://git-codecommit", "")


def test_markup_in_a_config_value_is_shown_as_text(tmp_path: Path) -> None:
    marked_up_repo(tmp_path)
    text = html(review(STARTER, clean_gate(STARTER), root=tmp_path))
    page = read(text)
    assert f"{SCRIPT} {IMG}" in page.text
    assert page.elements("script") == [] and page.elements("img") == [] and page.handlers() == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in text


def test_markup_in_gate_findings_and_waivers_is_shown_as_text() -> None:
    gate = clean_gate()
    gate.findings = [finding(message=SCRIPT, resource=IMG)]
    f, _w = gate.waived[0]
    gate.waived = [(f, waiver(justification=IMG))]
    page = read(html(review(ENTERPRISE, gate)))
    assert SCRIPT in page.text and page.text.count(IMG) == 2
    assert page.elements("script") == [] and page.elements("img") == []


def test_verdict_and_findings_sorted_worst_first_with_waivers() -> None:
    gate = blocked_gate()
    page = read(html(review(ENTERPRISE, gate)))
    assert page.by_id("verdict") == ("section", {"id": "verdict", "class": "verdict BLOCKED"})
    text = page.text
    assert "BLOCKED — 1 reason(s)" in text and "3 open gate finding(s): 1 high, 1 medium, 1 low" in text
    assert text.index("CKV_AWS_111") < text.index("CKV_AWS_173") < text.index("I3042")
    assert "template.yaml:560" in text
    assert {"class": "mono", "title": f"products/{ENTERPRISE}/template.yaml"} in page.elements("td")
    assert "access logs go to the org bucket" in text and "2027-03-31" in text and "active" in text
    assert "cfn-guard 3.1.1" in text


def test_expired_waiver_is_flagged() -> None:
    from datetime import date

    gate = clean_gate()
    f, _w = gate.waived[0]
    gate.waived = [(f, waiver(expires=date(2026, 1, 1)))]
    text = read(html(review(ENTERPRISE, gate))).text
    assert "EXPIRED" in text and "expired waiver: CKV_AWS_18" in text


def test_gate_not_run_and_no_stack() -> None:
    page = read(html(review(ENTERPRISE, None, "skipped (--no-gate)")))
    assert page.by_id("verdict") == ("section", {"id": "verdict", "class": "verdict UNKNOWN"})
    assert "Gate not run: skipped (--no-gate)." in page.text
    assert "no stack deployed: preview not available" in page.text
    assert page.by_id("findings") is None


def test_change_preview_rows_with_data_loss_flags() -> None:
    page = read(html(review(ENTERPRISE, clean_gate(), state=data_loss_preview())))
    text = page.text
    assert "globalbank-prod-b002-euw1-demand-forecasting-ml (UPDATE): 0 to add, 1 to modify, 1 to replace, 0 to remove" in text
    assert "DATA-LOSS RISK: ArtifactsBucket (AWS::S3::Bucket) would be replaced" in text
    assert page.by_id("change-rows") is not None


def test_resources_iam_deployer_policy_and_graph_sections() -> None:
    t = template(ENTERPRISE)
    page = read(html(review(ENTERPRISE, clean_gate())))
    text = page.text
    for lid in t["Resources"]:
        assert lid in text
    assert "47 in 13 services" in text
    for part in ("deployer.json #1", "cloudformation-service-role.json #4", "drift.json #2"):
        assert part in text
    assert "managed policy BuildManagedPolicy" in text and "Ref PermissionBoundaryPolicy" in text
    g = graph.layout(t)
    nodes = [a for tag, a in page.tags if tag == "g" and a.get("class") == "node"]
    assert [a["data-id"] for a in nodes] == [n.id for n in g.nodes]
    assert len([a for tag, a in page.tags if tag == "path" and a.get("class", "").startswith("edge ")]) == len(g.edges) == 62


def test_write_puts_the_page_in_the_product_folder(tmp_path: Path) -> None:
    path = write(review(STARTER, clean_gate(STARTER)), tmp_path)
    assert path == tmp_path / STARTER / "review.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_waivers_in_force_are_those_covering_the_product_with_expired_ones_flagged() -> None:
    from dataclasses import replace
    from datetime import date

    from mlprov.reports.review import in_force

    from tests.reports.support import TODAY, product

    gate = clean_gate()
    mine, expired = waiver("CKV_AWS_1"), waiver("CKV_AWS_2", expires=date(2026, 1, 1))
    other = replace(waiver("CKV_AWS_3"), product="startupco-*")
    gate.active_waivers = [mine, expired, other]  # type: ignore[attr-defined]
    gate.warnings = ["waivers.yaml entry 3 (CKV_AWS_3) matched no finding"]  # type: ignore[attr-defined]
    assert in_force(gate, product(ENTERPRISE), TODAY) == [(expired, True), (mine, False)]
    assert in_force(None, product(ENTERPRISE), TODAY) == []
    page = read(html(review(ENTERPRISE, gate)))
    assert page.by_id("active-waivers") is not None
    assert "CKV_AWS_1" in page.text and "CKV_AWS_3" not in page.text.split("Gate warnings")[0]
    assert "waivers.yaml entry 3 (CKV_AWS_3) matched no finding" in page.text
    try:
        tiered = replace(mine, tiers=("starter",))  # type: ignore[call-arg]
    except TypeError:  # a Waiver without tiers (older gate model)
        return
    gate.active_waivers = [tiered]  # type: ignore[attr-defined]
    assert in_force(gate, product(ENTERPRISE), TODAY) == []


def test_footer_names_the_git_commit_and_the_template_sha256() -> None:
    import hashlib
    import subprocess

    from tests.reports.support import REPO

    page = read(html(review(ENTERPRISE, clean_gate())))
    digest = hashlib.sha256((REPO / "products" / ENTERPRISE / "template.yaml").read_bytes()).hexdigest()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    footer = page.text[page.text.index("git commit "):]
    assert footer.startswith(f"git commit {head}")
    assert f"template sha256 {digest}" in footer


def test_footer_outside_a_repository_says_the_commit_is_unknown(tmp_path: Path) -> None:
    from mlprov.reports.provenance import of

    (tmp_path / "t.yaml").write_text("x")
    got = of(tmp_path, tmp_path / "t.yaml")
    assert got.commit.startswith("unknown (") and got.template_sha256 == \
        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
