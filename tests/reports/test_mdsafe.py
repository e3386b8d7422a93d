"""Values from AWS or a config cannot inject markdown into drift.md, the drift issue or the PR comment: rendered
with GitHub's own cmark (cmarkgfm, tables on), a tampered value with backticks, pipes, newlines, a heading, a link,
an image, raw HTML and an @mention stays one code span in one table cell."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from mlprov.aws.drift import markdown, write_reports
from mlprov.aws.driftmodel import DRIFTED, IN_SYNC, Difference, DriftReport, ResourceDrift
from mlprov.aws.plan import write_reports as write_preview
from mlprov.aws.preview import Preview, Row
from mlprov.gitops.comment import drift_issue, plan_comment
from mlprov.reports.mdsafe import code, text

HOSTILE = ("x` | y\n# heading\r\n@octocat ![img](http://e.example/x.png) [link](http://e.example) <img src=x> "
           "``` \\| end `")
PARTS = ["`x", "|", "\\n", "# heading", "@octocat", "![img](", "[link](", "<img src=x>"]


class _Html(HTMLParser):
    """Tags seen, text inside <code>, text outside it, and cells per table row."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.code: list[str] = []
        self.outside: list[str] = []
        self.rows: list[int] = []
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "code":
            self._in_code += 1
            self.code.append("")
        elif tag == "tr":
            self.rows.append(0)
        elif tag in {"td", "th"}:
            self.rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code[-1] += data
        else:
            self.outside.append(data)


def _render(md: str) -> _Html:
    page = _Html()
    page.feed(cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE))
    return page


def _assert_contained(page: _Html, columns: int) -> None:
    assert not {"img", "a", "h1", "h2", "h4", "h5", "h6", "script"} & set(page.tags), page.tags
    assert set(page.rows) == {columns}, page.rows  # no cell split, no row broken off
    assert "@octocat" not in "".join(page.outside)  # plain text shows "@\u200boctocat": no mention


@pytest.mark.parametrize("value", [HOSTILE, "`", "``", "|", "\\|", "\\\\|", " ", "a\nb", "@x", "![i](x)", "[l](x)", "# h"])
def test_a_code_span_holds_any_value_in_one_table_cell(value: str) -> None:
    page = _render(f"| a | b |\n|---|---|\n| {code(value)} | {text(value)} |\n")
    _assert_contained(page, 2)
    if "\\|" not in value:  # shown exactly (an odd run of backslashes before a pipe gains one: see mdsafe)
        assert page.code[0].strip() == value.replace("\n", "\\n").strip()


def test_plain_text_shows_the_value_without_markup() -> None:
    page = _render(f"| a |\n|---|\n| {text(HOSTILE)} |\n")
    _assert_contained(page, 1)
    assert "".join(page.outside).replace("\u200b", "").count("@octocat") == 1  # shown, but broken as a mention


def _report() -> DriftReport:
    rows = [ResourceDrift("ModelPackageGroupArnParameter", "AWS::SSM::Parameter", "/mlprov/p/ModelPackageGroupArn", DRIFTED,
                          [Difference("Value", "arn:aws:sagemaker:::x", HOSTILE)], ["exists", "Value"]),
            ResourceDrift("Other", "AWS::SNS::Topic", HOSTILE, IN_SYNC, checked=["exists"], note=HOSTILE)]
    return DriftReport("prod-a", "prod-a-stack", HOSTILE, rows)


def test_drift_md_contains_a_tampered_ssm_value(tmp_path: Path) -> None:
    md = markdown(_report())
    page = _render(md)
    _assert_contained(page, 5)
    assert page.tags.count("h3") == 1
    shown = HOSTILE.replace("\r\n", "\\n").replace("\n", "\\n").replace("\\|", "\\\\|")  # odd backslash run: +1
    assert page.code.count(shown) == 1  # the SSM value: one whole code span (the note is plain text)


def test_the_drift_issue_contains_it_too(tmp_path: Path) -> None:
    write_reports(_report(), tmp_path)
    body, drifted = drift_issue(tmp_path)
    assert drifted
    page = _render(body)
    assert not {"img", "a", "h1", "h4", "script"} & set(page.tags)
    assert "@octocat" not in "".join(page.outside)


def test_the_pr_comment_contains_hostile_logical_ids_and_causes(tmp_path: Path) -> None:
    rows = [Row("Bucket", "AWS::S3::Bucket", "Modify", "True", [HOSTILE], data_loss=True),
            Row(HOSTILE, HOSTILE, "Add", "", [])]
    write_preview(Preview("prod-a", "prod-a-stack", "UPDATE", rows), tmp_path)
    body = plan_comment(tmp_path)
    page = _render(body)
    assert not {"img", "a", "h1", "h3", "h4", "script"} & set(page.tags)
    assert "@octocat" not in "".join(page.outside)
    assert all(n in {5, 8} for n in page.rows), page.rows
    assert json.loads((tmp_path / "prod-a" / "changes.json").read_text())["changes"][1]["logical_id"] == HOSTILE
