"""Run one action over many products with bounded parallelism: threads, each product with its own boto3 clients.

boto3 clients are thread-safe but sessions are not (https://boto3.amazonaws.com/v1/documentation/api/latest/guide/
clients.html#multithreading-or-multiprocessing-with-clients): every task builds its own :class:`mlprov.aws.session.Aws`
(its own session and clients). Against AWS each client retries in botocore's adaptive mode (client-side rate limiting
and exponential back-off on throttling, https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html),
so N parallel drift detections slow down rather than fail when CloudFormation throttles; on a local endpoint the
pollers use short fixed intervals (:class:`mlprov.aws.stack.Poller`).

A task's :class:`~mlprov.errors.MlprovError` (a missing stack, an AWS error) becomes that product's outcome; the other
products go on. Anything else is a bug and stops the run (the CLI boundary reports it, exit 4).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from mlprov.errors import ExitCode, MlprovError, UserError

T = TypeVar("T")
MAX_JOBS = 64


@dataclass
class Outcome(Generic[T]):
    product: str
    exit_code: int
    seconds: float
    result: T | None = None
    error: str = ""


def check_jobs(jobs: int) -> int:
    if not 1 <= jobs <= MAX_JOBS:
        raise UserError(f"--jobs {jobs}: expected 1 to {MAX_JOBS}",
                        hint="AWS throttles many parallel calls per account and region; 4-8 is a good start")
    return jobs


def run_many(names: list[str], task: Callable[[str], tuple[int, T]], jobs: int) -> list[Outcome[T]]:
    """``task(name) -> (exit code, result)`` for every name, at most ``jobs`` at once; outcomes in the given order."""

    def one(name: str) -> Outcome[T]:
        started = time.perf_counter()
        try:
            code, result = task(name)
        except MlprovError as exc:
            return Outcome(name, int(exc.exit_code), time.perf_counter() - started, None, " ".join(exc.lines()))
        return Outcome(name, code, time.perf_counter() - started, result)

    if jobs == 1:
        return [one(n) for n in names]
    with ThreadPoolExecutor(max_workers=check_jobs(jobs), thread_name_prefix="mlprov-fleet") as pool:
        return list(pool.map(one, names))


def fleet_exit(outcomes: list[Outcome[T]]) -> int:
    """The run's exit code: an AWS error (3) over bad input (2) over drift/changes (1) over success (0)."""
    codes = {o.exit_code for o in outcomes}
    for code in (ExitCode.AWS, ExitCode.USAGE, ExitCode.FINDINGS):
        if int(code) in codes:
            return int(code)
    return max(codes, default=int(ExitCode.OK))  # 0, or a code this list does not rank
