"""Benchmark: rendering speed at fleet scale. Prints figures; not a test.

1,000 generated configs (the shipped examples with their own app ids) in a scratch repository:

- the per-product split, in one process (CPU ms: load, validate, render, parse-back, policy, and within policy the
  test-copy ARNs), over 200 of them after a warm-up on the shipped examples (so every structural shape of their
  test copies is checked already: ``mlprov.access.copyshape``);
- cold renders through the CLI, each in a fresh process with a fresh cache folder (nothing memoized, nothing on
  disk): ``mlprov render --jobs 1`` and ``--jobs N`` (N = the CPUs), wall seconds and core-seconds (CPU of the
  process and its workers), and what N idle cores would give (core-seconds / N, the parallel part);
- ``render --check`` over the unchanged 1,000 (the content-hash cache) and ``--check --no-cache``.

The machine is shared: each figure is printed with the 1-minute load average (``os.getloadavg``) when it started.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mlprov.access import copyshape
from mlprov.access.arns import product_arns
from mlprov.access.files import access_files
from mlprov.config import loader
from mlprov.config.model import Product
from mlprov.paths import product_dir
from mlprov.render import engine
from mlprov.render.renderings import expected

PRODUCTS = sorted((Path(__file__).resolve().parents[1] / "products").glob("*.yaml"))
FLEET = 1000
SPLIT = 200


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def generate(root: Path, count: int) -> list[Path]:
    (root / "products").mkdir()
    for i in range(count):
        base = PRODUCTS[i % len(PRODUCTS)]
        data = yaml.safe_load(base.read_text())
        old = data["app_id"]
        data["app_id"] = f"{old[0]}{100 + i // len(PRODUCTS):03d}"
        (root / "products" / base.name.replace(f"-{old}-", f"-{data['app_id']}-")).write_text(yaml.safe_dump(data, sort_keys=False))
    return sorted((root / "products").glob("*.yaml"))


def split(paths: list[Path]) -> None:
    """CPU ms per product of each step, in this process (warmed up on the shipped examples first)."""
    for path in PRODUCTS:
        expected(loader.load_product(path))
    steps = ("load", "validate", "render", "parse-back", "policy")
    cpu = dict.fromkeys((*steps, "  of which test-copy ARNs"), 0.0)
    started = load()
    for path in paths:
        t0 = time.process_time()
        data = loader._read(path)  # the bench times the loader's two halves apart
        t1 = time.process_time()
        assert not loader.validate_data(path, data)
        product = Product(path=path, config=data)
        t2 = time.process_time()
        text = engine.render_text(product)
        t3 = time.process_time()
        template = engine.parse(text)
        engine.check_structure(product, template)
        t4 = time.process_time()
        product_arns(product, template)  # the test copies' renderings (memoized for access_files below)
        t5 = time.process_time()
        access_files(product, template, product_dir(path))
        t6 = time.process_time()
        for step, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t6 - t4), strict=True):
            cpu[step] += seconds
        cpu["  of which test-copy ARNs"] += t5 - t4
    total = sum(cpu[s] for s in steps)
    print(f"per-product split, one process, {len(paths)} products (CPU ms per product; {started}):")
    for step, seconds in cpu.items():
        print(f"  {step:<26} {seconds / len(paths) * 1000:6.2f} ms")
    print(f"  {'total':<26} {total / len(paths) * 1000:6.2f} ms")
    print(f"  (test copies rendered once per structural shape: {copyshape.checked()} shapes checked in this process)")


def cli(env: dict[str, str], *argv: str) -> tuple[float, float, int, str]:
    """(wall s, core-seconds of the process and its workers, exit code, load when it started) of one fresh CLI run."""
    started = load()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mlprov", *argv], env=env, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    core = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, core, proc.returncode, started


def fleet_scale() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        root = Path(tmp)
        paths = generate(root, FLEET)
        split(paths[:SPLIT])
        jobs = os.cpu_count() or 1
        n = len(paths)
        print(f"fleet of {n} products, {jobs} CPU(s), cold = a fresh process and an empty cache folder:")
        for j in (1, jobs):
            env = {**os.environ, "MLPROV_ROOT": str(root), "MLPROV_REPORTS_DIR": str(root / "reports"),
                   "MLPROV_CACHE_DIR": str(root / f"cache-{j}")}
            wall, core, code, started = cli(env, "render", "--jobs", str(j))
            print(f"  cold render --jobs {j}: {wall:6.2f} s wall ({wall / n * 1000:5.1f} ms/product), "
                  f"{core:6.1f} core-s ({core / n * 1000:5.1f} ms/product), {jobs} idle cores: ~{core / jobs:5.1f} s, "
                  f"exit {code} ({started})")
        warm, _c, code, started = cli(env, "render", "--check")
        print(f"  render --check, unchanged (cache): {warm:6.2f} s, exit {code} ({started})")
        nocache, core, code, started = cli(env, "render", "--check", "--no-cache", "--jobs", str(jobs))
        print(f"  render --check --no-cache --jobs {jobs}: {nocache:6.2f} s wall, {core:6.1f} core-s, exit {code} ({started})")


if __name__ == "__main__":
    fleet_scale()
