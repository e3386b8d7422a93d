"""``create-policy CONFIG [--json] [--out DIR]``: every principal of the product's deploy path with its policies.

``--json`` prints the machine-readable contract (``mlprov.access.principals``); otherwise the access files are
written (default ``products/<name>/access/``) and each principal's size is printed against IAM's limits.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mlprov.access.files import access_files
from mlprov.access.principals import MANAGED_POLICY_LIMIT, MAX_POLICIES, contract, iam_size
from mlprov.access.trust import settings_from
from mlprov.atomic import write_text
from mlprov.commands import Command
from mlprov.commands._common import add_config_argument, product
from mlprov.paths import product_dir
from mlprov.render.engine import render


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("trust of the account roles")
    group.add_argument("--github-repository", metavar="OWNER/NAME",
                       help="GitHub repository whose workflows may assume the roles (default: $GITHUB_REPOSITORY)")
    group.add_argument("--environment", action="append", metavar="NAME",
                       help="GitHub environment of deploy jobs (repeatable; default: production-approval)")
    group.add_argument("--codebuild-role-arn", metavar="ARN", help="the CI CodeBuild project's service role")


def configure(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--json", action="store_true", help="print every principal with its policies as one JSON object")
    parser.add_argument("--out", type=Path, metavar="DIR", help="write the access files here instead of products/<name>/access/")
    add_trust_options(parser)


def run(args: argparse.Namespace) -> int:
    prod = product(args.config)
    _text, template = render(prod)
    if args.json:
        settings = settings_from(args.github_repository, args.environment, args.codebuild_role_arn)
        print(json.dumps(contract(prod, template, settings), indent=2))
        return 0
    folder = args.out.parent if args.out else product_dir(prod.path)
    files = access_files(prod, template, folder)
    if args.out:
        files = [(args.out / path.name, text) for path, text in files]
    for path, text in files:
        write_text(path, text)
        principal = json.loads(text)
        sizes = [iam_size(doc) for doc in principal["policies"]]
        print(f"{path}: {principal['kind']} {principal['name']}: {len(sizes)} of {MAX_POLICIES} managed policies, "
              f"{', '.join(str(s) for s in sizes)} of {MANAGED_POLICY_LIMIT} characters each")
    return 0


COMMAND = Command("create-policy", "write (or print with --json) every deploy-path principal's IAM policies", configure, run)
