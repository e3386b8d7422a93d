"""The audit record of one stack operation, written to the action's log (``<reports>/logs/...``).

One ``audit {json}`` line per deploy / test-deploy / delete: who (caller ARN from STS GetCallerIdentity, which
needs no IAM permission: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), where
(account, region, endpoint with any credentials masked), which change set, the change summary, the flags, and
the outcome. No secret reaches it: the log's redaction filter runs on it too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from mlprov.actionlog import LOGGER_NAME
from mlprov.aws.changeset import ChangeSet
from mlprov.aws.preview import Preview
from mlprov.aws.session import Aws
from mlprov.errors import MlprovError

_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/@]*@", re.IGNORECASE)
_QUERY = re.compile(r"\?.*$")


def mask_endpoint(url: str | None) -> str:
    """An endpoint URL without user:password@ and without a query string (which may carry a signature)."""
    if not url:
        return ""
    return _QUERY.sub("?***", _USERINFO.sub(r"\1***@", url))


@dataclass
class Record:
    action: str
    stack: str
    flags: list[str]
    caller: str = ""
    account: str = ""
    region: str = ""
    endpoint: str = ""
    change_set_id: str = ""
    change_type: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    executed: bool = False
    outcome: str = ""

    def note_plan(self, cs: ChangeSet, preview: Preview) -> None:
        self.change_set_id, self.change_type = cs.id, cs.change_type
        self.counts = preview.counts
        self.changes = [f"{r.kind} {r.logical_id} ({r.type}){' DATA-LOSS RISK' if r.data_loss else ''}"
                        for r in preview.rows]


def flags_of(opts: Any) -> list[str]:
    """The options that change what a deploy may do, as the command line spells them."""
    names = {"force": "--force", "allow_data_loss": "--allow-data-loss", "skip_gate": "--skip-gate",
             "reviewed": "--reviewed"}
    return [flag for attr, flag in names.items() if getattr(opts, attr, False)]


def _identity(aws: Aws) -> tuple[str, str]:
    try:
        who = aws.client("sts", optional=True).get_caller_identity()  # one attempt on a local endpoint
    except (ClientError, BotoCoreError) as exc:
        return f"unknown ({type(exc).__name__})", ""
    return str(who.get("Arn", "")), str(who.get("Account", ""))


def start(aws: Aws, stack_name: str, opts: Any, action: str = "") -> Record:
    """A record for one operation; ``action`` defaults to deploy, or test-deploy for a create-only copy."""
    action = action or ("test-deploy" if getattr(opts, "create_only", False) else "deploy")
    caller, account = _identity(aws)
    return Record(action=action, stack=stack_name, flags=flags_of(opts), caller=caller, account=account,
                  region=aws.target.region, endpoint=mask_endpoint(aws.target.endpoint_url))


def log(record: Record) -> None:
    logging.getLogger(LOGGER_NAME).info("audit %s", json.dumps(asdict(record), sort_keys=True))


@contextmanager
def recorded(record: Record) -> Iterator[None]:
    """Log ``record`` when the block ends, whatever happens. A failure sets its outcome: an MlprovError's exit code
    and message, any other exception's type; a Ctrl-C whose outcome the block already wrote keeps it."""
    try:
        yield
    except MlprovError as exc:
        record.outcome = f"failed (exit {int(exc.exit_code)}): {exc.message}"
        raise
    except BaseException as exc:
        if not (isinstance(exc, KeyboardInterrupt) and record.outcome):
            record.outcome = f"failed: {type(exc).__name__}"
        raise
    finally:
        log(record)
