"""A MODEL, not a measurement against AWS: fleet drift detection when each detection waits, sequential vs --jobs 8.

bench_fleet.py measures the fleet commands on the embedded local endpoint, where a drift detection answers at once
and the work is CPU-bound (2 shared cores): its parallel ratio is a floor. On AWS, DetectStackDrift returns at once
and DescribeStackDriftDetectionStatus reports DETECTION_IN_PROGRESS until it is done: "DetectStackDrift can take up
to several minutes, depending on the number of resources contained within the stack" (CloudFormation API Reference,
DetectStackDrift, https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackDrift.html).
This bench runs the same fleet runner (:func:`mlprov.fleet.runner.run_many`, threads, ``--jobs``) and the same
detection code (:func:`mlprov.aws.nativedrift.detect` with its :class:`~mlprov.aws.stack.Poller`) against a fake
CloudFormation client whose status stays DETECTION_IN_PROGRESS for a fixed number of polls, the poller sleeping
between polls. The time per stack is therefore fixed by the model
(polls x interval), not by AWS; the figure is how well --jobs overlaps the waits, nothing else.

Prints figures; not a test.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from mlprov.aws import nativedrift
from mlprov.aws.stack import Poller
from mlprov.fleet.runner import run_many

POLLS = 10  # DETECTION_IN_PROGRESS answers before DETECTION_COMPLETE
INTERVAL = 0.1  # seconds slept between polls (against AWS the Poller starts at 2 s and backs off to 15 s)
SIZES = (24, 100)
JOBS = 8
RESOURCES = 25  # StackResourceDrifts per stack (an enterprise stack has about that many)


class FakeCloudFormation:
    """DetectStackDrift, DescribeStackDriftDetectionStatus (IN_PROGRESS for POLLS calls), DescribeStackResourceDrifts."""

    def __init__(self) -> None:
        self.polls: dict[str, int] = {}
        self.lock = threading.Lock()

    def detect_stack_drift(self, StackName: str) -> dict[str, Any]:
        with self.lock:
            self.polls[StackName] = 0
        return {"StackDriftDetectionId": StackName}

    def describe_stack_drift_detection_status(self, StackDriftDetectionId: str) -> dict[str, Any]:
        with self.lock:
            self.polls[StackDriftDetectionId] += 1
            done = self.polls[StackDriftDetectionId] > POLLS
        return {"DetectionStatus": "DETECTION_COMPLETE" if done else "DETECTION_IN_PROGRESS", "StackDriftStatus": "IN_SYNC"}

    def describe_stack_resource_drifts(self, StackName: str, **_: Any) -> dict[str, Any]:
        return {"StackResourceDrifts": [{"LogicalResourceId": f"R{i}", "StackResourceDriftStatus": "IN_SYNC"}
                                        for i in range(RESOURCES)]}


def fleet(size: int, jobs: int) -> float:
    cfn = FakeCloudFormation()

    def task(name: str) -> tuple[int, nativedrift.Native]:
        poller = Poller(local=True, timeout=60.0, sleep=lambda _s: time.sleep(INTERVAL))
        native = nativedrift.detect(cfn, name, poller)
        return (0 if len(native.results) == RESOURCES else 3), native

    t0 = time.perf_counter()
    outcomes = run_many([f"stack-{i:04d}" for i in range(size)], task, jobs)
    seconds = time.perf_counter() - t0
    assert all(o.exit_code == 0 for o in outcomes) and all(cfn.polls[f"stack-{i:04d}"] == POLLS + 1 for i in range(size))
    return seconds


def main() -> None:
    per_stack = POLLS * INTERVAL
    print(f"MODEL (fake CloudFormation client, not AWS): each detection reports DETECTION_IN_PROGRESS {POLLS} times, "
          f"{INTERVAL:.2f} s apart (~{per_stack:.1f} s per stack)")
    for size in SIZES:
        seq = fleet(size, 1)
        par = fleet(size, JOBS)
        print(f"  {size:4d} stacks: --jobs 1 {seq:6.2f} s, --jobs {JOBS} {par:6.2f} s, ratio {seq / par:4.1f}x "
              f"(ideal {min(JOBS, size)}x)")
    print("  on AWS the wait per stack is AWS's (seconds to minutes) and CloudFormation may throttle many parallel calls "
          "(botocore's adaptive retries slow the run down): the model shows the overlap, not AWS's limits")


if __name__ == "__main__":
    main()
