"""The quoting filters: no value can change a template's structure, and unquoted values are refused."""

from __future__ import annotations

import pytest
import yaml
from jinja2 import Environment, StrictUndefined, UndefinedError
from mlprov.render.engine import environment
from mlprov.render.quoting import UnquotedValueError, finalize, json_q, num, pad, q

NASTY = [
    "x\nResources:\n  Evil:\n    Type: AWS::IAM::User",
    'quote " and backslash \\ and {{ jinja }}',
    "colon: value # comment",
    "- list item",
    "&anchor *alias !tag",
    "\x00\x07\x1b[31m control \x7f\x85\u2028\u2029",
    "emoji 🚀 and astral 𝔘 and bom \ufeff and \ufffe",
    "'single' ${AWS::Region} \t tab",
]


@pytest.mark.parametrize("value", NASTY)
def test_q_round_trips_any_string_as_one_scalar(value: str) -> None:
    doc = yaml.safe_load(f"key: {q(value)}\nother: 1\n")
    assert doc == {"key": value, "other": 1}


def test_q_output_is_printable_ascii_on_one_line() -> None:
    for value in NASTY:
        out = q(value)
        assert "\n" not in out
        assert all(0x20 <= ord(c) <= 0x7E for c in out)


def test_q_refuses_non_strings() -> None:
    with pytest.raises(TypeError, match="q expects a string, got int: 5"):
        q(5)


def test_num_accepts_ints_only() -> None:
    assert num(365) == "365"
    with pytest.raises(TypeError, match="num expects an integer, got bool: True"):
        num(True)
    with pytest.raises(TypeError, match="num expects an integer, got str: '5'"):
        num("5")


def test_json_q_is_a_quoted_json_string() -> None:
    quoted = json_q({"b": 1, "a": "x\ny"})
    doc = yaml.safe_load(f"body: {quoted}")
    assert doc["body"] == '{"a":"x\\ny","b":1}'


def test_pad_bounds() -> None:
    assert pad(4) == "    "
    with pytest.raises(TypeError):
        pad(41)


def test_finalize_refuses_unquoted_values() -> None:
    with pytest.raises(UnquotedValueError, match="without a quoting filter"):
        finalize("raw value")
    assert finalize(q("ok")) == '"ok"'


def test_environment_refuses_an_expression_without_filter() -> None:
    template = environment().from_string("Key: {{ value }}\n")
    with pytest.raises(UnquotedValueError):
        template.render(value="x\nEvil: 1")
    assert environment().from_string("Key: {{ value | q }}\n").render(value="a") == 'Key: "a"\n'


def test_environment_is_strict_about_undefined_variables() -> None:
    assert environment().undefined is StrictUndefined
    with pytest.raises(UndefinedError):
        environment().from_string("{{ missing | q }}").render()
    assert isinstance(environment(), Environment)
