"""Benchmark: the deploy lifecycle of one product per tier on the embedded local AWS.

For each round and tier, a fresh test copy (``-t<6 hex>`` names, so retained stores never clash): change-set
preview (create + describe + delete), deploy through a change set, drift check, delete. Prints figures; not a test.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

from mlprov.aws import changeset, delete, drift
from mlprov.aws.deploy import Options, deploy
from mlprov.aws.plan import plan
from mlprov.aws.session import Aws, Target
from mlprov.aws.stack import Poller
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.local_aws import LocalAws, dummy_credentials
from mlprov.local_aws.fixtures import boto3_clients, seed
from mlprov.render.engine import render

PRODUCTS = Path(__file__).resolve().parents[1] / "products"
TIERS = {
    "starter": "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit",
    "professional": "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
    "enterprise": "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm",
}
ROUNDS = 5


def _one_copy(endpoint: str, prod: Product, reports: Path) -> dict[str, float]:
    """Preview, deploy, drift-check and delete one test copy; seconds per step."""
    text, template = render(prod)
    aws = Aws(Target(region=prod.region, endpoint_url=endpoint))
    poller, stack, got = Poller(local=True), prod.names.stack, {}
    t0 = time.perf_counter()
    cs, _preview = plan(aws, prod, text, template, poller)
    changeset.delete(aws.cfn, cs)
    t1 = time.perf_counter()
    deploy(aws, prod, text, template, opts=Options(force=True), out=io.StringIO(), reports_dir=reports)
    t2 = time.perf_counter()
    drift.check(aws, prod.name, stack)
    t3 = time.perf_counter()
    delete.delete(aws, stack, force=True, confirm=None, out=io.StringIO())
    t4 = time.perf_counter()
    got.update({"change set": t1 - t0, "deploy": t2 - t1, "drift": t3 - t2, "delete": t4 - t3})
    return got


def main() -> None:
    timings: dict[str, dict[str, list[float]]] = {t: {"change set": [], "deploy": [], "drift": [], "delete": []} for t in TIERS}
    reports = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
    with dummy_credentials():
        t0 = time.perf_counter()
        local = LocalAws()
        local.start()
        started = time.perf_counter() - t0
        try:
            clients = boto3_clients(local.endpoint)
            for name in TIERS.values():
                seed(load_product(PRODUCTS / f"{name}.yaml"), clients)
            for round_ in range(ROUNDS):
                for tier, name in TIERS.items():
                    prod = load_product(PRODUCTS / f"{name}.yaml").for_test(f"t{round_:02d}be{len(tier):02d}")
                    for step, seconds in _one_copy(local.endpoint, prod, reports).items():
                        timings[tier][step].append(seconds)
        finally:
            local.stop()
    print(f"embedded local AWS: started in {started * 1000:.0f} ms; {ROUNDS} rounds per tier (fresh test copies)")
    for tier, steps in timings.items():
        resources = len(render(load_product(PRODUCTS / f"{TIERS[tier]}.yaml"))[1]["Resources"])
        cells = "  ".join(f"{step} {statistics.median(v) * 1000:6.0f} ms" for step, v in steps.items())
        print(f"{tier:<13} {resources:>2} resources  median: {cells}")


if __name__ == "__main__":
    main()
