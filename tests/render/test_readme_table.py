"""docs/resources.md lists the exact resources of each variant (the README carries the same block): generated
from the inventory, kept in step here."""

from __future__ import annotations

import pytest
from mlprov.render.readme_table import BEGIN, END, markdown

from tests.conftest import REPO


@pytest.mark.parametrize("doc", ["README.md", "docs/resources.md"])
def test_resources_doc_matches_the_inventory(doc: str) -> None:
    text = (REPO / doc).read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == markdown(), "run: python -m mlprov.render.readme_table --write"


def test_every_addition_is_marked_with_its_reason() -> None:
    text = markdown()
    assert "`EventsRole` (AWS::IAM::Role): IAM role EventBridge assumes to start the two pipelines — **addition**: " in text
    assert "| starter / codecommit | 16 | 13 | 3 |" in text
