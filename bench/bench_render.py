"""Benchmark: rendering speed (config load + validation + render + parse-back + access policies) over every product.

Prints figures; not a test.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

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


if __name__ == "__main__":
    main()
