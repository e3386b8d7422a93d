"""Hostile gate inputs: cache entries planted in the work tree, in the cache itself or force-committed on a branch,
and a template relabelled to a lower tier. Stand-in tools (see test_engine_cache): FAKE_* on every template
holding 'BAD'."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from mlprov.errors import UserError
from mlprov.gates import engine
from mlprov.gates.cache import fingerprint
from mlprov.gates.model import Tool
from mlprov.gates.targets import resolve_targets
from mlprov.paths import Repo

from tests.gates.test_engine_cache import A, C, Fake, append, fake, gate

__all__ = ["fake"]


def _key_name(root: Path, product: str, tool: Tool) -> str:
    [target] = [t for t in resolve_targets(Repo(root), []) if t.product == product]
    return f"{fingerprint(f'{tool.value}-1.0', target.digest)}.json"


def _fake_findings(result: engine.GateResult, product: str) -> list[str]:
    return sorted(f.rule_id for f in result.findings if f.product == product and f.rule_id.startswith("FAKE_"))


def test_an_empty_entry_in_the_work_tree_is_never_read(fake: Fake) -> None:
    root, _batches, _ = fake
    append(root, A, "# BAD\n")
    for tool in Tool:  # the old in-tree cache location, with the exact key names
        folder = root / ".cache" / "gate" / tool.value
        folder.mkdir(parents=True)
        (folder / _key_name(root, A, tool)).write_text("[]")
    assert _fake_findings(gate(root), A) == ["FAKE_CFN_GUARD", "FAKE_CFN_LINT", "FAKE_CHECKOV", "FAKE_IAM_ESCALATION"]


@pytest.mark.parametrize("forged", ["[]", '{"mac": "00", "body": "[]"}', "copied"])
def test_a_forged_entry_in_the_cache_is_ignored_and_the_template_scanned(fake: Fake, forged: str) -> None:
    root, batches, _ = fake
    gate(root)  # fills the cache: every template clean
    cache = Path(os.environ["MLPROV_CACHE_DIR"]) / "gate"
    append(root, A, "# BAD\n")
    for tool in Tool:
        entry = cache / tool.value / _key_name(root, A, tool)
        if forged == "copied":  # a valid entry of another template (clean C) under A's name: its MAC names C's key
            entry.write_text((cache / tool.value / _key_name(root, C, tool)).read_text())
        else:
            entry.write_text(forged)
    batches.clear()
    assert _fake_findings(gate(root), A) == ["FAKE_CFN_GUARD", "FAKE_CFN_LINT", "FAKE_CHECKOV", "FAKE_IAM_ESCALATION"]
    assert sorted(batches) == [(t, [A]) for t in sorted(Tool)]
    assert json.loads((cache / "cfn-lint" / _key_name(root, A, Tool.CFN_LINT)).read_text())["body"] != "[]"


def test_a_cache_git_tracks_is_refused(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _batches, _ = fake
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    folder = root / ".cache" / "mlprov"
    (folder / "gate" / "cfn-lint").mkdir(parents=True)
    (folder / "gate" / "cfn-lint" / "x.json").write_text("[]")
    subprocess.run(["git", "-C", str(root), "add", "-f", ".cache/mlprov/gate/cfn-lint/x.json"], check=True)
    monkeypatch.setenv("MLPROV_CACHE_DIR", str(folder))
    with pytest.raises(UserError) as err:
        gate(root)
    assert err.value.exit_code == 2
    assert err.value.message == (f"{folder}: the cache is tracked by git (.cache/mlprov/gate/cfn-lint/x.json): "
                                 "cache entries from a branch are not trusted")
    assert err.value.hint == f"remove it from git (`git rm -r --cached {folder}`) or point MLPROV_CACHE_DIR outside the work tree"


def test_a_template_relabelled_to_a_lower_tier_is_judged_by_its_config(fake: Fake) -> None:
    root, _batches, _ = fake
    path = root / "products" / C / "template.yaml"  # C: a professional config
    text = path.read_text()
    assert "Tier: professional" in text or '"Tier": "professional"' in text
    path.write_text(text.replace("Tier: professional", "Tier: starter").replace('"Tier": "professional"', '"Tier": "starter"'))
    result = gate(root)
    [label] = [f for f in result.findings if f.rule_id == "MLPROV_TIER_LABEL"]
    assert (label.product, label.severity.value, label.template) == (C, "critical", f"products/{C}/template.yaml")
    assert label.message == ("Metadata.MlProvisioner.Tier is starter but the config's tier is professional: the template is "
                             "judged as professional, and a label that differs from the config is not accepted")
    assert label.fix == f"run `mlprov render {C}` (never edit the committed template's Metadata)"
    assert not result.clean
