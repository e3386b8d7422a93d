"""The review report's change-set preview: only when an endpoint or credentials are given and the stack exists.

A preview is never left behind: the change set is deleted once read (as show-changes does).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Any

from mlprov.aws.preview import Preview, summary_line
from mlprov.config.model import Product
from mlprov.errors import MlprovError

SHOWN, NO_STACK, NOT_REQUESTED, FAILED = "shown", "no-stack", "not-requested", "failed"
NO_STACK_TEXT = "no stack deployed: preview not available"
NOT_REQUESTED_TEXT = "no AWS endpoint or credentials given: preview not available"
SKIPPED_TEXT = "preview skipped (--no-preview)"
CREDENTIAL_ENV = ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE",
                   "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")


@dataclass(frozen=True)
class PreviewState:
    status: str
    message: str
    preview: Preview | None = None
    # the deploy's pre-flight (enterprise network prerequisites): None = not run, [] = passed, else what is missing
    preflight: list[str] | None = None
    preflight_note: str = "pre-flight not run (no AWS endpoint or credentials given)"

    @property
    def data_loss(self) -> list[str]:
        rows = self.preview.data_loss if self.preview else []
        return [f"{r.logical_id} ({r.type}) would be {'replaced' if r.kind == 'replace' else 'removed'}" for r in rows]


def requested(args: argparse.Namespace) -> bool:
    """True when the command line or the environment names an endpoint or credentials (never probes the
    instance metadata service on its own)."""
    if getattr(args, "endpoint_url", None) or getattr(args, "profile", None):
        return True
    return any(os.environ.get(k) for k in CREDENTIAL_ENV)


def fetch(args: argparse.Namespace, product: Product, text: str, template: dict[str, Any]) -> PreviewState:
    """The preview against the deployed stack, or why there is none. AWS failures become a FAILED state."""
    if getattr(args, "no_preview", False):
        return PreviewState(NOT_REQUESTED, SKIPPED_TEXT)
    if not requested(args):
        return PreviewState(NOT_REQUESTED, NOT_REQUESTED_TEXT)
    from mlprov.aws import changeset, stack  # noqa: PLC0415 - boto3 only when AWS is asked
    from mlprov.aws.errors import translate  # noqa: PLC0415
    from mlprov.aws.plan import plan  # noqa: PLC0415
    from mlprov.aws.session import connect  # noqa: PLC0415

    aws = connect(args, product)
    missing, note = _preflight(aws, product)
    try:
        current = stack.describe(aws.cfn, product.names.stack)
        if current is None or current["StackStatus"] in {"REVIEW_IN_PROGRESS", "DELETE_COMPLETE"}:
            return PreviewState(NO_STACK, NO_STACK_TEXT, None, missing, note)
        cs, preview = plan(aws, product, text, template, stack.Poller(local=aws.target.is_local))
        if not cs.no_changes:  # a no-changes set was deleted already when it was created
            changeset.delete(aws.cfn, cs)
    except MlprovError as exc:
        return PreviewState(FAILED, f"change preview failed: {exc.message}", None, missing, note)
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in {"botocore", "boto3"}:
            raise
        return PreviewState(FAILED, f"change preview failed: {translate(exc).message}", None, missing, note)
    return PreviewState(SHOWN, summary_line(preview), preview, missing, note)


def _preflight(aws: Any, product: Product) -> tuple[list[str] | None, str]:
    """The deploy's own pre-flight (:func:`mlprov.aws.preflight.missing_prerequisites`), or why it could not run."""
    from mlprov.aws import preflight  # noqa: PLC0415
    from mlprov.aws.errors import translate  # noqa: PLC0415

    try:
        missing = preflight.missing_prerequisites(aws, product)
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in {"botocore", "boto3"}:
            raise
        return None, f"pre-flight could not run: {translate(exc).message}"
    return missing, "pre-flight passed" if not missing else f"pre-flight: {len(missing)} prerequisite(s) missing"
