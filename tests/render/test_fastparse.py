"""The parse-back's fast path reads exactly what PyYAML reads, or declines (Unsupported) and PyYAML decides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mlprov.render import fastparse
from mlprov.render.engine import parse
from mlprov.render.quoting import q

REPO = Path(__file__).resolve().parents[2]


def _yaml(text: str) -> object:
    return yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("template", sorted((REPO / "products").glob("*/template.yaml")), ids=lambda p: p.parent.name)
def test_every_committed_template_parses_the_same_without_a_fallback(template: Path) -> None:
    text = template.read_text()
    assert fastparse.parse(text) == _yaml(text)


ACCEPTED = [
    'A: "x"\nB:\n  - "a"\n  - K: 1\n    L: true\n  - {Ref: "x"}\n',
    'Fn::GetAtt: ["R", "Arn"]\n"quoted key": "v\\"\\\\\\u00e9"\nx:\n- "seq at the key\'s indent"\n',
    'a:b: "colon in key"\n$or: [{"prefix": "x"}]\ndetail-type: []\ne: {}\nnum: -42\nz: 0\n',
    'k: {a: {b: ["c", {d: "e"}]}}\n',
    '# header\nTop:\n  Inner:\n    Deep: false\n',
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_the_subset_reads_as_yaml(text: str) -> None:
    assert fastparse.parse(text) == _yaml(text)


DECLINED = [
    "yes: 1\n", "on: \"x\"\n", "Null: \"x\"\n", "k: yes\n", "k: True\n", "k: 0777\n", "k: 1.5\n", "k: plain\n",
    "k:\n", 'k: "x" # comment\n', 'k: ["a", ]\n', 'k: [a: "b"]\n', "k: &a 1\nl: *a\n", "k: !!str 1\n", "k: |\n  text\n",
    'k: "a"\nk: "b"\n', 'k:\n\t- "x"\n', 'k: "x"\r\n', 'k: "\\U0001f600"\n', 'k: "\\n"\n', 'k: "\\ud83d"\n',
    'k: "caf\u00e9"\n', 'k: "a\u2028b"\n', '- "top-level list"\n', '  k: "indented top"\n', 'k:\n  a: "1"\n   b: "2"\n',
    '- - "x"\n', 'k:\n  - "a": "b"\n', '{"json": "document"}\n', "---\nk: 1\n", 'k: "unterminated\n', "<<: {a: 1}\n",
    'k: {true: "x"}\n', "2010: \"x\"\n", 'k: "x" "y"\n',
]


@pytest.mark.parametrize("text", DECLINED)
def test_anything_else_is_declined_and_read_by_yaml(text: str) -> None:
    with pytest.raises(fastparse.Unsupported):
        fastparse.parse(text)


def test_engine_parse_falls_back_to_yaml() -> None:
    assert parse('{"Resources": {}}\n') == {"Resources": {}}
    assert parse("k: plain\n") == {"k": "plain"}


FRAGMENTS = st.sampled_from(['"a"', '"b\\"c"', "1", "-2", "true", "no", "x", "[", "]", "{", "}", ", ", ": ", ":", "\n",
                             "  ", "- ", "K", "Fn::Sub", "#", "&", "'", '"\\u0041"', "0", "00", "~", "\t"])


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, max_size=30).map("".join))
def test_fast_path_never_disagrees_with_yaml(text: str) -> None:
    try:
        fast = fastparse.parse(text)
    except fastparse.Unsupported:
        return
    assert fast == _yaml(text)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9:-]{0,8}", fullmatch=True), st.text(max_size=20), max_size=6))
def test_quoted_values_round_trip(data: dict[str, str]) -> None:
    text = "".join(f"{k}: {q(v)}\n" for k, v in data.items()) or 'e: ""\n'
    try:
        fast = fastparse.parse(text)
    except fastparse.Unsupported:
        return
    assert fast == _yaml(text)
