"""Benchmark: the gate's iam-escalation tool over every shipped example, and the old deployer policies for contrast.

Figures:

- IAM documents scanned over the shipped examples, by where they live (principal policies, principal boundaries,
  template documents), and findings per rule (MLPROV-IAM-ESC-000..003);
- run time: the tool's ONE process over all templates (what the gate issues on a cold cache), wall and CPU seconds,
  and the in-process scan's CPU seconds per product (the contract derivation is most of it);
- the deploy path before issue 10 (``--legacy REV``, default ``8b42de1^``: the last commit with the single
  ``products/<name>/deployer-policy*.json`` files), read from git: documents and findings per rule.

Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import time
from collections import Counter
from pathlib import Path

from mlprov.access.escalation import Document, principal_documents, scan_document, template_documents
from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.gates.escalation_rules import findings_of
from mlprov.gates.escalation_scan import scan_product
from mlprov.gates.escalation_tool import IamEscalation
from mlprov.gates.targets import resolve_targets
from mlprov.gates.toolbase import run_batch
from mlprov.paths import Repo

REPO = Path(__file__).resolve().parents[1]
RULES = ("MLPROV-IAM-ESC-000", "MLPROV-IAM-ESC-001", "MLPROV-IAM-ESC-002", "MLPROV-IAM-ESC-003")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def current(repo: Repo) -> tuple[Counter[str], Counter[str], int, float]:
    docs: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    targets = resolve_targets(repo, [])
    started = time.process_time()  # CPU: the machine may be shared, wall time is not the tool's
    for t in targets:
        rules.update(f.rule_id for f in scan_product(t.product, t.template))
    seconds = time.process_time() - started
    for t in targets:
        assert t.doc is not None, t.rel
        principals = principal_documents(contract(load_product(t.template.parent.with_suffix(".yaml")), t.doc))
        docs["principal policies"] += sum(1 for d in principals if d.part != "boundary")
        docs["principal boundaries"] += sum(1 for d in principals if d.part == "boundary")
        docs["template documents"] += len(template_documents(t.doc))
    return docs, rules, len(targets), seconds


def tool_run(repo: Repo) -> tuple[float, float]:
    runner = IamEscalation(repo.root)
    targets = resolve_targets(repo, [])
    cpu = children_cpu()
    out = run_batch(runner, targets)
    parsed = runner.parse(out, targets)
    assert set(parsed) == {t.product for t in targets}
    return out.seconds, children_cpu() - cpu


def legacy(rev: str) -> tuple[int, Counter[str]] | None:
    """The single deployer policies of ``rev``, scanned as one deployer principal's policies."""
    listing = subprocess.run(["git", "-C", str(REPO), "ls-tree", "-r", "--name-only", rev, "--", "products"],
                             capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        return None
    paths = [p for p in listing.stdout.splitlines() if "/deployer-policy" in p and p.endswith(".json")]
    rules: Counter[str] = Counter()
    for path in paths:
        text = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{path}"], capture_output=True, text=True,
                              check=True).stdout
        doc = Document(path, "policy", json.loads(text), "deployer")
        rules.update(f.rule_id for f in findings_of(doc, scan_document(doc.where, doc.document)))
    return len(paths), rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legacy", default="8b42de1^", help="git revision with the old deployer-policy*.json files")
    args = parser.parse_args()
    repo = Repo(REPO)
    docs, rules, products, seconds = current(repo)
    wall, cpu = tool_run(repo)
    print(f"iam-escalation over {products} shipped examples")
    print(f"  IAM documents scanned: {sum(docs.values())} ({', '.join(f'{k} {v}' for k, v in docs.items())})")
    print(f"  findings: {sum(rules.values())} ({', '.join(f'{r} {rules[r]}' for r in RULES)})")
    print(f"  tool process (cold, as the gate runs it): {wall:.1f} s wall, {cpu:.1f} s CPU; "
          f"in-process {seconds / products:.2f} s CPU per product")
    old = legacy(args.legacy)
    if old is None:
        print(f"  legacy deploy path ({args.legacy}): not in this git history, skipped")
        return
    count, old_rules = old
    print(f"legacy deployer policies ({args.legacy}): {count} documents, {sum(old_rules.values())} findings "
          f"({', '.join(f'{r} {old_rules[r]}' for r in RULES)})")


if __name__ == "__main__":
    main()
