"""``make demo``: the main job on a fresh clone, end to end, printing where its reports are.

Steps that need parts not installed are reported as skipped with the reason, never silently dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from generator.cli import main as mlprov
from generator.paths import find_repo

DEMO_PRODUCT = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"


def _step(title: str, argv: list[str]) -> int:
    print(f"\n=== {title}: mlprov {' '.join(argv)}", flush=True)
    return mlprov(argv)


def run() -> int:
    repo = find_repo()
    reports = Path(os.environ.get("MLPROV_REPORTS_DIR", repo.reports_dir))
    steps: list[tuple[str, Callable[[], int]]] = [
        ("validate every product config", lambda: _step("validate", ["validate-config"])),
        ("committed renderings are current", lambda: _step("render check", ["render", "--check"])),
    ]
    steps.append(("least-privilege deployer policy", lambda: _step("policy", ["create-policy", DEMO_PRODUCT,
                                                                          "--out", str(reports / "demo" / "deployer-policy.json")])))
    steps.append(("resources of one product", lambda: _step("show", ["show-product", DEMO_PRODUCT])))
    for title, fn in steps:
        code = fn()
        if code != 0:
            print(f"\ndemo FAILED at: {title} (exit {code}); reports and logs: {reports}")
            return code
    print(f"\ndemo OK: {len(steps)} step(s). Reports and logs: {reports}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
