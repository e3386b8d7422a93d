"""Every action writes a timestamped log of what it did to ``<reports>/logs/``.

Secrets never reach the log: values of keys that look like credentials are masked by the filter.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

LOGGER_NAME = "mlprov"
_SECRET = re.compile(
    r"(?i)(aws_secret_access_key|aws_session_token|secret|password|token)(\s*[=:]\s*)(\S+)"
)
_KEY_ID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")


class _RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        text = _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
        text = _KEY_ID.sub("***", text)
        record.msg, record.args = text, None
        return True


def redact(text: str) -> str:
    """The text as it would appear in a log."""
    record = logging.LogRecord(LOGGER_NAME, logging.INFO, "", 0, text, None, None)
    _RedactFilter().filter(record)
    return str(record.msg)


def start_log(reports_dir: Path, action: str) -> tuple[logging.Logger, Path]:
    """Open ``<reports>/logs/<UTC timestamp>-<action>.log`` and attach it to the ``mlprov`` logger."""
    logs = reports_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
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
