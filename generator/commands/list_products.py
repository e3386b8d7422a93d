"""``list-products``: the tiers and variants available, and the configs in the repository."""

from __future__ import annotations

import argparse

from mlprov.commands import Command
from mlprov.config.filename import GRAMMAR
from mlprov.config.loader import _read, validate_data
from mlprov.config.model import Variant
from mlprov.errors import MlprovError
from mlprov.paths import find_repo
from mlprov.render.inventory import COUNT_RANGES, MAX_ADDITIONS, resources

TIER_SUMMARY = {
    "starter": "sandbox / proof of concept, default VPC",
    "professional": "team development, default VPC, S3 artifacts, EventBridge, dashboard, generated IAM",
    "enterprise": "production in an existing VPC: KMS, VPC endpoints, compliance logs, alarms, permission boundary",
}


def configure(parser: argparse.ArgumentParser) -> None:
    del parser


def _variants() -> list[Variant]:
    out = []
    for tier in TIER_SUMMARY:
        for source in ("codecommit", "s3"):
            if tier != "enterprise":
                out.append(Variant(tier, source))
                continue
            for sg in ("standalone", "existing"):
                for vpc in ("direct", "ssm"):
                    out.append(Variant(tier, source, vpc, sg))
            # network.endpoints: existing: the VPC's own endpoints, none in the stack (docs/networking.md)
            out += [Variant(tier, source, "direct", sg, endpoints="existing") for sg in ("standalone", "existing")]
        # source.type: connection (docs/sources.md): not in SPEC's table; one line per tier, and per sg mode
        if tier == "enterprise":
            out += [Variant(tier, "connection", "direct", sg) for sg in ("standalone", "existing")]
        else:
            out.append(Variant(tier, "connection"))
    return out


def run(args: argparse.Namespace) -> int:
    del args
    print("Tiers:")
    for tier, summary in TIER_SUMMARY.items():
        print(f"  {tier:<13} {summary}")
    print(f"\nVariants (resources per stack; SPEC baseline, which a stack may exceed by {MAX_ADDITIONS}):")
    for v in _variants():
        low, high = COUNT_RANGES[(v.tier, v.source)]
        spec = str(low) if low == high else f"{low}-{high}"
        print(f"  {v.label:<50} {len(resources(v)):>3}  ({spec} + {sum(1 for r in resources(v) if r.addition)})")
    print(f"\nA config's file name encodes its variant: {GRAMMAR}")
    print("(-wl-{workload} is the optional workload discriminator)")
    repo = find_repo()
    configs = repo.config_paths()
    print(f"\nConfigs in {repo.products_dir} ({len(configs)}):")
    for path in configs:
        try:
            problems = validate_data(path, _read(path))
        except MlprovError as exc:
            problems = exc.lines()
        if problems:
            status = f"INVALID ({len(problems)} problem(s); run validate-config)"
        else:
            data = _read(path)
            status = data["tier"]
        print(f"  {path.name:<95} {status}")
    return 0


COMMAND = Command("list-products", "list the tiers, variants and the configs in the repo", configure, run)
