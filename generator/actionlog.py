"""Every action writes a timestamped log of what it did to ``<reports>/logs/``.

Secrets never reach the log: values of keys that look like credentials are masked by the filter, and so is
the user:password of a URL. Retention: opening a log prunes the folder to the newest :data:`KEEP_LOGS` logs and
drops logs older than :data:`KEEP_DAYS` days (CI keeps its own artifacts; this bounds a long-lived checkout).
Stack operations add one ``audit {json}`` line (:mod:`mlprov.aws.audit`).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

LOGGER_NAME = "mlprov"
_SECRET = re.compile(
    r"(?i)(aws_secret_access_key|aws_session_token|secret|password|token)(\s*[=:]\s*)(\S+)"
)
_KEY_ID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s\"']+@")
KEEP_LOGS = 200
KEEP_DAYS = 90


class _RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        text = _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
        text = _KEY_ID.sub("***", text)
        text = _URL_USERINFO.sub(lambda m: f"{m.group(1)}***@", text)
        record.msg, record.args = text, None
        return True


def redact(text: str) -> str:
    """The text as it would appear in a log."""
    record = logging.LogRecord(LOGGER_NAME, logging.INFO, "", 0, text, None, None)
    _RedactFilter().filter(record)
    return str(record.msg)


def prune(logs: Path, now: datetime, keep: int = KEEP_LOGS, days: int = KEEP_DAYS) -> list[Path]:
    """Delete the logs beyond the newest ``keep`` and those older than ``days`` (by the UTC stamp in their name);
    the paths deleted. Files that are not our logs are left alone."""
    ours = sorted((p for p in logs.glob("*.log") if _stamp(p) is not None), key=lambda p: p.name, reverse=True)
    cutoff = now - timedelta(days=days)
    doomed = [p for i, p in enumerate(ours) if i >= keep or (_stamp(p) or now) < cutoff]
    for p in doomed:
        p.unlink(missing_ok=True)
    return doomed


def _stamp(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.name.split("-", 1)[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def start_log(reports_dir: Path, action: str) -> tuple[logging.Logger, Path]:
    """Open ``<reports>/logs/<UTC timestamp>-<action>.log`` and attach it to the ``mlprov`` logger."""
    logs = reports_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    prune(logs, now, keep=KEEP_LOGS - 1)  # room for this one
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    path = logs / f"{stamp}-{action}.log"
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.DEBUG)
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactFilter())
    logger.addHandler(handler)
    logger.propagate = False
    return logger, path


def stop_log(logger: logging.Logger) -> None:
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()
