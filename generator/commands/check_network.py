"""``check-network [CONFIG...]``: prove offline that every enterprise build reaches S3, Logs, KMS and STS.

Renders each enterprise config and follows its CodeBuild projects' security groups to the endpoints
(:mod:`mlprov.network.reachability`). Prints one line per project and service with the path found; exit 1 when
any required service is unreachable. Other tiers run outside any VPC and are skipped.
"""

from __future__ import annotations

import argparse

from mlprov.commands import Command
from mlprov.commands._common import add_configs_argument, config_paths
from mlprov.config.loader import load_product
from mlprov.errors import FindingsError, UserError
from mlprov.network.reachability import paths, unreachable
from mlprov.render.engine import render


def configure(parser: argparse.ArgumentParser) -> None:
    add_configs_argument(parser)


def run(args: argparse.Namespace) -> int:
    configs = config_paths(args.configs)
    if not configs:
        raise UserError("no product configs found under products/", hint="add one, e.g. copy an example")
    problems: list[str] = []
    checked = 0
    for path in configs:
        product = load_product(path)
        if product.tier != "enterprise":
            continue
        checked += 1
        template = render(product)[1]
        cidr = product.network.get("ingress_cidr")
        for project, services in paths(template, cidr).items():
            for service, how in services.items():
                print(f"{product.name}: {project} -> {service}: {how or 'UNREACHABLE'}")
        problems += [f"{path}: {line}" for line in unreachable(template, cidr)]
    if problems:
        for line in problems:
            print(line)
        raise FindingsError(f"{len(problems)} unreachable service(s) in {checked} enterprise product(s)",
                            hint="fix the security-group rules or endpoints named above (docs/networking.md)")
    if not checked:
        print("no enterprise product among the configs: nothing runs in a VPC")
        return 0
    print(f"network reachable: {checked} enterprise product(s), every build reaches s3, logs, kms and sts")
    return 0


COMMAND = Command("check-network", "prove offline that every enterprise build reaches S3, Logs, KMS and STS",
                  configure, run)
