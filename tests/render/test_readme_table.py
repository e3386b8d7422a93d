"""The README lists the exact resources of each variant: generated from the inventory, kept in step here."""

from __future__ import annotations

from mlprov.render.readme_table import BEGIN, END, markdown

from tests.conftest import REPO


def test_readme_resource_lists_match_the_inventory() -> None:
    text = (REPO / "README.md").read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == markdown(), "run: python -m mlprov.render.readme_table and paste into README.md"
