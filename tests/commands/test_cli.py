"""The command line: both forms, exit codes, one-line errors (never a traceback), logs in the reports folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mlprov.cli import UsageError, main, translate_legacy
from mlprov.commands import Command, DuplicateCommandError, load_commands

from tests.conftest import REPO

PRO = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"


def test_legacy_form_is_translated() -> None:
    assert translate_legacy(["-con", "x.yaml", "-act", "show-product", "--force"]) == ["show-product", "x.yaml", "--force"]
    assert translate_legacy(["--config=x", "--action=validate-config"]) == ["validate-config", "x"]
    assert translate_legacy(["show-product", "x"]) == ["show-product", "x"]


def test_legacy_form_without_action_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="-con was given without -act ACTION"):
        translate_legacy(["-con", "x"])


def test_both_forms_give_the_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-con", PRO, "-act", "show-product"]) == 0
    legacy = capsys.readouterr().out
    assert main(["show-product", PRO]) == 0
    assert capsys.readouterr().out == legacy
    assert "resources: 25 (SPEC baseline 19-19 + 6 additions, each with its reason)" in legacy


def test_unknown_action_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err
    assert "run 'mlprov --help'" in err


def test_validate_config_bad_file_exits_2_with_one_line_per_problem(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo_copy / "products" / f"{PRO}.yaml"
    data = yaml.safe_load(path.read_text())
    data["alarm_email"] = "nope"
    del data["owner"]
    path.write_text(yaml.safe_dump(data))
    assert main(["validate-config", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{path}: field 'alarm_email': 'nope' is not valid; use an e-mail address such as ml-platform@example.com",
        f"{path}: field 'owner' is missing: add it (Owner e-mail for the mlprov:owner tag; use an e-mail address "
        "such as ml-platform@example.com)",
        "1 of 1 config(s) invalid",
    ]


def test_unknown_config_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show-product", "no-such-product"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "no-such-product: no such config",
        "hint: give a path, or a name under products/; run 'mlprov list-products' to see them",
    ]


def test_create_prov_template_and_render_check(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = repo_copy / "out.yaml"
    assert main(["create-prov-template", PRO, "--out", str(out)]) == 0
    assert out.read_text() == (REPO / "products" / PRO / "template.yaml").read_text()
    assert main(["render", "--check"]) == 0
    config = repo_copy / "products" / f"{PRO}.yaml"
    config.write_text(config.read_text().replace("cost_center: CC-2040", "cost_center: CC-2041"))
    capsys.readouterr()
    assert main(["render", "--check"]) == 1
    err = capsys.readouterr().err.splitlines()
    stale = repo_copy / "products" / PRO / "template.yaml"
    assert err[0] == f"{stale}: out of date; run 'mlprov render {config}' and commit the result"
    assert err[-1].endswith("stale rendering(s)")
    assert main(["render"]) == 0
    assert main(["render", "--check"]) == 0


def test_every_action_writes_a_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(tmp_path))
    assert main(["show-product", PRO]) == 0
    (log,) = (tmp_path / "logs").glob("*-show-product.log")
    text = log.read_text()
    assert "action show-product started" in text
    assert "finished with exit code 0" in text


def test_registry_refuses_duplicate_action_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import mlprov.commands.render as render_module

    monkeypatch.setattr(render_module, "COMMAND", Command("show-product", "dup", lambda p: None, lambda a: 0))
    with pytest.raises(DuplicateCommandError, match="action 'show-product' is registered twice"):
        load_commands()


def test_unexpected_error_is_exit_4_with_log_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import mlprov.commands.show_product as show

    def boom(_args: object) -> int:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(show, "COMMAND", Command("show-product", "x", show.configure, boom))
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(tmp_path))
    assert main(["show-product", PRO]) == 4
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "mlprov: unexpected error: RuntimeError: kaboom"
    assert err[1].startswith("mlprov: this is a bug; the traceback is in ")
    log = Path(err[1].rsplit(" ", 1)[1])
    assert "Traceback" in log.read_text() and "kaboom" in log.read_text()


def test_console_script_and_python_dash_m(tmp_path: Path) -> None:
    env = {**os.environ, "MLPROV_REPORTS_DIR": str(tmp_path)}
    for cmd in ([sys.executable, "-m", "mlprov"], [str(Path(sys.executable).parent / "mlprov")]):
        proc = subprocess.run([*cmd, "validate-config", PRO], cwd=REPO, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip().endswith("valid (professional / codecommit)")
        assert "Traceback" not in proc.stderr


def test_list_products_lists_every_variant_and_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list-products"]) == 0
    out = capsys.readouterr().out
    # count, then the SPEC range + the additions the inventory gives a reason for (mlops: EventsRole, a trigger rule
    # per pipeline instead of one, the failed-builds alarm: 3 more than before)
    assert "enterprise / s3 / sg=existing / vpc=ssm             43  (36-38 + 7)" in out
    assert "enterprise / s3 / sg=existing / vpc=direct / endpoints=existing  33  (36-38 + 5)" in out
    assert out.count(".yaml ") == 27
    assert "INVALID" not in out


def test_every_action_maps_to_the_module_that_defines_it() -> None:
    from mlprov.commands import ACTIONS, load_command

    assert [c.name for c in load_commands().values()] == [a for a, _m in ACTIONS]
    for action, _module in ACTIONS:
        command = load_command(action)
        assert command is not None and command.name == action
    assert load_command("no-such-action") is None


def test_a_known_action_imports_only_its_own_module() -> None:
    import subprocess
    import sys

    code = ("import sys; from mlprov.cli import build_parser; build_parser('validate-config'); "
            "print(sorted(m for m in sys.modules if m.startswith('mlprov.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['mlprov.commands._common', 'mlprov.commands.validate_config']"


def test_an_actions_entry_naming_the_wrong_module_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import mlprov.commands as commands

    monkeypatch.setattr(commands, "ACTIONS", (("render", "show_product"),))
    with pytest.raises(DuplicateCommandError, match="ACTIONS maps 'render' to module 'show_product', whose action is 'show-product'"):
        commands.load_command("render")


def test_action_of_skips_global_options() -> None:
    from mlprov.cli import action_of

    assert action_of(["--reports-dir", "r", "gate", "x"]) == "gate"
    assert action_of(["--reports-dir=r", "render", "--check"]) == "render"
    assert action_of(["--version"]) is None
