"""Where the gate's data and tools are found: environment variable, the repository (a checkout), the installed
package's ``_data`` (faked here by pointing ``data_root`` at a folder laid out as setup.py's build hook lays it)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from mlprov import assets
from mlprov.errors import UserError
from mlprov.gates.guardbin import control_tower_rules, guard_binary


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "site" / "mlprov" / "_data"
    (data / "rules" / "guard").mkdir(parents=True)
    (data / "control-tower" / "s3").mkdir(parents=True)
    for arch in ("x86_64", "aarch64"):
        binary = data / "cfn-guard" / f"linux-{arch}" / "cfn-guard"
        binary.parent.mkdir(parents=True)
        binary.write_text("#!/bin/sh\n")
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(assets, "data_root", lambda: data)
    for name in ("MLPROV_RULES_DIR", "MLPROV_CT_RULES", "MLPROV_CFN_GUARD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("platform.system", lambda: "Linux")
    return data


def test_a_repository_without_rules_uses_the_installed_package(installed: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert assets.rule_pack_dir(repo) == installed / "rules" / "guard"
    assert control_tower_rules(repo) == installed / "control-tower"
    for machine, arch in (("x86_64", "x86_64"), ("aarch64", "aarch64"), ("arm64", "aarch64"), ("AMD64", "x86_64")):
        monkeypatch.setattr("platform.machine", lambda m=machine: m)
        assert guard_binary(repo) == installed / "cfn-guard" / f"linux-{arch}" / "cfn-guard"


def test_a_checkout_uses_its_own_rules_and_node_modules(installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "rules" / "guard").mkdir(parents=True)
    ct = repo / assets.NPM_PACKAGE / "rules" / "control-tower" / "cfn-guard"
    ct.mkdir(parents=True)
    binary = repo / assets.NPM_PACKAGE / "bin" / "ubuntu" / "aarch64" / "cfn-guard"
    binary.parent.mkdir(parents=True)
    binary.write_text("")
    monkeypatch.setattr("platform.machine", lambda: "aarch64")
    assert (assets.rule_pack_dir(repo), control_tower_rules(repo), guard_binary(repo)) == (repo / "rules" / "guard", ct, binary)


def test_environment_variables_win(installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("MLPROV_RULES_DIR", "r"), ("MLPROV_CT_RULES", "c"), ("MLPROV_CFN_GUARD", "g")):
        monkeypatch.setenv(name, str(tmp_path / value))
    (tmp_path / "c").mkdir()
    assert assets.rule_pack_dir(tmp_path) == tmp_path / "r"
    assert control_tower_rules(tmp_path) == tmp_path / "c"
    assert guard_binary(tmp_path) == tmp_path / "g"


def test_nothing_found_names_every_place_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets, "data_root", lambda: tmp_path / "none")
    for name in ("MLPROV_RULES_DIR", "MLPROV_CT_RULES", "MLPROV_CFN_GUARD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr("platform.system", lambda: "Linux")
    monkeypatch.setattr("platform.machine", lambda: "x86_64")
    with pytest.raises(UserError) as exc:
        guard_binary(tmp_path)
    assert exc.value.message == (f"cfn-guard not found: {tmp_path / assets.NPM_PACKAGE}/bin/ubuntu/x86_64/cfn-guard is missing, "
                                 "the installed package has none for this machine, and none is on PATH")
    with pytest.raises(UserError) as exc:
        control_tower_rules(tmp_path)
    assert exc.value.message == f"{tmp_path / assets.NPM_PACKAGE}/rules/control-tower/cfn-guard: Control Tower guard rules missing"
    assert assets.rule_pack_dir(tmp_path) == tmp_path / "rules" / "guard"  # load_pack then says it is missing


def test_an_unknown_architecture_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MLPROV_CFN_GUARD", raising=False)
    monkeypatch.setattr("platform.system", lambda: "Linux")
    monkeypatch.setattr("platform.machine", lambda: "riscv64")
    with pytest.raises(UserError) as exc:
        guard_binary(tmp_path)
    assert (exc.value.message, exc.value.hint) == (
        "no bundled cfn-guard for Linux riscv64", "install cfn-guard 3.1.1 on PATH or set MLPROV_CFN_GUARD to its path")
