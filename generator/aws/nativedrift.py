"""CloudFormation's own drift detection: DetectStackDrift, poll, DescribeStackResourceDrifts (every page).

moto answers these with HTTP 500 and an HTML body (botocore raises ResponseParserError): that endpoint
has no native drift detection, and the report says so instead of failing.

DETECTION_FAILED "has failed for at least one resource in the stack. Results will be available for resources
on which CloudFormation successfully completed drift detection" (CloudFormation API Reference,
"DescribeStackDriftDetectionStatus", DetectionStatus): those results are kept, and the summary says it failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, Difference
from mlprov.aws.stack import Poller
from mlprov.errors import AwsError

_STATUS = {"IN_SYNC": IN_SYNC, "MODIFIED": DRIFTED, "DELETED": DELETED, "NOT_CHECKED": NOT_CHECKED, "UNKNOWN": NOT_CHECKED}
NativeResult = tuple[str, list[Difference]]


class Unavailable(Exception):
    """The endpoint does not implement drift detection."""


@dataclass
class Native:
    results: dict[str, NativeResult] = field(default_factory=dict)
    summary: str = "available"


def _drifts(cfn: Any, stack_name: str) -> list[dict[str, Any]]:
    drifts: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"StackName": stack_name}
    while True:
        page = cfn.describe_stack_resource_drifts(**kwargs)
        drifts += page.get("StackResourceDrifts", [])
        if not page.get("NextToken"):
            return drifts
        kwargs["NextToken"] = page["NextToken"]


def detect(cfn: Any, stack_name: str, poller: Poller) -> Native:
    """Logical id -> (status, property differences); raises :class:`Unavailable` on an endpoint without it."""
    from botocore.exceptions import ClientError  # noqa: PLC0415
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    try:
        detection = cfn.detect_stack_drift(StackName=stack_name)["StackDriftDetectionId"]
        for _ in poller.intervals():
            status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
            if status["DetectionStatus"] != "DETECTION_IN_PROGRESS":
                break
        else:
            raise AwsError(f"stack {stack_name}: drift detection did not finish in {poller.timeout:.0f} s")
        summary = "available"
        if status["DetectionStatus"] == "DETECTION_FAILED":
            reason = status.get("DetectionStatusReason", "no reason given")
            summary = f"partial (CloudFormation drift detection failed for some resources: {reason})"
        drifts = _drifts(cfn, stack_name)
    except ResponseParserError as exc:
        raise Unavailable("native drift detection unavailable on this endpoint") from exc
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"NotImplemented", "InvalidAction", "UnsupportedOperation"}:
            raise Unavailable("native drift detection unavailable on this endpoint") from exc
        raise
    out = Native(summary=summary)
    for d in drifts:
        diffs = [Difference(p.get("PropertyPath", ""), p.get("ExpectedValue"), p.get("ActualValue"), "cloudformation")
                 for p in d.get("PropertyDifferences", [])]
        out.results[d["LogicalResourceId"]] = (_STATUS.get(d.get("StackResourceDriftStatus", ""), NOT_CHECKED), diffs)
    return out
