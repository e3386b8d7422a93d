"""``render [CONFIG...] [--check] [--jobs N] [--no-cache]``: write every product's committed renderings, or check
they are current.

Unchanged products are skipped through a content-hash cache (:mod:`mlprov.render.cache`: config bytes, generator
code and data versions); the others render in ``--jobs`` worker processes (:mod:`mlprov.render.parallel`).
"""

from __future__ import annotations

import argparse
import sys

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.errors import ExitCode, UserError
from mlprov.paths import find_repo
from mlprov.render import renderings
from mlprov.render.cache import RenderCache
from mlprov.render.parallel import default_jobs, expected_many


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 naming each committed rendering that is stale"
    )
    parser.add_argument("--jobs", "-j", type=int, default=default_jobs(),
                        help="worker processes for the products that must be rendered (default: the CPUs, at most 8)")
    parser.add_argument("--no-cache", action="store_true",
                        help="render every product (ignore and do not update the render cache)")


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.jobs <= 64:
        raise UserError(f"--jobs {args.jobs}: expected 1 to 64", hint="the number of CPUs is a good value")
    paths = config_paths(args.configs)
    cache = RenderCache(find_repo().root, enabled=not args.no_cache)
    todo = [p for p in paths if not cache.hit(p)]
    problems: list[str] = []
    written = 0
    for path, expected in zip(todo, expected_many(todo, args.jobs), strict=True):
        cache.record(path, expected)
        if args.check:
            problems += [f"{p}: {why}; run 'mlprov render {path}' and commit the result" for p, why in renderings.stale(expected)]
        else:
            for p in renderings.write(expected):
                print(f"wrote {p}")
                written += 1
    cache.save()
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
