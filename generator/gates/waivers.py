"""Waivers as code: the one ``waivers.yaml`` at the repository root.

Each entry waives one rule id (of any of the four tools) for products and resources matching globs, optionally
narrowed to tiers, and names an owner, a justification and an expiry date at most a year out::

    waivers:
      - rule: CT.S3.PR.9
        tiers: [professional, enterprise]
        product: "*"
        resource: ArtifactsBucket
        owner: platform-security@example.com
        justification: Object Lock would make pipeline artifacts undeletable; retention is lifecycle-managed.
        expires: 2027-06-30

A malformed file or field (wrong type, unknown field, bad date) is bad input (exit 2). An expired waiver, one
more than a year out, or one without owner or a real justification is a waiver problem: it waives nothing and
fails the gate (exit 1). A valid waiver that matches no finding is reported as unused (a warning only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from mlprov.config.yamlload import YamlSyntaxError, load
from mlprov.errors import UserError
from mlprov.gates.inline import RULE_ID as INLINE_RULE
from mlprov.gates.model import Finding, Waiver

FILE = "waivers.yaml"
FIELDS = ("rule", "tiers", "product", "resource", "owner", "justification", "expires")
TIERS = ("starter", "professional", "enterprise")
MIN_JUSTIFICATION = 20
MAX_DAYS = 366
HINT = "each entry needs rule, product, resource, owner, justification and expires (YYYY-MM-DD); see README 'Waivers'"


def _bad(index: int, message: str) -> UserError:
    return UserError(f"{FILE}: entry {index}: {message}", hint=HINT)


def _text(entry: dict[str, Any], index: int, name: str, required: bool = True) -> str:
    value = entry.get(name)
    if value is None:
        if required:
            raise _bad(index, f"field '{name}' is required")
        return ""
    if not isinstance(value, str):
        raise _bad(index, f"field '{name}' must be a string, got {type(value).__name__}")
    return value.strip()


def _expiry(entry: dict[str, Any], index: int) -> dt.date | None:
    value = entry.get("expires")
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _bad(index, f"field 'expires' must be a date YYYY-MM-DD, got {value!r}") from None


def _tiers(entry: dict[str, Any], index: int) -> tuple[str, ...]:
    value = entry.get("tiers", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(t not in TIERS for t in value):
        raise _bad(index, f"field 'tiers' must be a list of {', '.join(TIERS)}, got {value!r}")
    return tuple(value)


def _entries(path: Path) -> list[Any]:
    try:
        doc = load(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        raise UserError(f"{FILE}: {exc}", hint=HINT) from None
    if doc is None:
        return []
    if isinstance(doc, dict) and set(doc) <= {"waivers"}:
        doc = doc.get("waivers") or []
    if not isinstance(doc, list):
        raise UserError(f"{FILE}: top level must be 'waivers:' with a list of entries", hint=HINT)
    return doc


def _problems(waiver: Waiver, expires: dt.date | None, today: dt.date) -> list[str]:
    where = f"{FILE}: entry {waiver.index} ({waiver.rule_id})"
    out = []
    if waiver.rule_id == INLINE_RULE:
        out.append(f"{where} field 'rule': {INLINE_RULE} cannot be waived; remove the inline suppression instead")
    if not waiver.owner:
        out.append(f"{where} field 'owner': missing; name the team or person who owns this exception")
    if len(waiver.justification) < MIN_JUSTIFICATION:
        out.append(
            f"{where} field 'justification': missing or too short (at least {MIN_JUSTIFICATION} characters); "
            "say why the check does not apply"
        )
    if expires is None:
        out.append(f"{where} field 'expires': missing; every waiver expires within a year")
    elif expires < today:
        out.append(f"{where} field 'expires': expired on {expires.isoformat()}; fix the finding or renew the waiver after review")
    elif (expires - today).days > MAX_DAYS:
        latest = today + dt.timedelta(days=MAX_DAYS)
        out.append(f"{where} field 'expires': {expires.isoformat()} is more than a year out; choose a date up to {latest.isoformat()}")
    return out


def load_waivers(root: Path, today: dt.date | None = None) -> tuple[list[Waiver], list[str]]:
    """The valid waivers of ``<root>/waivers.yaml`` and one line per waiver problem (those waive nothing)."""
    path = root / FILE
    if not path.is_file():
        return [], []
    today = today or dt.date.today()
    valid: list[Waiver] = []
    problems: list[str] = []
    for index, entry in enumerate(_entries(path), start=1):
        if not isinstance(entry, dict):
            raise _bad(index, f"must be a mapping of {', '.join(FIELDS)}")
        unknown = sorted(set(map(str, entry)) - set(FIELDS))
        if unknown:
            raise _bad(index, f"unknown field '{unknown[0]}' (fields: {', '.join(FIELDS)})")
        expires = _expiry(entry, index)
        waiver = Waiver(
            rule_id=_text(entry, index, "rule"),
            product=_text(entry, index, "product"),
            resource=_text(entry, index, "resource"),
            owner=_text(entry, index, "owner", required=False),
            justification=_text(entry, index, "justification", required=False),
            expires=expires or dt.date.min,
            tiers=_tiers(entry, index),
            index=index,
        )
        found = _problems(waiver, expires, today)
        problems += found
        if not found:
            valid.append(waiver)
    return valid, problems


def covers_product(waiver: Waiver, product: str, tier: str) -> bool:
    return fnmatchcase(product, waiver.product) and (not waiver.tiers or tier in waiver.tiers)


def matches(waiver: Waiver, finding: Finding, tier: str) -> bool:
    return (
        finding.rule_id == waiver.rule_id
        and finding.rule_id != INLINE_RULE
        and covers_product(waiver, finding.product, tier)
        and fnmatchcase(finding.resource, waiver.resource)
    )


def apply_waivers(
    findings: list[Finding], waivers: list[Waiver], tier_of: Callable[[str], str]
) -> tuple[list[Finding], list[tuple[Finding, Waiver]], dict[int, int]]:
    """Split findings into open and waived (with the first matching waiver); count matches per waiver index."""
    open_: list[Finding] = []
    waived: list[tuple[Finding, Waiver]] = []
    counts = {w.index: 0 for w in waivers}
    for finding in findings:
        tier = tier_of(finding.product)
        waiver = next((w for w in waivers if matches(w, finding, tier)), None)
        if waiver is None:
            open_.append(finding)
        else:
            waived.append((finding, waiver))
            counts[waiver.index] += 1
    return open_, waived, counts


def unused_warnings(waivers: list[Waiver], counts: dict[int, int], products: dict[str, str]) -> list[str]:
    """Warnings for valid waivers that cover a gated product but matched nothing (not a failure)."""
    out = []
    for w in waivers:
        if counts.get(w.index) == 0 and any(covers_product(w, p, t) for p, t in products.items()):
            out.append(
                f"warning: {FILE}: entry {w.index} ({w.rule_id}, product {w.product}, resource {w.resource}) matched no finding: "
                "unused (not a failure; delete it once the check passes everywhere)"
            )
    return out
