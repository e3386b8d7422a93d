"""Render many products at once: worker processes (rendering is CPU-bound Python), in the given order.

Below :data:`MIN_PARALLEL` products, or with one job, it renders in this process (starting workers costs more).
Otherwise the first product renders here first: that pays the one-time warm-up (registry schemas, the IAM
database, the AST scan of the tool's own calls, compiled templates, the render cache's generator digest) once, and
the workers, forked after it, start with all of it loaded instead of each paying it again.

Each worker does its products' whole share (:func:`mlprov.render.outcome.work`: render, compare, stage the changed
files, the cache entry) and sends back small :class:`~mlprov.render.outcome.Outcome` records, one chunk of
products per task. A worker that meets a bad config marks it; the caller runs that config again in this process, so
the error is raised here exactly as a sequential run raises it (one line per problem, exit 2), after every staged
file is discarded. Whatever stops the run (an error, Ctrl-C) discards the staged files of the outcomes received.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from mlprov.render.outcome import Outcome, discard_all, work, work_all

MIN_PARALLEL = 8
CHUNK = 16


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def chunk_size(count: int, jobs: int) -> int:
    """Products per task: at most :data:`CHUNK` (fewer round trips), and at least four tasks per worker so one
    slow chunk does not leave the other workers idle at the end."""
    return max(1, min(CHUNK, count // (jobs * 4)))


def _chunk(paths: list[Path], check: bool, record: bool) -> list[Outcome]:
    """One task in a worker: its products' outcomes (a bad config is marked, not raised)."""
    return work_all(paths, check=check, record=record, here=False)


def _settle(outcomes: list[Outcome], check: bool, record: bool) -> list[Outcome]:
    """Run each config marked bad again here, which raises its error (after discarding every staged file)."""
    for i, outcome in enumerate(outcomes):
        if outcome.bad:
            try:
                outcomes[i] = work(outcome.config, check=check, record=record, here=True)
            except BaseException:
                discard_all(outcomes)
                raise
    return outcomes


def _sequential(paths: list[Path], check: bool, record: bool) -> list[Outcome]:
    return work_all(paths, check=check, record=record, here=True)


def outcomes(paths: list[Path], jobs: int, *, check: bool, record: bool) -> list[Outcome]:
    """Every config's outcome, in the order of ``paths``; raises the first bad config's error, nothing staged left."""
    if jobs <= 1 or len(paths) < MIN_PARALLEL:
        return _sequential(paths, check, record)
    out = _sequential(paths[:1], check, record)  # the warm-up, in this process: inherited by every forked worker
    rest = paths[1:]
    size = chunk_size(len(rest), jobs)
    futures: list[Future[list[Outcome]]] = []
    received = 0
    gc.freeze()  # the warmed-up objects stay out of the workers' collections (no copy-on-write of their pages)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            try:
                futures = [pool.submit(_chunk, rest[i:i + size], check, record) for i in range(0, len(rest), size)]
                for future in futures:
                    out += future.result()
                    received += 1
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                discard_all(out)
                for future in futures[received:]:
                    if future.done() and not future.cancelled() and future.exception() is None:
                        discard_all(future.result())
                raise
    finally:
        gc.unfreeze()
    return _settle(out, check, record)
