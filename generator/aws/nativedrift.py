"""CloudFormation's own drift detection: DetectStackDrift, poll, DescribeStackResourceDrifts (every page).

moto answers these with HTTP 500 and an HTML body (botocore raises ResponseParserError): that endpoint
has no native drift detection, and the report says so instead of failing.
"""

from __future__ import annotations

from typing import Any

from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, Difference
from mlprov.aws.stack import Poller
from mlprov.errors import AwsError

_STATUS = {"IN_SYNC": IN_SYNC, "MODIFIED": DRIFTED, "DELETED": DELETED, "NOT_CHECKED": NOT_CHECKED, "UNKNOWN": NOT_CHECKED}
NativeResult = tuple[str, list[Difference]]


class Unavailable(Exception):
    """The endpoint does not implement drift detection."""


def detect(cfn: Any, stack_name: str, poller: Poller) -> dict[str, NativeResult]:
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
        if status["DetectionStatus"] == "DETECTION_FAILED" and not status.get("DriftedStackResourceCount"):
            reason = status.get("DetectionStatusReason", "no reason given")
            raise Unavailable(f"CloudFormation drift detection failed: {reason}")
        drifts: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"StackName": stack_name}
        while True:
            page = cfn.describe_stack_resource_drifts(**kwargs)
            drifts += page.get("StackResourceDrifts", [])
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
    except ResponseParserError as exc:
        raise Unavailable("native drift detection unavailable on this endpoint") from exc
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"NotImplemented", "InvalidAction", "UnsupportedOperation"}:
            raise Unavailable("native drift detection unavailable on this endpoint") from exc
        raise
    out: dict[str, NativeResult] = {}
    for d in drifts:
        diffs = [Difference(p.get("PropertyPath", ""), p.get("ExpectedValue"), p.get("ActualValue"), "cloudformation")
                 for p in d.get("PropertyDifferences", [])]
        out[d["LogicalResourceId"]] = (_STATUS.get(d.get("StackResourceDriftStatus", ""), NOT_CHECKED), diffs)
    return out
