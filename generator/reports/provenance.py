"""What a report was made from, for its footer: the git commit of the repository and the template's sha256.

The sha256 is of the committed rendering's bytes (``products/<name>/template.yaml``), the same text the deploy sends
(and the reviewed change-set identity hashes), so a reader can tie the page to exactly one template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    commit: str  # a hex sha, "+ uncommitted changes" when the work tree differs, or why there is none
    template_sha256: str


def git_commit(root: Path, paths: list[Path] | None = None) -> str:
    try:
        import git  # noqa: PLC0415 - GitPython only when a report is written

        repo = git.Repo(root, search_parent_directories=True)
        sha = repo.head.commit.hexsha
    except Exception as exc:  # noqa: BLE001 - no repository, no commit yet, no git binary: GitPython's errors share no base
        return f"unknown ({type(exc).__name__})"
    rel = [str(p.resolve().relative_to(Path(repo.working_tree_dir or root).resolve())) for p in paths or []]
    dirty = repo.is_dirty(untracked_files=True, path=rel[0]) if rel else repo.is_dirty()
    return f"{sha} (+ uncommitted changes)" if dirty else sha


def of(root: Path, template: Path) -> Provenance:
    digest = hashlib.sha256(template.read_bytes()).hexdigest() if template.is_file() else "no committed template"
    return Provenance(git_commit(root, [template.parent]), digest)
