"""Benchmark: rendering speed (config load + validation + render + parse-back + access policies) over every shipped product,
then at fleet scale: 1,000 generated configs (the 24 examples with their own app ids) in a scratch repository,
rendered cold (`mlprov render`, worker processes), checked warm (`render --check`, the content-hash cache) and
checked cold (`render --check --no-cache`).

Prints figures; not a test.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from mlprov import cli
from mlprov.access.principals import contract
from mlprov.config.loader import load_product
from mlprov.render.engine import render

PRODUCTS = sorted((Path(__file__).resolve().parents[1] / "products").glob("*.yaml"))


def main() -> None:
    for path in PRODUCTS:  # warm caches (schemas, IAM database) once
        product = load_product(path)
        contract(product, render(product)[1])
    timings: dict[str, list[float]] = {"load+validate": [], "render+parse": [], "policy": []}
    for _ in range(5):
        for path in PRODUCTS:
            t0 = time.perf_counter()
            product = load_product(path)
            t1 = time.perf_counter()
            _text, template = render(product)
            t2 = time.perf_counter()
            contract(product, template)
            t3 = time.perf_counter()
            timings["load+validate"].append(t1 - t0)
            timings["render+parse"].append(t2 - t1)
            timings["policy"].append(t3 - t2)
    print(f"products: {len(PRODUCTS)}, rounds: 5")
    for name, values in timings.items():
        print(f"{name:<14} median {statistics.median(values) * 1000:7.2f} ms   max {max(values) * 1000:7.2f} ms")
    total = sum(sum(v) for v in timings.values()) / 5
    print(f"all {len(PRODUCTS)} products end to end: {total * 1000:.0f} ms per round")
    fleet_scale()


FLEET = 1000


def generate(root: Path, count: int) -> None:
    (root / "products").mkdir()
    for i in range(count):
        base = PRODUCTS[i % len(PRODUCTS)]
        data = yaml.safe_load(base.read_text())
        old = data["app_id"]
        data["app_id"] = f"{old[0]}{100 + i // len(PRODUCTS):03d}"
        (root / "products" / base.name.replace(f"-{old}-", f"-{data['app_id']}-")).write_text(yaml.safe_dump(data, sort_keys=False))


def timed(*argv: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(list(argv))
    return time.perf_counter() - t0, code


def fleet_scale() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        root = Path(tmp)
        generate(root, FLEET)
        os.environ.update(MLPROV_ROOT=str(root), MLPROV_REPORTS_DIR=str(root / "reports"), MLPROV_CACHE_DIR=str(root / "cache"))
        jobs = str(os.cpu_count() or 1)
        cold, c1 = timed("render", "--jobs", jobs)
        warm, c2 = timed("render", "--check")
        nocache, c3 = timed("render", "--check", "--no-cache", "--jobs", jobs)
        seq = len(list((root / "products").glob("*.yaml")))
        print(f"fleet of {seq} products, {jobs} CPU(s):")
        print(f"  cold render (--jobs {jobs}):          {cold:6.2f} s ({cold / seq * 1000:5.1f} ms/product), exit {c1}")
        print(f"  render --check, unchanged (cache):  {warm:6.2f} s ({warm / seq * 1000:5.2f} ms/product), exit {c2}")
        print(f"  render --check --no-cache (--jobs {jobs}): {nocache:6.2f} s, exit {c3}")


if __name__ == "__main__":
    main()
