"""``render [CONFIG...] [--check] [--jobs N] [--no-cache]``: write every product's committed renderings, or check
they are current.

Unchanged products are skipped through a content-hash cache (:mod:`mlprov.render.cache`: config bytes, generator
code and data versions); the others render in ``--jobs`` worker processes (:mod:`mlprov.render.parallel`), which
also compare, stage the changed files and compute the cache entries; this process renames the staged files in the
configs' order once every config rendered (:mod:`mlprov.render.outcome`), prints, and saves the cache.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.errors import ExitCode, UserError
from mlprov.paths import find_repo
from mlprov.render.cache import RenderCache, generator_digest
from mlprov.render.outcome import commit_all
from mlprov.render.parallel import default_jobs, outcomes


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
    if cache.enabled and todo:
        generator_digest()  # once, here: the forked workers inherit it
    results = outcomes(todo, args.jobs, check=args.check, record=cache.enabled)
    for outcome in results:
        cache.put(outcome.config, outcome.entry)
    if args.check:
        problems = [f"{p}: {why}; run 'mlprov render {o.config}' and commit the result" for o in results for p, why in o.stale]
        cache.save()
        if problems:
            for line in problems:
                print(line, file=sys.stderr)
            print(f"{len(problems)} stale rendering(s)", file=sys.stderr)
            return int(ExitCode.FINDINGS)
        print(f"{len(paths)} product(s): every committed rendering is current")
        return int(ExitCode.OK)
    written: list[Path] = []

    def report(path: Path) -> None:
        print(f"wrote {path}")
        written.append(path)

    commit_all(results, report)
    cache.save()
    print(f"{len(paths)} product(s) rendered, {len(written)} file(s) changed")
    return int(ExitCode.OK)


COMMAND = Command("render", "render every product (or check committed renderings with --check)", configure, run)
