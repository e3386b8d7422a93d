"""The one way files are written: a temporary file beside the target, flushed to disk, then renamed over it.

``os.replace`` is atomic on POSIX when source and target are on the same file system (Python docs,
``os.replace``: "If successful, the renaming will be an atomic operation (this is a POSIX requirement)"), so a
reader sees the old file or the new one, never a truncated one: a full disk while writing a rendering leaves the
committed template as it was. An unwritable folder or a full disk is bad input, not a bug: exit 2 naming the path.

The two steps can also be taken apart (:func:`stage_bytes`, then :func:`commit` or :func:`discard`): ``mlprov
render`` stages every changed file in its worker processes and the parent renames them, in order, only once every
config is known to be valid. Each staged file is fsync'ed before it can be renamed (one ``fsync`` per file, as
:func:`write_bytes` always did): the rename only ever publishes data that is already on the disk, so a crash leaves
the old file or the complete new one. Batching the flush (one ``sync()`` for many files) would flush every other
process's dirty pages too and is not portable (POSIX lets ``sync`` return before the data is written); the fsync
costs ~0.2 ms of wall time per file here (little CPU), paid in the workers, in parallel.
"""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlprov.errors import UserError

_WHY = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
        errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
        errno.EROFS: "read-only file system", errno.ENOTDIR: "a parent of it is not a folder",
        errno.EISDIR: "it is a folder"}


def cannot_write(path: Path, exc: OSError) -> UserError:
    why = _WHY.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return UserError(f"{path}: cannot write: {why}",
                     hint="free space or fix the folder's permissions (or choose another folder), then run it again")


@dataclass(frozen=True)
class Staged:
    """A complete, fsync'ed temporary file ``tmp`` beside ``path``, not yet visible at ``path``; ``made``: the
    folders created for it (deepest last), removed again by :func:`discard` when they are empty."""

    path: Path
    tmp: str
    made: tuple[Path, ...] = ()


def _missing_parents(folder: Path) -> tuple[Path, ...]:
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return tuple(reversed(missing))


def stage_bytes(path: Path, data: bytes, mode: int = 0o644) -> Staged:
    """Write ``data`` to a temporary file beside ``path`` (parents created) and flush it to the disk; UserError
    naming the path when it cannot (then no temporary file is left)."""
    tmp: str | None = None
    made = _missing_parents(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        staged = Staged(path, tmp, made)
        tmp = None
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return staged


def commit(staged: Staged) -> Path:
    """Rename the staged file over its target (atomic); UserError naming the path when it cannot."""
    try:
        os.replace(staged.tmp, staged.path)
    except OSError as exc:
        Path(staged.tmp).unlink(missing_ok=True)
        raise cannot_write(staged.path, exc) from exc
    return staged.path


def discard(staged: Staged) -> None:
    """Remove a staged file that will not be committed, and the folders made for it when they are empty."""
    Path(staged.tmp).unlink(missing_ok=True)
    for folder in reversed(staged.made):
        try:
            folder.rmdir()
        except OSError:
            break  # not empty (another file of the product was committed or staged there) or gone: keep it


def write_bytes(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` atomically (parents created); UserError naming the path when it cannot."""
    return commit(stage_bytes(path, data, mode))


def write_text(path: Path, text: str, mode: int = 0o644) -> Path:
    return write_bytes(path, text.encode("utf-8"), mode)
