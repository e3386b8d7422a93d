"""``gate [PATHS...]``: cfn-lint, cfn-guard (our pack + Control Tower), checkov and iam-escalation (every IAM document
of the deploy path, :mod:`mlprov.gates.escalation_tool`) over the products PATHS name.

PATHS may be configs, product names, templates or product folders; none gates every product. Prints a table
(or ``--format json|markdown|sarif``, ``--out FILE``) and always writes ``<reports>/gate/gate.{json,md,sarif}``.
``--shard K/N`` gates only shard K of N (stable by product name, :mod:`mlprov.fleet.shard`) so CI splits the
gate over N runners. Exit 0 clean, 1 findings or waiver problems, 2 bad input.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from mlprov.actionlog import LOGGER_NAME
from mlprov.atomic import write_text
from mlprov.commands import Command
from mlprov.errors import ExitCode
from mlprov.fleet import shard
from mlprov.fleet.cli import add_shard_option
from mlprov.gates.engine import GateOptions, gate_targets
from mlprov.gates.model import GateResult, Tool
from mlprov.gates.report import summary_line, to_json, to_markdown, to_text
from mlprov.gates.sarif import to_sarif
from mlprov.gates.targets import Target, resolve_targets
from mlprov.paths import Repo, find_repo

FORMATS = ("text", "json", "markdown", "sarif")


def add_gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help="what to print (default: a table)")
    parser.add_argument("--out", type=Path, help="write the chosen format to FILE instead of printing it")
    parser.add_argument("--no-cache", action="store_true", help="scan every template again (the cache is .cache/gate/)")
    parser.add_argument(
        "--tool", action="append", choices=[t.value for t in Tool], help="run only this tool (repeatable; default: all four)"
    )


def render(result: GateResult, fmt: str, root: Path) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "markdown":
        return to_markdown(result)
    if fmt == "sarif":
        return to_sarif(result, root)
    return to_text(result)


def write_reports(result: GateResult, reports_dir: Path, root: Path) -> Path:
    folder = reports_dir / "gate"
    write_text(folder / "gate.json", to_json(result))
    write_text(folder / "gate.md", to_markdown(result))
    write_text(folder / "gate.sarif", to_sarif(result, root))
    return folder


def gate_and_report(args: argparse.Namespace, repo: Repo, targets: list[Target]) -> int:
    tools = tuple(Tool(t) for t in args.tool) if args.tool else tuple(Tool)
    result = gate_targets(repo.root, targets, GateOptions(use_cache=not args.no_cache, tools=tools))
    reports_dir: Path = getattr(args, "reports_dir", None) or repo.reports_dir
    folder = write_reports(result, reports_dir, repo.root)
    log = logging.getLogger(LOGGER_NAME)
    log.info("%s", summary_line(result))
    for line in result.waiver_problems + result.warnings:
        log.warning("%s", line)
    text = render(result, args.format, repo.root)
    if args.out:
        write_text(args.out, text)
        print(to_text(result), end="")
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    if args.format == "text" or args.out:
        print(f"reports: {folder}/gate.{{json,md,sarif}}")
    return int(ExitCode.OK if result.clean else ExitCode.FINDINGS)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", metavar="PATH", nargs="*", help="configs, product names, templates or product folders (default: every product)"
    )
    add_gate_options(parser)
    add_shard_option(parser)


def run(args: argparse.Namespace) -> int:
    repo = find_repo()
    targets = resolve_targets(repo, args.paths)
    if args.shard:
        k, n = shard.parse(args.shard)
        mine = set(shard.select([t.product for t in targets], k, n))
        targets = [t for t in targets if t.product in mine]
        print(f"shard {k}/{n}: {len(targets)} product(s)")
        if not targets:
            print("nothing to gate in this shard")
            return int(ExitCode.OK)
    return gate_and_report(args, repo, targets)


COMMAND = Command(
    "gate", "cfn-lint + cfn-guard (our pack + Control Tower) + checkov + iam-escalation over products, with waivers", configure, run
)
