"""A change-set preview: counts, one row per resource, DATA-LOSS RISK and WILL FAIL flags, adoptions of retained
resources; as a table, markdown and JSON.

WILL FAIL: a replacement of a resource that keeps its custom name; AWS refuses it (see
:data:`mlprov.aws.replacement.NAME_PROPERTIES`), so deploy-product and show-changes refuse it before execution.
Import (adopt): a retained resource of this product that the change set imports (``ImportExistingResources``).

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
    action: str  # Add, Modify, Remove, Import
    replacement: str  # True, Conditional, False ("" for Add/Remove/Import)
    causes: list[str] = field(default_factory=list)
    physical_id: str = ""
    data_loss: bool = False
    will_fail: str = ""  # the custom name a replacement would keep (AWS refuses it)

    @property
    def kind(self) -> str:
        """add, modify, replace, remove, adopt: what the summary counts."""
        if self.action == "Modify" and self.replacement in {"True", "Conditional"}:
            return "replace"
        return "adopt" if self.action == "Import" else self.action.lower()


@dataclass
class Preview:
    product: str
    stack: str
    change_type: str
    rows: list[Row] = field(default_factory=list)
    no_changes: bool = False

    @property
    def counts(self) -> dict[str, int]:
        out = {"add": 0, "modify": 0, "replace": 0, "remove": 0, "adopt": 0}
        for r in self.rows:
            out[r.kind] += 1
        return out

    @property
    def data_loss(self) -> list[Row]:
        return [r for r in self.rows if r.data_loss]

    @property
    def will_fail(self) -> list[Row]:
        return [r for r in self.rows if r.will_fail]

    @property
    def adoptions(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "adopt"]

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.product, "stack": self.stack, "change_type": self.change_type,
            "no_changes": self.no_changes, "counts": self.counts,
            "data_loss_risk": [r.logical_id for r in self.data_loss],
            "will_fail": [r.logical_id for r in self.will_fail],
            "adopts": [r.logical_id for r in self.adoptions],
            "changes": [asdict(r) | {"kind": r.kind} for r in self.rows],
        }


def build(product: str, stack: str, change_type: str, changes: list[dict[str, Any]], *,
          predicted: dict[str, Predicted], types: dict[str, str], stateful: frozenset[str],
          named: dict[str, str] | None = None) -> Preview:
    """Merge CloudFormation's change entries with our prediction (the stronger replacement wins). ``named``: logical
    id -> custom name of the replacements AWS refuses (:func:`mlprov.aws.replacement.named_replacements`)."""
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
        row.will_fail = (named or {}).get(row.logical_id, "") if row.kind == "replace" else ""
    order = {"remove": 0, "replace": 1, "modify": 2, "adopt": 3, "add": 4}
    ordered = sorted(rows.values(), key=lambda r: (not r.will_fail, not r.data_loss, order[r.kind], r.logical_id))
    return Preview(product, stack, change_type, ordered)


def summary_line(p: Preview) -> str:
    if p.no_changes:
        return f"{p.stack}: no changes"
    c = p.counts
    adopt = f", {c['adopt']} to adopt" if c["adopt"] else ""
    return (f"{p.stack} ({p.change_type}): {c['add']} to add, {c['modify']} to modify, "
            f"{c['replace']} to replace, {c['remove']} to remove{adopt}")


WAY_OUT = "rename it (a new name is created first), or remove it from the stack and then add it back"


def will_fail_line(r: Row) -> str:
    return (f"WILL FAIL: {r.logical_id} ({r.type}) would be replaced under its custom name {r.will_fail}, which AWS refuses; "
            f"{WAY_OUT}")


def adopt_line(r: Row) -> str:
    return f"adopts retained {r.type} {r.physical_id or r.logical_id} as {r.logical_id}"


def table(p: Preview) -> str:
    lines = [summary_line(p)]
    lines += [will_fail_line(r) for r in p.will_fail]
    lines += [adopt_line(r) for r in p.adoptions]
    for r in p.data_loss:
        lines.append(f"DATA-LOSS RISK: {r.logical_id} ({r.type}) would be {'replaced' if r.kind == 'replace' else 'removed'}")
    if p.rows:
        lines.append(f"  {'action':<8} {'logical id':<40} {'type':<36} {'replacement':<12} causes")
        for r in p.rows:
            flag = ("  WILL FAIL" if r.will_fail else "") + ("  DATA-LOSS RISK" if r.data_loss else "")
            lines.append(f"  {r.kind:<8} {r.logical_id:<40} {r.type:<36} {r.replacement or '-':<12} "
                         f"{', '.join(r.causes) or '-'}{flag}")
    return "\n".join(lines)


def markdown(p: Preview, limit: int = COMMENT_LIMIT) -> str:
    """A GitHub comment: summary and data-loss flags first, then as many detail rows as fit."""
    head = [MARKER, f"### mlprov change preview: `{p.product}`", ""]
    if p.no_changes:
        return "\n".join([*head, f"**No changes** to stack `{p.stack}`.", ""])
    c = p.counts
    adopt = f", **{c['adopt']}** to adopt" if c["adopt"] else ""
    head += [f"Stack `{p.stack}` ({p.change_type}): **{c['add']}** to add, **{c['modify']}** to modify, "
             f"**{c['replace']}** to replace, **{c['remove']}** to remove{adopt}.", ""]
    for r in p.will_fail:
        head.append(f"- :no_entry: **WILL FAIL**: `{r.logical_id}` ({r.type}) would be replaced under its custom name "
                    f"`{r.will_fail}`, which AWS refuses; {WAY_OUT}")
    for r in p.adoptions:
        head.append(f"- adopts retained {r.type} `{r.physical_id or r.logical_id}` as `{r.logical_id}`")
    if p.will_fail or p.adoptions:
        head.append("")
    for r in p.data_loss:
        head.append(f"- :warning: **DATA-LOSS RISK**: `{r.logical_id}` ({r.type}) would be "
                    f"{'replaced' if r.kind == 'replace' else 'removed'}")
    if p.data_loss:
        head.append("")
    head += ["| action | logical id | type | replacement | causes |", "|---|---|---|---|---|"]
    rows = [f"| {r.kind}{' **WILL FAIL**' if r.will_fail else ''}{' **DATA-LOSS RISK**' if r.data_loss else ''} | "
            f"`{r.logical_id}` | {r.type} | "
            f"{r.replacement or '-'} | {', '.join(r.causes) or '-'} |" for r in p.rows]
    text = "\n".join(head)
    for i, row in enumerate(rows):
        note = f"\n\n_{len(rows) - i} more change(s) not shown (comment limit); see changes.json in the reports._\n"
        if len(text) + 1 + len(row) + len(note) > limit:
            return text + note
        text += "\n" + row
    return text + "\n"
