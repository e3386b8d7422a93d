"""Changed-product detection on a temporary git repository with real commits."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest
from mlprov.errors import UserError
from mlprov.gitops.changed import ALL, classify, detect

from tests.gitops.cli_support import run_cli


def _commit(repo: git.Repo, files: dict[str, str | None], message: str) -> str:
    root = Path(repo.working_tree_dir or ".")
    for rel, content in files.items():
        path = root / rel
        if content is None:
            repo.index.remove([rel], working_tree=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        repo.index.add([rel])
    return str(repo.index.commit(message).hexsha)


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    r = git.Repo.init(tmp_path / "repo", initial_branch="main")
    with r.config_writer() as cw:
        cw.set_value("user", "name", "t")
        cw.set_value("user", "email", "t@example.com")
    _commit(r, {
        "products/alpha.yaml": "tier: starter\n", "products/alpha/template.yaml": "a\n",
        "products/beta.yaml": "tier: starter\n", "products/beta/template.yaml": "b\n",
        "products/gamma.yaml": "tier: starter\n",
        "generator/render/engine.py": "x = 1\n", "rules/guard/kms.guard": "rule a {}\n",
        "docs/ARCHITECTURE.md": "# doc\n", "README.md": "# readme\n", "waivers.yaml": "[]\n",
    }, "base")
    return r


@pytest.mark.parametrize(("path", "expected"), [
    ("generator/aws/deploy.py", ALL), ("mlprov/__main__.py", ALL), ("rules/guard/tests/kms-tests.yaml", ALL),
    ("waivers.yaml", ALL), ("pyproject.toml", ALL), ("package-lock.json", ALL), ("package.json", ALL),
    ("products/alpha.yaml", "alpha"), ("products/alpha/template.yaml", "alpha"), ("products/alpha/deployer-policy.json", "alpha"),
    ("README.md", None), ("docs/ARCHITECTURE.md", None), ("tests/aws/test_lifecycle.py", None),
    (".github/workflows/pr.yml", None), ("products/README.md", None), ("generatorx/a.py", None),
])
def test_classify(path: str, expected: str | None) -> None:
    assert classify(path) == expected


def test_config_edit_selects_that_product(repo: git.Repo) -> None:
    base = repo.head.commit.hexsha
    head = _commit(repo, {"products/alpha.yaml": "tier: professional\n"}, "edit alpha")
    changed = detect(Path(repo.working_tree_dir or "."), base, head)
    assert (changed.products, changed.every, changed.removed) == (["alpha"], False, [])
    assert changed.reasons == {"alpha": ["products/alpha.yaml"]}


def test_rendering_edit_selects_that_product(repo: git.Repo) -> None:
    base = repo.head.commit.hexsha
    _commit(repo, {"products/beta/template.yaml": "b2\n", "products/alpha.yaml": "tier: x\n"}, "two products")
    changed = detect(Path(repo.working_tree_dir or "."), base)
    assert changed.products == ["alpha", "beta"]


@pytest.mark.parametrize("path", ["rules/guard/kms.guard", "generator/render/engine.py", "waivers.yaml"])
def test_rule_or_generator_edit_selects_every_product(repo: git.Repo, path: str) -> None:
    base = repo.head.commit.hexsha
    _commit(repo, {path: "changed\n"}, "global edit")
    changed = detect(Path(repo.working_tree_dir or "."), base)
    assert changed.every is True
    assert changed.products == ["alpha", "beta", "gamma"]
    assert changed.reasons == {ALL: [path]}


def test_doc_edit_selects_nothing(repo: git.Repo) -> None:
    base = repo.head.commit.hexsha
    _commit(repo, {"docs/ARCHITECTURE.md": "# new\n", "README.md": "# new\n"}, "docs")
    changed = detect(Path(repo.working_tree_dir or "."), base)
    assert (changed.products, changed.every, changed.reasons) == ([], False, {})


def test_pull_request_compares_from_the_merge_base(repo: git.Repo) -> None:
    """main moved on (a generator edit) after the branch forked: only the branch's own edits count."""
    fork = repo.head.commit
    feature = repo.create_head("feature", fork)
    _commit(repo, {"generator/render/engine.py": "x = 2\n"}, "main moves on")
    feature.checkout()
    _commit(repo, {"products/gamma.yaml": "tier: enterprise\n"}, "edit gamma")
    changed = detect(Path(repo.working_tree_dir or "."), "main", "feature")
    assert changed.products == ["gamma"]
    assert changed.base == fork.hexsha


def test_deleted_config_is_reported_removed_not_deployed(repo: git.Repo) -> None:
    base = repo.head.commit.hexsha
    _commit(repo, {"products/beta.yaml": None, "products/beta/template.yaml": None, "products/alpha.yaml": "e\n"}, "drop beta")
    changed = detect(Path(repo.working_tree_dir or "."), base)
    assert (changed.products, changed.removed) == (["alpha"], ["beta"])


def test_first_push_of_a_branch_selects_every_product(repo: git.Repo) -> None:
    changed = detect(Path(repo.working_tree_dir or "."), "0" * 40)
    assert changed.every is True and changed.products == ["alpha", "beta", "gamma"]


def test_unknown_base_is_a_usage_error(repo: git.Repo) -> None:
    with pytest.raises(UserError) as exc:
        detect(Path(repo.working_tree_dir or "."), "no-such-ref")
    assert exc.value.message == f"--base no-such-ref: no such commit in {repo.working_tree_dir}"
    assert exc.value.hint == "fetch it first (actions/checkout with fetch-depth: 0), or give a branch, tag or SHA"


def test_unknown_base_of_a_push_can_mean_every_product(repo: git.Repo) -> None:
    changed = detect(Path(repo.working_tree_dir or "."), "1" * 40, missing_base_means_all=True)
    assert changed.every is True and changed.products == ["alpha", "beta", "gamma"]
    assert changed.reasons == {ALL: [f"base {'1' * 40}: not in this clone"]}


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not inside a git repository"):
        detect(tmp_path, "HEAD")


def test_cli_formats_and_github_output(repo: git.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    base = repo.head.commit.hexsha
    _commit(repo, {"products/alpha.yaml": "e\n", "products/beta/template.yaml": "e\n", "README.md": "e\n"}, "edits")
    where = ["--repo", str(repo.working_tree_dir), "--base", base]
    assert run_cli(monkeypatch, "changed-products", *where) == 0
    assert capsys.readouterr().out == "alpha\nbeta\n"
    assert run_cli(monkeypatch, "changed-products", *where, "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["products"] == ["alpha", "beta"] and report["all"] is False
    assert report["reasons"] == {"alpha": ["products/alpha.yaml"], "beta": ["products/beta/template.yaml"]}


def test_cli_github_matrix_needs_the_accounts_file(repo: git.Repo, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--repo", str(repo.working_tree_dir), "--base", "HEAD"]
    assert run_cli(monkeypatch, "changed-products", *where, "--format", "github-matrix") == 2
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"{repo.working_tree_dir}/accounts.yaml: no such file: every product's account must be listed there",
        "hint: add accounts.yaml beside products/ (docs/accounts.md)"]


def test_cli_github_output_outside_actions(repo: git.Repo, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert run_cli(monkeypatch, "changed-products", "--repo", str(repo.working_tree_dir), "--base", "HEAD", "--github-output") == 2
    assert "--github-output: $GITHUB_OUTPUT is not set" in capsys.readouterr().err
