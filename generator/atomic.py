"""The one way files are written: a temporary file beside the target, flushed to disk, then renamed over it.

``os.replace`` is atomic on POSIX when source and target are on the same file system (Python docs,
``os.replace``: "If successful, the renaming will be an atomic operation (this is a POSIX requirement)"), so a
reader sees the old file or the new one, never a truncated one: a full disk while writing a rendering leaves the
committed template as it was. An unwritable folder or a full disk is bad input, not a bug: exit 2 naming the path.
"""

from __future__ import annotations

import errno
import os
import tempfile
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


def write_bytes(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` atomically (parents created); UserError naming the path when it cannot."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str, mode: int = 0o644) -> Path:
    return write_bytes(path, text.encode("utf-8"), mode)
