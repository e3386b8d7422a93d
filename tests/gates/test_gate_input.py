"""Bad input to ``mlprov gate`` / ``validate-prov-template`` exits 2 with one line naming file and field (no tool runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.cli import main

NAME = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"


def test_unknown_product_exits_2(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", NAME, "nope"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"nope: not a product config, product name, template or product folder under {repo_copy / 'products'}"
    assert err[1].startswith("hint: give products/<name>.yaml, <name>, products/<name>/template.yaml or products/<name>")


def test_validate_prov_template_of_an_unknown_config_exits_2(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-prov-template", "products/missing.yaml"]) == 2
    assert capsys.readouterr().err.startswith("products/missing.yaml: not a product config")


def test_malformed_waivers_file_exits_2_naming_entry_and_field(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "waivers.yaml").write_text(
        "waivers:\n  - {rule: CKV_AWS_18, product: '*', resource: '*', owner: a, justification: b, expires: someday}\n"
    )
    assert main(["gate", NAME]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "waivers.yaml: entry 1: field 'expires' must be a date YYYY-MM-DD, got 'someday'"


def test_unrendered_product_exits_2(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "products" / NAME / "template.yaml").unlink()
    assert main(["gate", f"products/{NAME}.yaml"]) == 2
    assert capsys.readouterr().err.splitlines()[1] == f"hint: run 'mlprov render {NAME}' first"


def test_bad_format_is_a_usage_error(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", "--format", "xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
