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

With a :class:`Flusher` the fsync of a staged file runs on a background thread while the caller goes on (the next
product renders while the disk writes): the staged file is not usable until :func:`settle` has waited for its flush
and raised its failure (a full disk often shows only at the fsync, with delayed allocation), exactly as the inline
fsync would have. :func:`commit` refuses a staged file whose flush is still pending, so nothing is renamed before its
data is on the disk.
"""

from __future__ import annotations

import errno
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

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
    pending: Future[None] | None = None  # the background flush (a Flusher's), until settle() has waited for it


def _flush(handle: BinaryIO) -> None:
    try:
        os.fsync(handle.fileno())
    finally:
        handle.close()


class Flusher:
    """Runs the fsync of staged files on background threads (fsync releases the GIL). Created per batch of files
    and closed after it (the threads are joined: a process must not fork while they run)."""

    def __init__(self, threads: int = 4) -> None:
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, handle: BinaryIO) -> Future[None]:
        """Flush and close ``handle`` (the flusher owns it from now on)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="mlprov-fsync")
        return self._pool.submit(_flush, handle)

    def close(self) -> None:
        """Wait for every flush and join the threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def settle(staged: Staged) -> Staged:
    """``staged`` once its data is on the disk; UserError naming the path when the flush failed (then its temporary
    file is gone, as :func:`stage_bytes` leaves none when its inline fsync fails)."""
    if staged.pending is None:
        return staged
    try:
        staged.pending.result()
    except OSError as exc:
        Path(staged.tmp).unlink(missing_ok=True)
        raise cannot_write(staged.path, exc) from exc
    return replace(staged, pending=None)


def _missing_parents(folder: Path) -> tuple[Path, ...]:
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return tuple(reversed(missing))


def stage_bytes(path: Path, data: bytes, mode: int = 0o644, flusher: Flusher | None = None) -> Staged:
    """Write ``data`` to a temporary file beside ``path`` (parents created) and flush it to the disk (with a
    ``flusher``: in the background, see :func:`settle`); UserError naming the path when it cannot (then no temporary
    file is left)."""
    tmp: str | None = None
    made = _missing_parents(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        handle = os.fdopen(fd, "wb")
        try:
            handle.write(data)
            handle.flush()
            os.chmod(tmp, mode)
        except BaseException:
            handle.close()
            raise
        if flusher is None:
            _flush(handle)
            staged = Staged(path, tmp, made)
        else:
            staged = Staged(path, tmp, made, flusher.submit(handle))
        tmp = None
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return staged


def commit(staged: Staged) -> Path:
    """Rename the staged file over its target (atomic); UserError naming the path when it cannot."""
    if staged.pending is not None:
        raise ValueError(f"{staged.path}: staged file not settled (its flush may be pending)")  # a caller's bug
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
