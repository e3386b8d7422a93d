"""Render many products at once: worker processes (rendering is CPU-bound Python), in the given order.

Below :data:`MIN_PARALLEL` products, or with one job, it renders in this process (starting workers costs more).
Otherwise the first product renders here first: that pays the one-time warm-up (registry schemas, the IAM
database, the AST scan of the tool's own calls, compiled templates) once, and the workers, forked after it, start
with all of it loaded instead of each paying it again. A worker that meets a bad config returns its name; the
caller loads that config again in this process, so the error is raised here exactly as a sequential run raises
it (one line per problem, exit 2).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from mlprov.config.loader import load_product
from mlprov.errors import MlprovError
from mlprov.render import renderings
from mlprov.render.renderings import Rendering

MIN_PARALLEL = 8
CHUNK = 16


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _one(path: Path) -> list[Rendering] | None:
    try:
        return renderings.expected(load_product(path))
    except MlprovError:
        return None  # re-raised by the caller, in its own process


def chunk_size(count: int, jobs: int) -> int:
    """Products per task: at most :data:`CHUNK` (fewer round trips), and at least four tasks per worker so one
    slow chunk does not leave the other workers idle at the end."""
    return max(1, min(CHUNK, count // (jobs * 4)))


def expected_many(paths: list[Path], jobs: int) -> list[list[Rendering]]:
    if jobs <= 1 or len(paths) < MIN_PARALLEL:
        return [renderings.expected(load_product(p)) for p in paths]
    results = [_one(paths[0])]  # the warm-up, in this process: inherited by every forked worker
    gc.freeze()  # the warmed-up objects stay out of the workers' collections (no copy-on-write of their pages)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results += pool.map(_one, paths[1:], chunksize=chunk_size(len(paths) - 1, jobs))
    finally:
        gc.unfreeze()
    out: list[list[Rendering]] = []
    for path, result in zip(paths, results, strict=True):
        out.append(result if result is not None else renderings.expected(load_product(path)))
    return out
