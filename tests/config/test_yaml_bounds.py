"""Hostile YAML in a config or waivers.yaml: alias bombs, self-referencing aliases, oversized files and impossible
dates are bad input (exit 2 naming the file), neither a memory blow-up nor a traceback (exit 4)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from mlprov.cli import main
from mlprov.config.yamlload import MAX_CHARS, YamlSyntaxError, load
from mlprov.errors import UserError
from mlprov.gates.waivers import load_waivers

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
# nine levels of nine aliases each: 9^9 (387 million) leaves from 72 aliases and ~700 bytes
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_an_alias_bomb_is_refused_before_it_is_built() -> None:
    started = time.process_time()
    with pytest.raises(YamlSyntaxError, match=r"^YAML expands to more than 100000 nodes \(line \d+\): an alias bomb"):
        load(BOMB)
    print(f"alias bomb refused after {time.process_time() - started:.3f} s CPU")  # a figure, not an assertion


def test_many_aliases_a_self_reference_and_a_huge_file_are_refused() -> None:
    many = "a: &a 1\n" + "".join(f"k{i}: *a\n" for i in range(101))
    too_many = r"^YAML uses more than 100 aliases \(the last one of the anchor at line 1\): write the values out$"
    with pytest.raises(YamlSyntaxError, match=too_many):
        load(many)
    with pytest.raises(YamlSyntaxError, match=r"^YAML alias refers to itself \(line 1\)$"):
        load("a: &a [*a]\n")
    with pytest.raises(YamlSyntaxError, match=rf"^YAML document too large: {MAX_CHARS + 3} characters"):
        load("a: " + "x" * MAX_CHARS)
    assert load("a: &x {b: 1}\nc: *x\n") == {"a": {"b": 1}, "c": {"b": 1}}  # ordinary aliases still work


def test_an_alias_bomb_config_exits_2_naming_the_file(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = repo_copy / "products" / f"{STARTER}.yaml"
    config.write_text(config.read_text() + "x-bomb:\n" + "".join("  " + line + "\n" for line in BOMB.splitlines()))
    assert main(["validate-config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{config}: YAML expands to more than 100000 nodes (line ")
    assert "an alias bomb or a document far too large for a config; fix the YAML syntax" in err
    assert "Traceback" not in err


def test_an_alias_bomb_in_waivers_exits_2(tmp_path: Path) -> None:
    (tmp_path / "waivers.yaml").write_text(BOMB)
    with pytest.raises(UserError) as err:
        load_waivers(tmp_path)
    assert err.value.exit_code == 2
    assert err.value.message.startswith("waivers.yaml: YAML expands to more than 100000 nodes")


def test_an_impossible_date_in_waivers_exits_2_not_4(tmp_path: Path) -> None:
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n  - rule: CKV_AWS_18\n    product: 'a-*'\n    resource: B\n    owner: o@x.example\n"
        "    justification: j\n    expires: 2026-02-30\n")
    with pytest.raises(UserError) as err:
        load_waivers(tmp_path)
    assert err.value.exit_code == 2
    assert err.value.message == ("waivers.yaml: YAML syntax error at line 7, column 14: impossible date '2026-02-30' "
                                 "(day is out of range for month); give a real date YYYY-MM-DD")
