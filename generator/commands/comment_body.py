"""``comment-body plan|drift [--products P...] [--out FILE] [--summary FILE]``: the sticky PR comment or drift issue."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlprov.atomic import write_text
from mlprov.commands import Command
from mlprov.commands._aws_common import reports_dir
from mlprov.gitops.comment import drift_issue, plan_comment


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("plan", "drift"),
                        help="plan: the sticky PR comment from changes.json/review.json; drift: the drift issue from drift.json")
    parser.add_argument("--products", nargs="*", default=None,
                        help="only these products, names or one space-separated list (default: every report folder)")
    parser.add_argument("--out", type=Path, help="write the body here (default: print it)")
    parser.add_argument("--summary", type=Path,
                        help="also append the full, untruncated detail here (e.g. $GITHUB_STEP_SUMMARY)")


def run(args: argparse.Namespace) -> int:
    folder = reports_dir(args)
    products = None if args.products is None else [p for item in args.products for p in item.split()]
    if args.kind == "plan":
        body, full = plan_comment(folder, products), plan_comment(folder, products, full=True)
    else:
        body, _drifted = drift_issue(folder, products)
        full = drift_issue(folder, products, limit=10**9)[0]
    if args.out:
        write_text(args.out, body)
        print(f"wrote {args.out} ({len(body)} characters)")
    else:
        print(body, end="")
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as fh:
            fh.write(full + "\n")
    return 0


COMMAND = Command("comment-body", "the sticky pull-request comment (plan) or the drift issue body, from the reports",
                  configure, run)
