"""The parse-back's fast path reads exactly what PyYAML reads, or declines (Unsupported) and PyYAML decides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mlprov.render import fastparse
from mlprov.render.engine import parse
from mlprov.render.quoting import q

from tests.render import fastparse_reference

REPO = Path(__file__).resolve().parents[2]


def _yaml(text: str) -> object:
    return yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("template", sorted((REPO / "products").glob("*/template.yaml")), ids=lambda p: p.parent.name)
def test_every_committed_template_parses_the_same_without_a_fallback(template: Path) -> None:
    text = template.read_text()
    fast, slow = fastparse.parse(text), _yaml(text)
    assert fast == slow
    assert json.dumps(fast) == json.dumps(slow)  # the same key order, at every level


ACCEPTED = [
    'A: "x"\nB:\n  - "a"\n  - K: 1\n    L: true\n  - {Ref: "x"}\n',
    'Fn::GetAtt: ["R", "Arn"]\n"quoted key": "v\\"\\\\\\u00e9"\nx:\n- "seq at the key\'s indent"\n',
    'a:b: "colon in key"\n$or: [{"prefix": "x"}]\ndetail-type: []\ne: {}\nnum: -42\nz: 0\n',
    'k: {a: {b: ["c", {d: "e"}]}}\n',
    '# header\nTop:\n  Inner:\n    Deep: false\n',
    'k:: "a key ending in a colon"\na: "b: c"\nc: ": "\nd:e: {"f": "g: h"}\n',
    'L:\n  - K: "1"\n    M:\n    - "deep"\n    P: {}\n  - "x"\nO: 0\n',
    'a:\n  b:\n    c:\n      - d: "e"\nf: "g"\n',
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
    "", "\n", "# only a comment\n", 'a b: "space in a key"\n', '-x: "dash key"\n', 'k: "\x7f"\n', 'k: "x"\x0b\n',
    'k: "x"\n\x1c\n', ' \t\nk: "x"\n', 'k:\n  a: "1"\n b: "2"\n', 'k:\n  - "a"\n - "b"\n', 'k:\n- "a"\n  b: "c"\n',
    'a:\n  b:\n    - "x"\n  - "y"\n', 'k:\nl: "x"\n', 'k: "x"\nl:\n', '- k: "x"\n', 'k:\n  - k: "x"\n    k: "y"\n',
    'Y: "x"\n', '.inf: "x"\n', 'k: [1, yes]\n',
]


@pytest.mark.parametrize("text", DECLINED)
def test_anything_else_is_declined_and_read_by_yaml(text: str) -> None:
    with pytest.raises(fastparse.Unsupported):
        fastparse.parse(text)


SAMPLES = [*ACCEPTED, *DECLINED]


def _either(parse: object, text: str) -> object:
    try:
        return json.dumps(parse(text))  # type: ignore[operator]
    except fastparse.Unsupported:
        return fastparse.Unsupported


@pytest.mark.parametrize("text", SAMPLES)
def test_the_one_pass_reader_reads_and_declines_what_the_recursive_one_did(text: str) -> None:
    assert _either(fastparse.parse, text) == _either(fastparse_reference.parse, text)


@pytest.mark.parametrize("template", sorted((REPO / "products").glob("*/template.yaml")), ids=lambda p: p.parent.name)
def test_the_one_pass_reader_equals_the_recursive_one_on_every_committed_template(template: Path) -> None:
    text = template.read_text()
    assert json.dumps(fastparse.parse(text)) == json.dumps(fastparse_reference.parse(text))


def test_a_memoized_line_gives_a_fresh_value_every_time() -> None:
    text = 'A: ["x", {"k": "v"}]\nB:\n  - {"Ref": "R"}\n  - "s"\n'
    first = fastparse.parse(text)
    first["A"][1]["k"] = "changed"
    first["B"][0]["Ref"] = "changed"
    first["B"].append("added")
    assert fastparse.parse(text) == {"A": ["x", {"k": "v"}], "B": [{"Ref": "R"}, "s"]} == _yaml(text)


def test_a_refused_line_is_refused_again() -> None:
    for _ in range(2):
        with pytest.raises(fastparse.Unsupported):
            fastparse.parse('ok: "x"\nyes: "y"\n')
    assert fastparse.parse('ok: "x"\n') == {"ok": "x"}


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastparse, "_MEMO_LIMIT", 3)
    monkeypatch.setattr(fastparse, "_memo", {})
    text = "".join(f'k{i}: "v{i}"\n' for i in range(10))
    assert fastparse.parse(text) == _yaml(text)
    assert len(fastparse._memo) <= 3


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


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, max_size=30).map("".join))
def test_the_one_pass_reader_never_disagrees_with_the_recursive_one(text: str) -> None:
    assert _either(fastparse.parse, text) == _either(fastparse_reference.parse, text)


LINES = st.sampled_from(['K: "v"', "K:", '- "a"', "- K:", '- K: "v"', "- [1]", 'Q: {"a": [true]}', "L: 2", "  ", "# c",
                         "- ", "K: x", '"q": "v"', "- - 1", "yes: 1"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), LINES), max_size=12))
def test_indented_structures_read_as_the_recursive_reader_reads_them(lines: list[tuple[int, str]]) -> None:
    text = "".join(" " * indent + line + "\n" for indent, line in lines)
    assert _either(fastparse.parse, text) == _either(fastparse_reference.parse, text)
    fast = _either(fastparse.parse, text)
    if fast is not fastparse.Unsupported:
        assert fast == json.dumps(_yaml(text))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9:-]{0,8}", fullmatch=True), st.text(max_size=20), max_size=6))
def test_quoted_values_round_trip(data: dict[str, str]) -> None:
    text = "".join(f"{k}: {q(v)}\n" for k, v in data.items()) or 'e: ""\n'
    try:
        fast = fastparse.parse(text)
    except fastparse.Unsupported:
        return
    assert fast == _yaml(text)
