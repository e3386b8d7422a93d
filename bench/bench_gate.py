"""Benchmark: gate time for 1, 10 and 100 products, cold and after editing one, beside the naive way.

For each size a scratch repository gets that many products (the 24 shipped ones copied under new app ids, so
every template's bytes differ) and the real tools. Figures, per size:

- tool batch: each tool alone, ONE process over all templates (the command the gate issues), wall seconds;
- gate cold: ``mlprov gate`` as a process with an empty findings cache (tool versions stay remembered);
- gate warm: again, nothing changed (everything from the cache);
- gate edit-1: after appending a comment to one template (only it is rescanned);
- slowest single: the slowest tool alone on that one edited template;
- naive: one call of each tool per template, one after the other (estimated from a sample at large sizes).

Goals: cold <= 0.6 x (sum of the four tool batch times); edit-1 <= 1.1 x slowest single.
Prints a table; not a test. ``--sizes 1,10`` and ``--quick`` (sizes 1,10, naive sample 3) shorten it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlprov.gates.engine import cache_dir, make_runners
from mlprov.gates.model import Tool
from mlprov.gates.targets import resolve_targets
from mlprov.gates.toolbase import run_batch
from mlprov.paths import Repo

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted((REPO / "products").glob("*.yaml"))
APP_ID = re.compile(r"^([a-z0-9]+-[a-z]+-)([a-z0-9]+)(-)")


def make_repo(root: Path, count: int) -> Repo:
    """``count`` products: shipped configs and templates renamed to a new app id each (``n000``, ``n001``...)."""
    (root / "products").mkdir(parents=True)
    for i in range(count):
        config = SHIPPED[i % len(SHIPPED)]
        match = APP_ID.match(config.stem)
        assert match, config.stem
        old_id, new_id = match.group(2), f"n{i:03d}"
        name = APP_ID.sub(rf"\g<1>{new_id}\g<3>", config.stem, count=1)
        text = config.read_text().replace(f"-{old_id}-", f"-{new_id}-").replace(f"app_id: {old_id}", f"app_id: {new_id}")
        (root / "products" / f"{name}.yaml").write_text(text)
        template = (config.with_suffix("") / "template.yaml").read_text().replace(f"-{old_id}-", f"-{new_id}-")
        (root / "products" / name).mkdir()
        (root / "products" / name / "template.yaml").write_text(template)
    shutil.copytree(REPO / "rules", root / "rules")
    shutil.copy(REPO / "waivers.yaml", root / "waivers.yaml")
    for tool in ("node_modules", ".tools"):
        (root / tool).symlink_to(REPO / tool)
    return Repo(root)


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, tools included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def gate_process(repo: Repo) -> float:
    """Wall seconds of ``mlprov gate`` (all products) as its own process."""
    env = dict(os.environ, MLPROV_ROOT=str(repo.root), MLPROV_REPORTS_DIR=str(repo.root / "reports"))
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mlprov", "gate", "--format", "json", "--out", os.devnull],
        env=env, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gate failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed


def clear_findings_cache(repo: Repo) -> None:
    for tool in Tool:
        shutil.rmtree(cache_dir(repo.root) / tool.value, ignore_errors=True)


def measure(count: int, naive_sample: int, workdir: Path) -> dict[str, float | str]:
    repo = make_repo(workdir / f"repo-{count}", count)
    targets = resolve_targets(repo, [])
    runners = make_runners(repo.root, tuple(Tool))
    cpu0 = children_cpu()
    batch = {r.tool.value: run_batch(r, targets).seconds for r in runners}
    cpu1 = children_cpu()
    clear_findings_cache(repo)
    cold = gate_process(repo)
    cpu2 = children_cpu()
    warm = gate_process(repo)
    edited = targets[len(targets) // 2]
    edited.template.write_text(edited.template.read_text() + "# edited\n")
    edit = gate_process(repo)
    (one,) = resolve_targets(repo, [edited.product])
    single = {r.tool.value: run_batch(r, [one]).seconds for r in runners}
    sample = targets[: min(naive_sample, len(targets))]
    naive_sampled = sum(run_batch(r, [t]).seconds for t in sample for r in runners)
    naive = naive_sampled * len(targets) / len(sample)
    return {
        "products": count,
        "lint": batch["cfn-lint"],
        "guard": batch["cfn-guard"],
        "checkov": batch["checkov"],
        "sum": sum(batch.values()),
        "cold": cold,
        "cpu_tools": cpu1 - cpu0,
        "cpu_cold": cpu2 - cpu1,
        "warm": warm,
        "edit": edit,
        "single": max(single.values()),
        "single_tool": max(single, key=lambda k: single[k]),
        "naive": naive,
        "naive_note": "" if len(sample) == len(targets) else f" (est. from {len(sample)})",
    }


def table(rows: list[dict[str, float | str]]) -> str:
    head = (f"{'products':>8} | {'cfn-lint':>8} {'guard':>7} {'checkov':>8} {'sum':>7} | {'cold':>7} {'cold/sum':>8} | "
            f"{'cpu tools':>9} {'cpu cold':>8} | {'warm':>6} | {'edit-1':>6} {'slowest 1':>17} {'edit/slow':>9} | {'naive':>8}")
    lines = [head, "-" * len(head)]
    for r in rows:
        cold_ratio = float(r["cold"]) / float(r["sum"])
        edit_ratio = float(r["edit"]) / float(r["single"])
        slowest = f"{r['single']:.1f} {r['single_tool']}"
        lines.append(
            f"{r['products']:>8} | {r['lint']:>8.1f} {r['guard']:>7.1f} {r['checkov']:>8.1f} {r['sum']:>7.1f} | "
            f"{r['cold']:>7.1f} {cold_ratio:>8.2f} | {r['cpu_tools']:>9.1f} {r['cpu_cold']:>8.1f} | "
            f"{r['warm']:>6.1f} | {r['edit']:>6.1f} {slowest:>17} {edit_ratio:>9.2f} | "
            f"{r['naive']:>8.1f}{r['naive_note']}"
        )
    lines.append("seconds, wall clock. goals: cold/sum <= 0.60, edit/slow <= 1.10 (edit-1 = gate after editing one template)")
    lines.append("cpu tools = CPU seconds of the four tool batches run one after the other; cpu cold = CPU seconds of the cold gate")
    lines.append(f"(tools included): equal work means the wall-clock gain is parallelism. Load average now {os.getloadavg()[0]:.2f}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated product counts (default 1,10,100)")
    parser.add_argument("--naive-sample", type=int, default=10, help="templates timed the naive way per size (then scaled)")
    parser.add_argument("--quick", action="store_true", help="sizes 1,10 and a naive sample of 3")
    args = parser.parse_args(argv)
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",")]
    sample = 3 if args.quick else args.naive_sample
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; sizes {sizes}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mlprov-bench-gate-") as tmp:
        for count in sizes:
            rows.append(measure(count, sample, Path(tmp)))
            print(f"  {count} product(s) done", flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
