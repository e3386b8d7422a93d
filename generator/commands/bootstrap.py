"""``bootstrap [CONFIG...] [--check] [--deploy]``: render (or deploy) the deploy path's account stacks.

Writes ``bootstrap/<account>/template.yaml`` (service roles, deploy/plan/drift roles) and
``bootstrap/<account>-<region>/template.yaml`` (template bucket) for the given products (default: every
product). ``--deploy``: create and execute a change set for each stack, with the caller's (an administrator's)
credentials and ``CAPABILITY_NAMED_IAM``; the account stack needs no service role (it creates them).
"""

from __future__ import annotations

import argparse
import sys

from mlprov.access.bootstrap import BootstrapStack, stacks
from mlprov.access.trust import settings_from
from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.commands.create_policy import add_trust_options
from mlprov.config.loader import load_product
from mlprov.errors import ExitCode
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


def _deploy(stack: BootstrapStack, args: argparse.Namespace) -> int:
    import os  # noqa: PLC0415

    from mlprov.access.deploybootstrap import deploy_stack  # noqa: PLC0415
    from mlprov.aws.session import Aws, Target  # noqa: PLC0415

    endpoint = args.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    aws = Aws(Target(region=stack.region, endpoint_url=endpoint, profile=args.profile))
    return deploy_stack(aws, stack, sys.stdout)


def run(args: argparse.Namespace) -> int:
    products = [load_product(p) for p in config_paths(args.configs)]
    settings = settings_from(args.github_repository, args.environment, args.codebuild_role_arn)
    rendered = stacks([(p, render(p)[1]) for p in products], settings)
    root = find_repo().root / "bootstrap"
    stale = []
    for stack in rendered:
        path = root / stack.folder / "template.yaml"
        text = stack.text()
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(f"{path}: {'missing' if not path.is_file() else 'out of date'}; run 'mlprov bootstrap' and commit it")
            continue
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        for line in stale:
            print(line, file=sys.stderr)
        return int(ExitCode.FINDINGS)
    if args.check:
        print(f"{len(rendered)} bootstrap template(s) current")
        return 0
    if args.deploy:
        for stack in rendered:
            code = _deploy(stack, args)
            if code:
                return code
    return 0


COMMAND = Command("bootstrap", "render (or --deploy) the account roles, service roles and template bucket", configure, run)
