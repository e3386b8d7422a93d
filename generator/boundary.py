"""The one place that turns exceptions into exit codes and one-line messages (never a traceback).

- :class:`~mlprov.errors.MlprovError` subclasses: their lines on stderr, their exit code (0 ok, 1 findings,
  2 usage, 3 AWS, 5 incomplete: a check that could not read everything gives no verdict);
- botocore errors: translated by :func:`mlprov.aws.errors.translate` (exit 3, with a hint);
- an unwritable folder or a full disk (OSError EACCES/EPERM/EROFS/ENOSPC/EDQUOT/ENOTDIR/EISDIR naming a file), also the
  reports folder the action log goes to: exit 2 naming the path (see :mod:`mlprov.atomic`);
- anything else is a bug: exit 4, the traceback goes to the action's log and stderr names the log.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from mlprov.actionlog import start_log, stop_log
from mlprov.errors import ExitCode, MlprovError

_IO = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR, errno.EISDIR}


def _from_io(exc: BaseException) -> MlprovError | None:
    if isinstance(exc, OSError) and exc.errno in _IO and exc.filename:
        from mlprov.atomic import cannot_write  # noqa: PLC0415

        return cannot_write(Path(str(exc.filename)), exc)
    return None


def _from_botocore(exc: BaseException) -> MlprovError | None:
    if type(exc).__module__.split(".")[0] not in {"botocore", "boto3"}:
        return None
    from mlprov.aws.errors import translate  # noqa: PLC0415 - keeps botocore off the import path

    translated: MlprovError = translate(exc)
    return translated


def run_guarded(
    action: str,
    fn: Callable[[], int],
    reports_dir: Path,
    stderr: TextIO | None = None,
) -> int:
    """Run one action; log it; map what it raises to the published exit codes."""
    err = stderr if stderr is not None else sys.stderr
    logging.raiseExceptions = False  # a log write failing on a full disk must not print a traceback
    try:
        logger, log_path = start_log(reports_dir, action)
    except OSError as exc:
        io = _from_io(exc)
        if io is None:
            raise
        for line in io.lines():
            print(line, file=err)
        return int(io.exit_code)
    logger.info("action %s started: argv=%s", action, sys.argv[1:])
    try:
        code = int(fn())
        logger.info("action %s finished with exit code %d", action, code)
        return code
    except MlprovError as exc:
        return _report(exc, logger, err, action)
    except BrokenPipeError:
        # stdout closed early (e.g. `| head`): stop quietly, as a shell pipeline expects.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        logger.info("action %s stopped: output pipe closed", action)
        return 141
    except KeyboardInterrupt:
        logger.warning("action %s interrupted", action)
        print("interrupted", file=err)
        return 130
    except Exception as exc:  # noqa: BLE001 - the boundary: every other exception is mapped, none escapes
        translated = _from_botocore(exc) or _from_io(exc)
        if translated is not None:
            logger.debug("botocore error: %r", exc)
            return _report(translated, logger, err, action)
        logger.error("unexpected error in %s:\n%s", action, traceback.format_exc())
        print(f"mlprov: unexpected error: {type(exc).__name__}: {exc}", file=err)
        print(f"mlprov: this is a bug; the traceback is in {log_path}", file=err)
        return int(ExitCode.BUG)
    finally:
        stop_log(logger)


def _report(exc: MlprovError, logger: object, err: TextIO, action: str) -> int:
    import logging  # noqa: PLC0415

    assert isinstance(logger, logging.Logger)
    for line in exc.lines():
        print(line, file=err)
        logger.error("%s", line)
    logger.info("action %s finished with exit code %d", action, int(exc.exit_code))
    return int(exc.exit_code)
