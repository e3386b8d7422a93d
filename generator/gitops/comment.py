"""The ONE sticky pull-request comment (and the drift issue) built from the reports the actions write.

Inputs: ``<reports>/<product>/changes.json`` (show-changes), ``review.json`` (show-changes --review),
``forecast.json`` (the forecast show-changes runs first; blockers listed even when no preview followed) and
``drift.json``/``drift.md`` (check-drift). The comment starts with a hidden marker that identifies it, then the
summary (one row per product, data-loss flags), then per-product details as long as GitHub's 65,536-character
limit allows; the full detail goes to the job summary ($GITHUB_STEP_SUMMARY) instead.

Every value read from the reports (product, stack, logical id, type, causes: they come from configs and AWS) goes
through :mod:`mlprov.reports.mdsafe` (code spans that cannot be broken out of, safe in table cells) or, inside the
``<summary>`` HTML, through ``html.escape``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from mlprov.reports.mdsafe import code
from mlprov.reports.mdsafe import text as plain

PLAN_MARKER = "<!-- mlprov:plan -->"
DRIFT_MARKER = "<!-- mlprov:drift-issue -->"
LIMIT = 65_536
KINDS = ("add", "modify", "replace", "remove")


def _read(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load(reports_dir: Path, name: str, products: list[str] | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """``(folder, data)`` for each ``<reports>/<product>/<name>``, in product order (``products``: only those)."""
    if products is None:
        folders = sorted(p for p in reports_dir.iterdir() if p.is_dir()) if reports_dir.is_dir() else []
    else:
        folders = [reports_dir / p for p in products]
    out = []
    for folder in folders:
        data = _read(folder / name)
        if data is not None:
            out.append((folder, data))
    return out


def _counts(changes: dict[str, Any]) -> str:
    if changes["no_changes"]:
        return "no changes"
    c = changes["counts"]
    return ", ".join(f"{c[k]} {k}" for k in KINDS if c[k]) or "no changes"


def _details(changes: dict[str, Any]) -> str:
    rows = ["| action | logical id | type | replacement | causes |", "|---|---|---|---|---|"]
    for r in changes["changes"]:
        flag = " **DATA-LOSS RISK**" if r["data_loss"] else ""
        rows.append(f"| {plain(r['kind'])}{flag} | {code(r['logical_id'])} | {code(r['type'])} | "
                    f"{plain(r['replacement'] or '-')} | {', '.join(code(c) for c in r['causes']) or '-'} |")
    return "\n".join(rows)


def _section(changes: dict[str, Any], review: dict[str, Any] | None) -> str:
    lines = [f"<details><summary><code>{html.escape(str(changes['product']))}</code>: {html.escape(_counts(changes))}"
             "</summary>", ""]
    if review and review.get("change_set_name"):
        ident = review["identity"]
        lines += [f"Kept change set {code(review['change_set_name'])}: template sha256 "
                  f"{code(str(ident['template_sha256'])[:12])}, parameters sha256 {code(str(ident['parameters_sha256'])[:12])}, "
                  f"stack last updated {code(ident['stack_updated'])}.", ""]
    if not changes["no_changes"]:
        lines += [_details(changes), ""]
    lines.append("</details>")
    return "\n".join(lines)


def _forecast(reports_dir: Path, products: list[str] | None) -> list[str]:
    """The forecast's blockers and warnings, one line each with its code (nothing when all were clean)."""
    noted = [d for _f, d in load(reports_dir, "forecast.json", products)
             if any(f["severity"] != "info" for f in d.get("findings", []))]
    if not noted:
        return []
    blocked = [d for d in noted if d.get("blockers")]
    out = ["", "### Forecast: what AWS would refuse", ""]
    if blocked:
        out += [f"**{len(blocked)} product(s) blocked**: the deploy is refused until each blocker is fixed.", ""]
    for d in noted:
        mark = ":no_entry:" if d.get("blockers") else ":warning:"
        out.append(f"- {mark} `{d['product']}`")
        for f in d["findings"]:
            if f["severity"] != "info":
                fix = f" (fix: {f['fix']})" if f.get("fix") else ""
                out.append(f"  - `{f['code']}` {f['severity']}: {f['message']}{fix}")
    return out


