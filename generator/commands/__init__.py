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


# Action name -> module under mlprov.commands, in the order `mlprov --help` lists them. The CLI imports only
# the module of the action it runs (start-up time matters to hooks); `load_commands` checks every entry.
ACTIONS: tuple[tuple[str, str], ...] = (
    ("list-products", "list_products"),
    ("show-product", "show_product"),
    ("validate-config", "validate_config"),
    ("create-policy", "create_policy"),
    ("bootstrap", "bootstrap"),
    ("create-prov-template", "create_template"),
    ("render", "render"),
    ("validate-prov-template", "validate_template"),
    ("check-network", "check_network"),
    ("gate", "gate"),
    ("create-review-report", "review_report"),
    ("forecast", "forecast"),
    ("show-changes", "show_changes"),
    ("plan", "plan"),
    ("deploy-product", "deploy_product"),
    ("test-deploy", "test_deploy"),
    ("check-drift", "check_drift"),
    ("delete-product", "delete_product"),
    ("changed-products", "changed_products"),
    ("matrix", "matrix"),
    ("comment-body", "comment_body"),
    ("local-aws", "local_aws"),
    ("export-seeds", "export_seeds"),
)
MODULES: tuple[str, ...] = tuple(module for _action, module in ACTIONS)


class DuplicateCommandError(ValueError):
    """Two modules registered the same action name."""


def _import(mod_name: str) -> Command:
    command: Command = importlib.import_module(f"{__name__}.{mod_name}").COMMAND
    return command


def load_commands(modules: tuple[str, ...] = MODULES) -> dict[str, Command]:
    """Import each action module and index its ``COMMAND`` by name, refusing duplicates and entries of ``ACTIONS``
    whose module names another action."""
    registry: dict[str, Command] = {}
    declared = dict((module, action) for action, module in ACTIONS)
    for mod_name in modules:
        command = _import(mod_name)
        if command.name in registry:
            raise DuplicateCommandError(f"action {command.name!r} is registered twice")
        if mod_name in declared and declared[mod_name] != command.name:
            raise DuplicateCommandError(
                f"ACTIONS maps {declared[mod_name]!r} to module {mod_name!r}, whose action is {command.name!r}")
        registry[command.name] = command
    return registry


def load_command(action: str) -> Command | None:
    """The one action's command, importing only its module; None for an action not in ``ACTIONS``."""
    names = [a for a, _m in ACTIONS]
    if len(set(names)) != len(names):
        dup = next(a for a in names if names.count(a) > 1)
        raise DuplicateCommandError(f"action {dup!r} is registered twice")
    module = dict(ACTIONS).get(action)
    if module is None:
        return None
    command = _import(module)
    if command.name != action:
        raise DuplicateCommandError(f"ACTIONS maps {action!r} to module {module!r}, whose action is {command.name!r}")
    return command
