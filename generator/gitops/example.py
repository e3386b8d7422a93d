"""``python -m mlprov.gitops.example [--out docs/pr-comment-example.md]``: the sticky PR comment of a real run.

On the embedded local AWS, in a scratch copy of three example products: deploy them, edit two configs as a pull
request would, run what the PR workflow runs (``show-changes --review`` per changed product, then
``comment-body plan``) and write the comment, with a note on how it was produced.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from mlprov.atomic import write_text
from mlprov.cli import main as mlprov
from mlprov.environ import scoped_environ
from mlprov.errors import MlprovError

PRODUCTS: dict[str, dict[str, Any] | None] = {  # product -> the pull request's edit of its config (None: untouched)
    "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit": {"log_retention_days": 731},
    "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit": {"tags": {"project": "fraud-poc", "stage": "second-iteration"}},
    "techcorp-prod-a002-us-west-2-customer-churn-ml-s3": None,
}
PREFACE = """# Example: the sticky pull-request comment

This is the comment the pull-request workflow (`.github/workflows/pull-request.yml`) posts, and updates in place,
on a pull request. It was produced by a real run on the embedded local AWS:

    python -m mlprov.gitops.example --out docs/pr-comment-example.md

which copies three example products into a scratch repository, deploys them, edits two of the configs as a pull
request would ({edits}), then runs what the workflow runs: `mlprov show-changes CONFIG --review` per product (the change set is created
and kept, named by its identity; the third, untouched product shows "no changes") and `mlprov comment-body plan`. The hashes
and times differ on every run. Everything below the line is the comment's body, verbatim.

---

"""


def _run(*argv: str) -> None:
    code = mlprov(list(argv))
    if code != 0:
        raise MlprovError(f"mlprov {' '.join(argv)} exited {code}")


def _edit(config: Path, edit: dict[str, Any]) -> None:
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.update(edit)
    write_text(config, yaml.safe_dump(data, sort_keys=False))


def produce(source_repo: Path, scratch: Path) -> str:
    """The comment body of a real run on the local endpoint, in ``scratch``."""
    (scratch / "products").mkdir(parents=True)
    for name in PRODUCTS:  # the config and its committed renderings
        shutil.copy(source_repo / "products" / f"{name}.yaml", scratch / "products")
        shutil.copytree(source_repo / "products" / name, scratch / "products" / name)
    with scoped_environ({"MLPROV_ROOT": str(scratch), "MLPROV_REPORTS_DIR": str(scratch / "reports")},
                        remove=("AWS_ENDPOINT_URL",)):
        return _previews(scratch)


def _previews(scratch: Path) -> str:
    from mlprov.config.loader import load_product  # noqa: PLC0415
    from mlprov.local_aws import LocalAws, dummy_credentials  # noqa: PLC0415 - only for this run
    from mlprov.local_aws.fixtures import boto3_clients, seed_buckets  # noqa: PLC0415

    with dummy_credentials(), LocalAws(strict=True) as aws:
        ep = ["--endpoint-url", aws.endpoint]
        for name in PRODUCTS:  # the buckets a config names but its stack does not create (the forecast checks them)
            seed_buckets(load_product(scratch / "products" / f"{name}.yaml"), boto3_clients(aws.endpoint))
            # the state the pull request starts from, not what it shows: the gate (its own workflow job, `mlprov
            # gate`) needs the checkout's tools and waivers, which the scratch repository does not have
            _run("deploy-product", name, "--force", "--skip-gate", *ep)
        changed = [name for name, edit in PRODUCTS.items() if edit]
        for name in changed:
            _edit(scratch / "products" / f"{name}.yaml", PRODUCTS[name] or {})
        _run("render", *changed)
        for name in PRODUCTS:  # the workflow previews the changed products; the untouched one shows "no changes"
            _run("show-changes", name, "--review", *ep)
        out = scratch / "comment.md"
        _run("comment-body", "plan", "--out", str(out))
        return out.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/pr-comment-example.md"))
    args = parser.parse_args(argv)
    source = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="mlprov-example-") as tmp:
        body = produce(source, Path(tmp))
    edits = "; ".join(f"`{n}`: {', '.join(f'{k} = {v!r}' for k, v in e.items())}" for n, e in PRODUCTS.items() if e)
    write_text(args.out, PREFACE.format(edits=edits) + body)
    print(f"wrote {args.out} ({len(body)} characters of comment)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
