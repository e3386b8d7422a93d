"""A change-set preview: counts, one row per resource, DATA-LOSS RISK flags; as a table, markdown and JSON.

The markdown is one GitHub comment: at most 65,536 characters, summary first, details truncated with a note.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from mlprov.aws.replacement import RANK, Predicted

COMMENT_LIMIT = 65_536
MARKER = "<!-- mlprov:changes -->"


@dataclass
class Row:
    logical_id: str
    type: str
    action: str  # Add, Modify, Remove
    replacement: str  # True, Conditional, False ("" for Add/Remove)
    causes: list[str] = field(default_factory=list)
    physical_id: str = ""
    data_loss: bool = False

    @property
    def kind(self) -> str:
        """add, modify, replace, remove: what the summary counts."""
        if self.action == "Modify" and self.replacement in {"True", "Conditional"}:
            return "replace"
        return self.action.lower()


@dataclass
class Preview:
    product: str
    stack: str
    change_type: str
    rows: list[Row] = field(default_factory=list)
    no_changes: bool = False

    @property
    def counts(self) -> dict[str, int]:
        out = {"add": 0, "modify": 0, "replace": 0, "remove": 0}
        for r in self.rows:
            out[r.kind] += 1
        return out

    @property
    def data_loss(self) -> list[Row]:
        return [r for r in self.rows if r.data_loss]

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.product, "stack": self.stack, "change_type": self.change_type,
            "no_changes": self.no_changes, "counts": self.counts,
            "data_loss_risk": [r.logical_id for r in self.data_loss],
            "changes": [asdict(r) | {"kind": r.kind} for r in self.rows],
        }


def build(product: str, stack: str, change_type: str, changes: list[dict[str, Any]], *,
          predicted: dict[str, Predicted], types: dict[str, str], stateful: frozenset[str]) -> Preview:
    """Merge CloudFormation's change entries with our prediction (the stronger replacement wins)."""
    rows: dict[str, Row] = {}
    for change in changes:
        rc = change.get("ResourceChange") or {}
        lid = str(rc.get("LogicalResourceId", ""))
        if not lid:
            continue
        causes = sorted({
            str(d["Target"].get("Name") or d["Target"].get("Attribute"))
            for d in rc.get("Details") or []
            if d.get("Target", {}).get("RequiresRecreation") in {"Always", "Conditionally"}
        })
        rows[lid] = Row(lid, str(rc.get("ResourceType", types.get(lid, ""))), str(rc.get("Action", "Modify")),
                        str(rc.get("Replacement") or ""), causes, str(rc.get("PhysicalResourceId") or ""))
    for lid, p in predicted.items():
        row = rows.get(lid)
        if row is None:
            row = rows[lid] = Row(lid, types.get(lid, ""), p.action, "")
        if row.action == "Modify" and RANK.get(p.replacement, 0) > RANK.get(row.replacement, 0):
            row.replacement = p.replacement
        row.causes = sorted(set(row.causes) | set(p.causes))
    for row in rows.values():
        if row.action == "Modify" and not row.replacement:
            row.replacement = "False"
        row.data_loss = row.logical_id in stateful and row.kind in {"replace", "remove"}
    order = {"remove": 0, "replace": 1, "modify": 2, "add": 3}
    ordered = sorted(rows.values(), key=lambda r: (not r.data_loss, order[r.kind], r.logical_id))
    return Preview(product, stack, change_type, ordered)


def summary_line(p: Preview) -> str:
    if p.no_changes:
        return f"{p.stack}: no changes"
    c = p.counts
    return (f"{p.stack} ({p.change_type}): {c['add']} to add, {c['modify']} to modify, "
            f"{c['replace']} to replace, {c['remove']} to remove")


def table(p: Preview) -> str:
    lines = [summary_line(p)]
    for r in p.data_loss:
        lines.append(f"DATA-LOSS RISK: {r.logical_id} ({r.type}) would be {'replaced' if r.kind == 'replace' else 'removed'}")
    if p.rows:
        lines.append(f"  {'action':<8} {'logical id':<40} {'type':<36} {'replacement':<12} causes")
        for r in p.rows:
            flag = "  DATA-LOSS RISK" if r.data_loss else ""
            lines.append(f"  {r.kind:<8} {r.logical_id:<40} {r.type:<36} {r.replacement or '-':<12} "
                         f"{', '.join(r.causes) or '-'}{flag}")
    return "\n".join(lines)


def markdown(p: Preview, limit: int = COMMENT_LIMIT) -> str:
    """A GitHub comment: summary and data-loss flags first, then as many detail rows as fit."""
    head = [MARKER, f"### mlprov change preview: `{p.product}`", ""]
    if p.no_changes:
        return "\n".join([*head, f"**No changes** to stack `{p.stack}`.", ""])
    c = p.counts
    head += [f"Stack `{p.stack}` ({p.change_type}): **{c['add']}** to add, **{c['modify']}** to modify, "
             f"**{c['replace']}** to replace, **{c['remove']}** to remove.", ""]
    for r in p.data_loss:
        head.append(f"- :warning: **DATA-LOSS RISK**: `{r.logical_id}` ({r.type}) would be "
                    f"{'replaced' if r.kind == 'replace' else 'removed'}")
    if p.data_loss:
        head.append("")
    head += ["| action | logical id | type | replacement | causes |", "|---|---|---|---|---|"]
    rows = [f"| {r.kind}{' **DATA-LOSS RISK**' if r.data_loss else ''} | `{r.logical_id}` | {r.type} | "
            f"{r.replacement or '-'} | {', '.join(r.causes) or '-'} |" for r in p.rows]
    text = "\n".join(head)
    for i, row in enumerate(rows):
        note = f"\n\n_{len(rows) - i} more change(s) not shown (comment limit); see changes.json in the reports._\n"
        if len(text) + 1 + len(row) + len(note) > limit:
            return text + note
        text += "\n" + row
    return text + "\n"
