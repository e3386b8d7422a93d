"""The registry of command-line actions. Each action lives in its own module and exposes ``COMMAND``.

The CLI only parses and dispatches; an action is one typed function ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    """One action of the command line."""

    name: str
    help: str
    configure: Configure
    run: Run


# Module names under generator.commands, in the order `mlprov --help` lists them.
MODULES: tuple[str, ...] = (
    "list_products",
    "show_product",
    "validate_config",
    "create_policy",
    "create_template",
    "render",
    "validate_template",
    "gate",
    "review_report",
    "show_changes",
    "deploy_product",
    "test_deploy",
    "check_drift",
    "delete_product",
    "changed_products",
    "comment_body",
    "local_aws",
)


class DuplicateCommandError(ValueError):
    """Two modules registered the same action name."""


def load_commands(modules: tuple[str, ...] = MODULES) -> dict[str, Command]:
    """Import each action module and index its ``COMMAND`` by name, refusing duplicates."""
    registry: dict[str, Command] = {}
    for mod_name in modules:
        module = importlib.import_module(f"{__name__}.{mod_name}")
        command: Command = module.COMMAND
        if command.name in registry:
            raise DuplicateCommandError(f"action {command.name!r} is registered twice")
        registry[command.name] = command
    return registry
