"""``make demo``: the main job on a fresh clone, end to end, printing where its reports are.

Steps that need parts not installed are reported as skipped with the reason, never silently dropped.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path

from generator.cli import main as mlprov
from generator.paths import find_repo


def _step(title: str, argv: list[str]) -> int:
    print(f"\n=== {title}: mlprov {' '.join(argv)}", flush=True)
    return mlprov(argv)


def _lifecycle(reports: Path) -> int:
    from generator.local_aws.server import LocalAws  # noqa: PLC0415

    product = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
    with LocalAws() as aws:
        os.environ["AWS_ENDPOINT_URL"] = aws.endpoint_url
        ep = ["--endpoint-url", aws.endpoint_url]
        for title, argv in (
            ("change-set preview (create)", ["show-changes", product, *ep]),
            ("deploy through a change set", ["deploy-product", product, "--force", *ep]),
            ("drift report", ["check-drift", product, *ep]),
            ("delete", ["delete-product", product, "--force", *ep]),
        ):
            code = _step(title, argv)
            if code not in (0,):
                print(f"demo: step '{title}' exited {code}", file=sys.stderr)
                return code
    return 0


def run() -> int:
    repo = find_repo()
    reports = Path(os.environ.get("MLPROV_REPORTS_DIR", repo.reports_dir))
    steps: list[tuple[str, Callable[[], int]]] = [
        ("validate every product config", lambda: _step("validate", ["validate-config"])),
        ("committed renderings are current", lambda: _step("render check", ["render", "--check"])),
    ]
    if importlib.util.find_spec("generator.gates") and importlib.util.find_spec("generator.commands.gate"):
        steps.append(("policy gates", lambda: _step("gate", ["gate"])))
    if importlib.util.find_spec("generator.local_aws") and importlib.util.find_spec("generator.aws"):
        steps.append(("lifecycle on the embedded local AWS", lambda: _lifecycle(reports)))
    for title, fn in steps:
        code = fn()
        if code != 0:
            print(f"\ndemo FAILED at: {title} (exit {code}); reports and logs: {reports}")
            return code
    print(f"\ndemo OK: {len(steps)} step(s). Reports and logs: {reports}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