def plan_comment(reports_dir: Path, products: list[str] | None = None, limit: int = LIMIT, full: bool = False) -> str:
    """The sticky comment body (``full``: every detail, no limit: the job summary)."""
    entries = [(data, _read(folder / "review.json")) for folder, data in load(reports_dir, "changes.json", products)]
    changed = [c for c, _ in entries if not c["no_changes"]]
    risky = [c for c in changed if c["data_loss_risk"]]
    head = [PLAN_MARKER, "## mlprov change preview", "",
            f"{len(entries)} product(s) previewed: **{len(changed)}** with changes, {len(entries) - len(changed)} without"
            + (f", **{len(risky)} with DATA-LOSS RISK**." if risky else "."), ""]
    for c in risky:
        head.append(f"- :warning: **DATA-LOSS RISK** in {code(c['product'])}: {', '.join(code(x) for x in c['data_loss_risk'])}")
    if risky:
        head.append("")
    if entries:
        head += ["| product | stack | type | add | modify | replace | remove | change set |", "|---|---|---|---|---|---|---|---|"]
        for c, r in entries:
            counts = " | ".join(plain(c["counts"][k]) for k in KINDS)
            kept = code(r["change_set_name"]) if r and r.get("change_set_name") else "-"
            kind = "-" if c["no_changes"] else plain(c["change_type"])
            head.append(f"| {code(c['product'])} | {code(c['stack'])} | {kind} | {counts} | {kept} |")
        head.append("")
    head.append("Merging executes exactly these kept change sets (`mlprov deploy-product --reviewed`); if the template, "
                "its parameters or the stack change after this preview, the deploy stops and waits for approval.")
    if risky:
        head.append("A change with a DATA-LOSS RISK is refused on merge: back the data up, then deploy it with "
                    "`mlprov deploy-product CONFIG --reviewed --allow-data-loss`.")
    head += _forecast(reports_dir, products)
    text = "\n".join(head) + "\n"
    sections = [_section(c, r) for c, r in entries if not c["no_changes"]]
    for i, section in enumerate(sections):
        note = (f"\n_{len(sections) - i} product(s)' details not shown (comment limit of {limit} characters); "
                "the job summary has them all._\n")
        if not full and len(text) + len(section) + 2 + len(note) > limit:
            return text + note
        text += "\n" + section + "\n"
    return text


def drift_issue(reports_dir: Path, products: list[str] | None = None, limit: int = LIMIT) -> tuple[str, bool]:
    """The drift issue's body and whether any product drifted."""
    entries = load(reports_dir, "drift.json", products)
    drifted = [(f, d) for f, d in entries if d["drifted"]]
    head = [DRIFT_MARKER, "## mlprov drift report", "",
            f"{len(entries)} product(s) checked: **{len(drifted)} drifted**.", "",
            "| product | stack | verdict | drifted | deleted | in sync | not checked | coverage |",
            "|---|---|---|---|---|---|---|---|"]
    for _f, d in entries:
        c = d["counts"]
        verdict = d.get("verdict") or ("DRIFTED" if d["drifted"] else "IN_SYNC")
        head.append(f"| {code(d['product'])} | {code(d['stack'])} | {plain(verdict)} | {plain(c['DRIFTED'])} | "
                    f"{plain(c['DELETED'])} | {plain(c['IN_SYNC'])} | {plain(c['NOT_CHECKED'])} | {plain(d['coverage_percent'])}% |")
    text = "\n".join(head) + "\n"
    for i, (folder, d) in enumerate(drifted):
        # drift.md escapes every value itself (mlprov.aws.drift.markdown)
        md = (folder / "drift.md").read_text(encoding="utf-8").replace("<!-- mlprov:drift -->\n", "")
        section = f"<details><summary><code>{html.escape(str(d['product']))}</code></summary>\n\n{md}\n</details>"
        note = f"\n_{len(drifted) - i} drifted product(s)' details not shown (issue size limit); see the run's reports._\n"
        if len(text) + len(section) + 2 + len(note) > limit:
            return text + note, bool(drifted)
        text += "\n" + section + "\n"
    return text, bool(drifted)
