"""The iam-escalation scan process: ``python -m mlprov.gates.escalation_scan PRODUCT TEMPLATE [PRODUCT TEMPLATE ...]``.

For each product it scans every IAM document of its deploy path with :mod:`mlprov.access.escalation`:

- the principals of ``create-policy --json`` (deployer, cloudformation-service-role, plan, drift: every policy and the
  boundary), derived from the config ``products/<name>.yaml`` beside the template's folder and the template *as
  committed* (the gate judges the committed template, as the other tools do);
- every identity-policy document of the template itself (roles' inline policies, managed policies, the enterprise
  permissions boundary).

It prints one JSON object ``{product: [finding, ...]}`` on stdout (anything the libraries print goes to stderr). The
gate runs it as one process per batch, like the other tools, so the contract derivation runs beside them on
another core. A product whose principals cannot be derived gets one MLPROV-IAM-ESC-000 finding: never a silent pass.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

from mlprov.access.escalation import Document, principal_documents, scan_document, template_documents
from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.errors import MlprovError
from mlprov.gates.escalation_rules import RuleFinding, findings_of, underived
from mlprov.gates.targets import Target


def _reason(exc: MlprovError, config: Path, product: str) -> str:
    lines = exc.lines()
    first = lines[0].replace(str(config), f"products/{product}.yaml") if lines else type(exc).__name__
    return first + (f" (and {len(lines) - 1} more problem(s))" if len(lines) > 1 and not lines[1].startswith("hint:") else "")


def _line_of(text: str, logical: str) -> int:
    """The 1-based line of ``  <logical>:`` under Resources (0 when not found, e.g. JSON templates)."""
    match = re.search(rf"^  {re.escape(logical)}:\s*$", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _scan(docs: list[Document], text: str) -> list[RuleFinding]:
    out: list[RuleFinding] = []
    for doc in docs:
        line = 0 if doc.principal else _line_of(text, doc.resource)
        out += findings_of(doc, scan_document(doc.where, doc.document), line)
    return out


def scan_product(product: str, template: Path) -> list[RuleFinding]:
    """Every escalation finding of one product (its template must parse: the engine skips one that does not)."""
    target = Target(product, template, template.name, template.read_bytes())
    doc = target.doc
    if doc is None:
        return []
    text = target.data.decode("utf-8", errors="replace")
    config = template.parent.with_suffix(".yaml")
    try:
        principals = principal_documents(contract(load_product(config), doc))
    except MlprovError as exc:
        found = [underived(product, _reason(exc, config, product))]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a template shaped unlike ours (hostile input)
        found = [underived(product, f"the template's shape broke the contract derivation ({type(exc).__name__}: {exc})")]
    else:
        found = _scan(principals, text)
    return found + _scan(template_documents(doc), text)


def main(argv: list[str]) -> int:
    if len(argv) % 2:
        print("usage: python -m mlprov.gates.escalation_scan PRODUCT TEMPLATE [PRODUCT TEMPLATE ...]", file=sys.stderr)
        return 2
    pairs = list(zip(argv[::2], argv[1::2], strict=True))
    with contextlib.redirect_stdout(sys.stderr):  # cloudsplaining prints notes; stdout carries only the result
        result = {product: [asdict(f) for f in scan_product(product, Path(path))] for product, path in pairs}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
