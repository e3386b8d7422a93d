"""Which products a set of commits affects: the deploy matrix of a push, the previews of a pull request.

Rules (a path relative to the repository root):

- ``generator/**``, ``mlprov/**``, ``rules/**``, ``waivers.yaml``, ``pyproject.toml``, ``package.json``,
  ``package-lock.json``: every product (rendering, gates or tools changed);
- ``products/<name>.yaml`` and ``products/<name>/**``: that product;
- anything else (docs, README, tests, workflows): no product.

The comparison is the pull request's: from the merge base of BASE and HEAD to HEAD. A product is listed only
when its config exists at HEAD; a config deleted by the commits is reported as removed (never deployed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mlprov.errors import UserError

ALL_PREFIXES = ("generator/", "mlprov/", "rules/")
ALL_FILES = frozenset({"waivers.yaml", "pyproject.toml", "package.json", "package-lock.json"})
ALL = "*"


def classify(path: str) -> str | None:
    """The product a changed path affects, :data:`ALL` for every product, or None for none."""
    p = PurePosixPath(path)
    if path in ALL_FILES or path.startswith(ALL_PREFIXES):
        return ALL
    parts = p.parts
    if len(parts) == 2 and parts[0] == "products" and p.suffix == ".yaml":
        return p.stem
    if len(parts) > 2 and parts[0] == "products":
        return parts[1]
    return None


@dataclass
class Changed:
    base: str
    head: str
    every: bool = False  # a change affected every product
    products: list[str] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)  # product (or "*") -> the paths that selected it
    removed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base, "head": self.head, "all": self.every, "products": self.products,
                "reasons": self.reasons, "removed": self.removed}



def _open(repo_dir: Path) -> Any:
    import git  # noqa: PLC0415 - GitPython only for this action

    try:
        return git.Repo(repo_dir, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UserError(f"{repo_dir}: not inside a git repository", hint="run from a clone, or give --repo DIR") from exc


def repo_root(repo_dir: Path) -> Path:
    """The working tree's root (where products/ and accounts.yaml live)."""
    return Path(_open(repo_dir).working_tree_dir)


def _commit(repo: Any, ref: str, what: str) -> Any:
    import git  # noqa: PLC0415

    try:
        return repo.commit(ref)
    except (git.BadName, ValueError) as exc:
        raise UserError(f"--{what} {ref}: no such commit in {repo.working_tree_dir}",
                        hint="fetch it first (actions/checkout with fetch-depth: 0), or give a branch, tag or SHA") from exc


def products_at(commit: Any) -> list[str]:
    """The product names whose config ``products/<name>.yaml`` exists in the commit."""
    try:
        tree = commit.tree / "products"
    except KeyError:
        return []
    return sorted(PurePosixPath(b.name).stem for b in tree.blobs if b.name.endswith(".yaml"))


def changed_paths(base: Any, head: Any) -> list[str]:
    """Every path added, modified, deleted or renamed (both names) between two commits."""
    paths: set[str] = set()
    for d in base.diff(head):
        paths.update(p for p in (d.a_path, d.b_path) if p)
    return sorted(paths)


def detect(repo_dir: Path, base_ref: str, head_ref: str = "HEAD", *, missing_base_means_all: bool = False) -> Changed:
    """``missing_base_means_all``: a base that is not in the clone (a push after a force-push) selects every product."""
    repo = _open(repo_dir)
    head = _commit(repo, head_ref, "head")
    existing = products_at(head)
    if set(base_ref) == {"0"}:  # first push of a branch: nothing to compare with
        return Changed(base_ref, head.hexsha, every=True, products=existing, reasons={ALL: [f"base {base_ref}: no previous commit"]})
    try:
        base = _commit(repo, base_ref, "base")
    except UserError:
        if not missing_base_means_all:
            raise
        return Changed(base_ref, head.hexsha, every=True, products=existing, reasons={ALL: [f"base {base_ref}: not in this clone"]})
    bases = repo.merge_base(base, head)
    if not bases:
        return Changed(base.hexsha, head.hexsha, every=True, products=existing,
                       reasons={ALL: [f"{base_ref} and {head_ref} share no history"]})
    out = Changed(bases[0].hexsha, head.hexsha)
    selected: set[str] = set()
    for path in changed_paths(bases[0], head):
        target = classify(path)
        if target is None:
            continue
        out.reasons.setdefault(target, []).append(path)
        if target == ALL:
            out.every = True
        else:
            selected.add(target)
    out.products = existing if out.every else sorted(selected & set(existing))
    out.removed = sorted(selected - set(existing))
    return out
