"""The committed docs example comes from a real run; the run still produces a comment of the same shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.gitops.comment import PLAN_MARKER
from mlprov.gitops.example import produce

REPO = Path(__file__).resolve().parents[2]
TABLE = "| product | stack | type | add | modify | replace | remove | change set |"


def _shape(body: str) -> list[str]:
    """The comment's lines with hashes and times left out."""
    return [line.split("`mlprov-review-")[0].split(": template sha256")[0] for line in body.splitlines()]


@pytest.mark.slow
def test_example_run_matches_the_committed_docs(tmp_path: Path) -> None:
    body = produce(REPO, tmp_path / "scratch")
    docs = (REPO / "docs" / "pr-comment-example.md").read_text()
    committed = docs[docs.index(PLAN_MARKER):]
    assert body.startswith(PLAN_MARKER + "\n## mlprov change preview\n")
    assert "3 product(s) previewed: **2** with changes, 1 without" in body and TABLE in body
    assert _shape(body) == _shape(committed)
    assert "python -m mlprov.gitops.example --out docs/pr-comment-example.md" in docs
