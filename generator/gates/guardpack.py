"""Our cfn-guard rule pack: ``rules/guard/*.guard``, one named rule per file, its tests beside it.

Each rule file starts with a header of ``# Key: value`` comment lines (a value may continue on indented comment
lines)::

    # Rule: Every symmetric KMS key the stack creates has automatic key rotation on
    # Severity: high
    # Tiers: every tier
    # Fix: set EnableKeyRotation: true on the AWS::KMS::Key

and holds exactly one named rule ``rule MLPROV_... { ... }``; its ``cfn-guard test`` cases are in
``tests/<file stem>_tests.yaml``. :func:`load_pack` refuses a pack that breaks these conventions or in which two
files declare the same rule id, naming the file(s), so the gate engine can hand the files to one cfn-guard run
and map each reported rule name back to its severity and fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mlprov.assets import rule_pack_dir
from mlprov.errors import UserError
from mlprov.gates.model import Severity

PACK_DIR = Path("rules") / "guard"
TESTS_DIR = "tests"
RULE_ID = re.compile(r"MLPROV_[A-Z0-9_]+")
_HEADER_FIELD = re.compile(r"#\s*([A-Za-z]+):\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")
_MESSAGE = re.compile(r"<<.*?>>", re.DOTALL)
_NAMED_RULE = re.compile(r"^\s*rule\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
_REQUIRED = ("Rule", "Severity", "Fix")
_SEVERITIES = ", ".join(s.value for s in Severity)


@dataclass(frozen=True)
class GuardRule:
    """One rule of the pack: its id (the guard rule name), file, severity, one-line description and fix."""

    id: str
    path: Path
    severity: Severity
    description: str
    fix: str

    @property
    def tests_path(self) -> Path:
        """The rule's ``cfn-guard test`` cases."""
        return tests_file(self.path)


def pack_dir(root: Path) -> Path:
    """The folder of our rule pack: the repository's ``rules/guard``, else the installed package's (:mod:`mlprov.assets`)."""
    return rule_pack_dir(root)


def tests_file(rule_file: Path) -> Path:
    """Where the tests of ``rule_file`` live: ``tests/<stem>_tests.yaml`` beside it."""
    return rule_file.parent / TESTS_DIR / f"{rule_file.stem}_tests.yaml"


def rule_files(rules: list[GuardRule]) -> list[Path]:
    """The rule files to pass to ``cfn-guard validate --rules``, in pack order."""
    return [rule.path for rule in rules]


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _header(text: str) -> dict[str, str]:
    """The ``# Key: value`` fields of the leading comment block; indented comment lines continue a value, the first
    occurrence of a key wins."""
    fields: dict[str, str] = {}
    last = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            break
        continued = _CONTINUATION.fullmatch(line)
        field = _HEADER_FIELD.fullmatch(line)
        if continued and last:
            fields[last] = f"{fields[last]} {continued.group(1).strip()}"
        elif field and field.group(1).capitalize() not in fields:
            last = field.group(1).capitalize()
            fields[last] = field.group(2).strip()
        else:
            last = ""
    return fields


def named_rules(text: str) -> list[str]:
    """The names of the ``rule NAME`` declarations of a guard file (comments and ``<< >>`` messages ignored)."""
    code = _MESSAGE.sub("", text)
    code = "\n".join("" if line.lstrip().startswith("#") else line for line in code.splitlines())
    return _NAMED_RULE.findall(code)


def _parse(path: Path, root: Path) -> GuardRule:
    shown = _shown(path, root)
    text = path.read_text(encoding="utf-8")
    names = named_rules(text)
    if not names:
        raise UserError(f"{shown}: no named rule", hint="a rule file holds exactly one `rule MLPROV_<NAME> { ... }`")
    if len(names) > 1:
        raise UserError(
            f"{shown}: {len(names)} named rules ({', '.join(names)}); one rule per file",
            hint="move each rule to its own .guard file with its own tests",
        )
    rule_id = names[0]
    if not RULE_ID.fullmatch(rule_id):
        raise UserError(f"{shown}: rule id {rule_id} does not match MLPROV_[A-Z0-9_]+", hint="rename it, e.g. MLPROV_KMS_ROTATION")
    fields = _header(text)
    for key in _REQUIRED:
        if not fields.get(key):
            raise UserError(f"{shown}: header comment `# {key}:` missing or empty", hint="start the file with the header lines")
    try:
        severity = Severity(fields["Severity"].lower())
    except ValueError:
        raise UserError(f"{shown}: severity {fields['Severity']!r} is not one of {_SEVERITIES}", hint="fix the header") from None
    tests = tests_file(path)
    if not tests.is_file():
        raise UserError(f"{shown}: test file {_shown(tests, root)} missing", hint="add cfn-guard test cases (PASS and FAIL)")
    return GuardRule(rule_id, path, severity, fields["Rule"], fields["Fix"])


def load_pack(root: Path) -> list[GuardRule]:
    """Every rule of the pack under ``root``, ordered by file name; raises UserError naming the offending file(s)."""
    folder = pack_dir(root)
    if not folder.is_dir():
        raise UserError(f"{_shown(folder, root)}: guard rule pack folder missing", hint="restore rules/guard from git")
    files = sorted(folder.glob("*.guard"))
    if not files:
        raise UserError(f"{_shown(folder, root)}: no .guard rule files", hint="restore rules/guard from git")
    rules: list[GuardRule] = []
    seen: dict[str, Path] = {}
    for path in files:
        rule = _parse(path, root)
        if rule.id in seen:
            raise UserError(
                f"duplicate rule id {rule.id}: {_shown(seen[rule.id], root)} and {_shown(path, root)}",
                hint="rule ids are unique across the pack; rename one of them",
            )
        seen[rule.id] = path
        rules.append(rule)
    return rules
