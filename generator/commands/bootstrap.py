"""``bootstrap [CONFIG...] [--check] [--deploy]``: render (or deploy) the deploy path's bootstrap stacks.

Writes, for the given products (default: every product), ``bootstrap/<account>-<region>/template.yaml`` (template
bucket), ``bootstrap/<account>/service-roles/<stack>/template.yaml`` (each product's CloudFormation service role) and
``bootstrap/<account>/template.yaml`` (the deploy/plan/drift roles, always of **every** product of the repository in
that account). The account roles' trust is recorded in the account template and kept on re-render unless a trust
option is given (so ``$GITHUB_REPOSITORY`` in CI does not make ``--check`` fail). Over every product (no CONFIG), ``--check`` also
names committed bootstrap templates no product renders any more, and a render removes them. ``--deploy``: create and
execute a change set for each stack in that order, with the caller's (an administrator's) credentials and
``CAPABILITY_NAMED_IAM`` (:mod:`mlprov.access.deploybootstrap`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from mlprov.access.bootstrap import BootstrapStack, recorded_trust, stacks
from mlprov.access.trust import TrustSettings, settings_from
from mlprov.atomic import cannot_write, write_text
from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.commands.create_policy import add_trust_options
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.deploypath import account_stack_name, region_stack_name, service_role_stack_name
from mlprov.errors import ExitCode, UserError
from mlprov.paths import find_repo
from mlprov.render.engine import render


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each stale bootstrap template")
    parser.add_argument("--deploy", action="store_true", help="deploy each rendered stack through a change set")
    add_trust_options(parser)
    group = parser.add_argument_group("AWS (with --deploy)")
    group.add_argument("--endpoint-url", help="send every AWS call here (default: $AWS_ENDPOINT_URL)")
    group.add_argument("--profile", help="AWS named profile of the administrator")


def _with_account_peers(selected: list[Product]) -> list[Product]:
    """The selected products plus every other product of the repository in their accounts: an account stack always
    holds all of its account's products (rendering it from a few would drop the others' permissions)."""
    accounts = {p.account_id for p in selected}
    seen = {p.path.resolve() for p in selected}
    peers = [load_product(path) for path in find_repo().config_paths() if path.resolve() not in seen]
    return [*selected, *(p for p in peers if p.account_id in accounts)]


def _selected(rendered: list[BootstrapStack], selected: list[Product]) -> list[BootstrapStack]:
    """The stacks of the selected products: their regions' bucket stacks, their service-role stacks, their accounts'."""
    wanted = {service_role_stack_name(p.names.stack) for p in selected}
    wanted |= {region_stack_name(p.account_id, p.region) for p in selected}
    wanted |= {account_stack_name(p.account_id) for p in selected}
    return [stack for stack in rendered if stack.name in wanted]


def _committed_trust(root: Path, accounts: set[str]) -> dict[str, TrustSettings]:
    """The trust each committed account template records: kept unless a trust option is given (so $GITHUB_REPOSITORY
    in a CI job does not make the committed rendering stale)."""
    out: dict[str, TrustSettings] = {}
    for account in sorted(accounts):
        path = root / account / "template.yaml"
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise UserError(f"{path}: not valid YAML ({exc.__class__.__name__})",
                                hint="re-render it: mlprov bootstrap --github-repository OWNER/NAME") from exc
            trust = recorded_trust(data) if isinstance(data, dict) else None
            if trust:
                out[account] = trust
    return out


def _orphans(root: Path, rendered: list[BootstrapStack]) -> list[Path]:
    """Committed bootstrap templates that no product renders any more."""
    wanted = {root / stack.folder / "template.yaml" for stack in rendered}
    return sorted(p for p in root.glob("**/template.yaml") if p not in wanted)


def _remove(path: Path, root: Path) -> None:
    """Delete an orphaned template and the folders it leaves empty (up to ``bootstrap/``)."""
    try:
        path.unlink()
        folder = path.parent
        while folder != root and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def run(args: argparse.Namespace) -> int:
    selected = [load_product(p) for p in config_paths(args.configs)]
    products = _with_account_peers(selected) if args.configs else selected
    settings = settings_from(args.github_repository, args.environment, args.codebuild_role_arn)
    root = find_repo().root / "bootstrap"
    explicit = bool(args.github_repository or args.environment or args.codebuild_role_arn)
    kept = {} if explicit else _committed_trust(root, {p.account_id for p in products})
    rendered = _selected(stacks([(p, render(p)[1]) for p in products], settings, kept), selected)
    orphans = [] if args.configs else _orphans(root, rendered)
    stale = []
    for stack in rendered:
        path = root / stack.folder / "template.yaml"
        text = stack.text()
        current = path.is_file() and path.read_text(encoding="utf-8") == text
        if args.check:
            if not current:
                stale.append(f"{path}: {'missing' if not path.is_file() else 'out of date'}; run 'mlprov bootstrap' and commit it")
        elif not current:
            write_text(path, text)
            print(f"wrote {path}")
    for path in orphans:
        if args.check:
            stale.append(f"{path}: no product renders it; run 'mlprov bootstrap' (it removes it) and commit")
        else:
            _remove(path, root)
            print(f"removed {path}")
    if stale:
        for line in stale:
            print(line, file=sys.stderr)
        return int(ExitCode.FINDINGS)
    if args.check:
        print(f"{len(rendered)} bootstrap template(s) current")
        return 0
    if args.deploy:
        from mlprov.access.deploybootstrap import deploy_all  # noqa: PLC0415

        endpoint = args.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        return deploy_all(rendered, endpoint, args.profile, sys.stdout)
    return 0


COMMAND = Command("bootstrap", "render (or --deploy) the account roles, service roles and template bucket", configure, run)
