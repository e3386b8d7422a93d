"""``render [CONFIG...] [--check]``: write every product's committed renderings, or check they are current."""

from __future__ import annotations

import argparse
import sys

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.config.loader import load_product
from mlprov.errors import ExitCode
from mlprov.render import renderings


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 naming each committed rendering that is stale"
    )


def run(args: argparse.Namespace) -> int:
    paths = config_paths(args.configs)
    problems: list[str] = []
    written = 0
    for path in paths:
        expected = renderings.expected(load_product(path))
        if args.check:
            problems += [f"{p}: {why}; run 'mlprov render {path}' and commit the result" for p, why in renderings.stale(expected)]
        else:
            for p in renderings.write(expected):
                print(f"wrote {p}")
                written += 1
    if args.check:
        if problems:
            for line in problems:
                print(line, file=sys.stderr)
            print(f"{len(problems)} stale rendering(s)", file=sys.stderr)
            return int(ExitCode.FINDINGS)
        print(f"{len(paths)} product(s): every committed rendering is current")
        return int(ExitCode.OK)
    print(f"{len(paths)} product(s) rendered, {written} file(s) changed")
    return int(ExitCode.OK)


COMMAND = Command("render", "render every product (or check committed renderings with --check)", configure, run)
