"""Benchmark: fleet operations on the embedded local AWS, sequential (--jobs 1) vs parallel (--jobs 8).

For 24 and 100 generated products (copies of the starter and professional examples with their own app ids, in a
scratch repository), deployed once, then `mlprov check-drift --all` and `mlprov plan --all` through the CLI at
--jobs 1 and --jobs 8; and `mlprov gate --shard K/3` over the repository's own 24 products (shard sizes and
seconds; sizes for 100 and 1,000 names). Prints figures; not a test.

The local endpoint answers in milliseconds and is CPU-bound on this machine (2 shared cores, the moto server in
the same process), so the parallel gain here is a floor: on AWS a drift detection waits seconds to minutes per
stack, and --jobs overlaps the waits.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from pathlib import Path

import yaml
from mlprov import cli
from mlprov.aws.deploy import Options, deploy
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.fleet import shard
from mlprov.fleet.runner import run_many
from mlprov.local_aws import LocalAws, dummy_credentials
from mlprov.render.engine import render

REPO = Path(__file__).resolve().parents[1]
BASES = {"s": "startupco-dev-s002-us-east-1-fraud-detection-ml-s3", "a": "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"}
SIZES = (24, 100)
JOBS = 8


def generate(root: Path, count: int, first: int) -> list[str]:
    names = []
    for i in range(count):
        letter = "s" if i % 2 == 0 else "a"
        base = BASES[letter]
        old = base.split("-")[2]
        app_id = f"{letter}{first + i:03d}"
        data = yaml.safe_load((REPO / "products" / f"{base}.yaml").read_text())
        data["app_id"] = app_id
        path = root / "products" / f"{base.replace(old, app_id)}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        text, _template = render(load_product(path))
        path.with_suffix("").mkdir(exist_ok=True)
        (path.with_suffix("") / "template.yaml").write_text(text)
        names.append(path.stem)
    return names


def deploy_all(root: Path, names: list[str], endpoint: str) -> float:
    def one(name: str) -> tuple[int, None]:
        prod = load_product(root / "products" / f"{name}.yaml")
        text, template = render(prod)
        deploy(Aws(Target(region=prod.region, endpoint_url=endpoint)), prod, text, template, opts=Options(force=True),
               out=io.StringIO(), reports_dir=root / "reports")
        return 0, None

    t0 = time.perf_counter()
    failed = [o for o in run_many(names, one, JOBS) if o.exit_code]
    assert not failed, failed[:3]
    return time.perf_counter() - t0


def timed_cli(*argv: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(list(argv))
    return time.perf_counter() - t0, code


def fleet_figures(endpoint: str) -> None:
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix=f"bench-fleet-{size}-") as tmp:
            root = Path(tmp)
            (root / "products").mkdir()
            os.environ["MLPROV_ROOT"] = str(root)
            os.environ["MLPROV_REPORTS_DIR"] = str(root / "reports")
            names = generate(root, size, first=100 if size == 24 else 300)
            setup = deploy_all(root, names, endpoint)
            print(f"{size} products deployed (--jobs {JOBS}) in {setup:.1f} s")
            for action in ("check-drift", "plan"):
                seq, code1 = timed_cli(action, "--all", "--jobs", "1", "--endpoint-url", endpoint)
                par, code8 = timed_cli(action, "--all", "--jobs", str(JOBS), "--endpoint-url", endpoint)
                print(f"  {action:<11} {size:>3} products: --jobs 1 {seq:6.1f} s ({seq / size * 1000:4.0f} ms/product), "
                      f"--jobs {JOBS} {par:6.1f} s; ratio {seq / par:.2f}x (exit {code1}/{code8})")


def gate_figures() -> None:
    os.environ["MLPROV_ROOT"] = str(REPO)
    names = sorted(p.stem for p in (REPO / "products").glob("*.yaml"))
    for count in (24, 100, 1000):
        fake = names if count == 24 else [f"org-prod-a{i:04d}-us-east-1-use-case-ml-s3" for i in range(count)]
        sizes = [len(shard.select(fake, k, 3)) for k in (1, 2, 3)]
        print(f"gate --shard K/3 over {count:>4} products: shard sizes {sizes}")
    with tempfile.TemporaryDirectory(prefix="bench-gate-shards-") as tmp:
        os.environ["MLPROV_REPORTS_DIR"] = tmp
        whole = 0.0
        for k in (1, 2, 3):
            seconds, code = timed_cli("gate", "--shard", f"{k}/3", "--no-cache")
            whole = max(whole, seconds)
            print(f"  gate --shard {k}/3 (24 products, no cache): {seconds:5.1f} s, exit {code}")
        print(f"  wall time with 3 runners = slowest shard: {whole:.1f} s")


def main() -> None:
    with dummy_credentials():
        local = LocalAws()
        local.start()
        try:
            fleet_figures(local.endpoint)
        finally:
            local.stop()
    gate_figures()


if __name__ == "__main__":
    main()
