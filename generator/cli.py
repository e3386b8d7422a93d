"""The ``mlprov`` command line: parse, then dispatch to one action. No logic lives here.

Two forms are accepted::

    mlprov ACTION [CONFIG] [options]                 # subcommands
    mlprov -con CONFIG -act ACTION [--force] [...]   # the original product's form
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mlprov import __version__
from mlprov.boundary import run_guarded
from mlprov.commands import Command, load_command, load_commands
from mlprov.errors import ExitCode
from mlprov.paths import find_repo

_LEGACY_CONFIG = ("-con", "--config")
_LEGACY_ACTION = ("-act", "--action")


class UsageError(Exception):
    """argparse refused the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def translate_legacy(argv: Sequence[str]) -> list[str]:
    """Rewrite ``-con CONFIG -act ACTION rest`` into ``ACTION CONFIG rest``; other forms pass through."""
    args = list(argv)
    config = action = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        key, _, inline = a.partition("=")
        if key in _LEGACY_CONFIG + _LEGACY_ACTION:
            value = inline if inline else (args[i + 1] if i + 1 < len(args) else None)
            if value is None:
                raise UsageError(f"mlprov: {key} needs a value")
            if key in _LEGACY_CONFIG:
                config = value
            else:
                action = value
            i += 1 if inline else 2
            continue
        rest.append(a)
        i += 1
    if action is None and config is None:
        return args
    if action is None:
        raise UsageError("mlprov: -con was given without -act ACTION")
    return [action, *([config] if config is not None else []), *rest]


def action_of(argv: Sequence[str]) -> str | None:
    """The action word of a (translated) command line: the first argument that is not a global option."""
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a == "--reports-dir":
            skip = True
        elif not a.startswith("-"):
            return a
    return None


def build_parser(action: str | None = None) -> _Parser:
    """The parser; given a known ``action``, only that action's module is imported (fast start for hooks)."""
    parser = _Parser(
        prog="mlprov",
        description="Provision SageMaker MLOps infrastructure with CloudFormation, governed as code.",
        epilog="Exit codes: 0 ok, 1 findings/drift/refused, 2 bad input or usage, 3 AWS error, 4 bug.",
    )
    parser.add_argument("--version", action="version", version=f"mlprov {__version__}")
    parser.add_argument("--reports-dir", type=Path, help="where reports and logs go (default: ./reports)")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    one = load_command(action) if action else None
    commands: list[Command] = [one] if one else list(load_commands().values())
    for command in commands:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(p)
        p.set_defaults(_run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    try:
        words = translate_legacy(raw)
        args = build_parser(action_of(words)).parse_args(words)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        print("run 'mlprov --help' for the actions and their options", file=sys.stderr)
        return int(ExitCode.USAGE)
    if args.action is None:
        build_parser().print_help()
        return int(ExitCode.USAGE)
    repo = find_repo()
    reports = args.reports_dir or repo.reports_dir
    return run_guarded(args.action, lambda: int(args._run(args)), reports)
