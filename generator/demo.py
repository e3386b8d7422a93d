"""``make demo``: the main job on a fresh clone, end to end, printing where its reports are.

Static checks first (validate, render --check, policy, resources, gates, HTML review report), then the deploy
lifecycle of one product per tier on the embedded local AWS (dummy credentials, in this process only):
show-changes -> deploy -> check-drift (clean); for the enterprise product also an out-of-band edit -> check-drift
(drift found: exit 1 is the expected answer) -> test-deploy and delete of the test stack; then delete-product
(refused for the prod stacks without a terminal: exit 1 is the expected answer), and a redeploy of the starter product
that adopts its retained stores. The local AWS is strict (refuses what AWS refuses).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlprov.cli import main as mlprov
from mlprov.paths import find_repo

DEMO_PRODUCT = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
# One product per tier, each deploying its committed template unchanged on the strict local endpoint: the -direct
# enterprise example names its VPC and subnets by id and the seeding creates them under those ids; the last one
# reads its VPC from SSM and imports its security group, both seeded too.
LIFECYCLE = (
    "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit",
    "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
    DEMO_PRODUCT,
    "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm",
)
TEST_SUFFIX = "t0de300"


@dataclass
class Step:
    title: str
    argv: list[str]
    expect: int = 0
    why: str = ""


class DemoFailed(Exception):
    def __init__(self, title: str, code: int) -> None:
        super().__init__(title)
        self.title, self.code = title, code


def _run(step: Step) -> None:
    print(f"\n=== {step.title}: mlprov {' '.join(step.argv)}", flush=True)
    code = mlprov(step.argv)
    if code != step.expect:
        raise DemoFailed(step.title, code)
    if step.expect:
        print(f"--- exit {code}, as expected: {step.why}", flush=True)


def static_steps(reports: Path) -> list[Step]:
    return [
        Step("validate every product config", ["validate-config"]),
        Step("committed renderings are current", ["render", "--check"]),
        Step("least-privilege deploy-path policies",
             ["create-policy", DEMO_PRODUCT, "--out", str(reports / "demo" / "access")]),
        Step("resources of one product", ["show-product", DEMO_PRODUCT]),
    ]


def lifecycle_steps(endpoint: str, tamper: Callable[[], None]) -> list[Step | Callable[[], None]]:
    aws = ["--endpoint-url", endpoint]
    out: list[Step | Callable[[], None]] = []
    *others, enterprise = LIFECYCLE
    for name in LIFECYCLE:
        out += [Step(f"preview {name}", ["show-changes", name, *aws]),
                Step(f"deploy {name}", ["deploy-product", name, "--force", *aws]),
                Step(f"drift of {name} (in sync)", ["check-drift", name, *aws])]
    out += [tamper,
            Step(f"drift of {enterprise} after the out-of-band edits", ["check-drift", enterprise, *aws], expect=1,
                 why="check-drift reports the edits as drift"),
            Step(f"test deploy of {enterprise}", ["test-deploy", enterprise, "--suffix", TEST_SUFFIX, *aws])]
    test_stack = f"globalbank-prod-b003-euw1-demand-forecasting-ml-{TEST_SUFFIX}"
    out.append(Step("delete the test stack", ["delete-product", enterprise, "--stack-name", test_stack, "--force", *aws]))
    for name in (*others, enterprise):
        if "-prod-" in name:  # a prod stack's termination protection is turned off only by a person on a terminal
            out.append(Step(f"delete {name} (prod)", ["delete-product", name, "--force", "--disable-termination-protection",
                                                      *aws], expect=1,
                            why="prod termination protection is turned off only on a terminal, never in a script"))
        else:
            out.append(Step(f"delete {name}", ["delete-product", name, "--force", *aws]))
    starter = LIFECYCLE[0]  # its retained registry and repositories are adopted, not an "already exists" failure
    out += [Step(f"redeploy {starter} after its delete (adopts the retained stores)", ["deploy-product", starter, "--force", *aws]),
            Step(f"delete {starter} again", ["delete-product", starter, "--force", *aws])]
    return out


def _lifecycle(reports: Path) -> int:
    from mlprov.commands._common import product  # noqa: PLC0415
    from mlprov.local_aws import LocalAws, dummy_credentials  # noqa: PLC0415
    from mlprov.local_aws.fixtures import boto3_clients, seed  # noqa: PLC0415

    count = 0
    with dummy_credentials(), LocalAws(strict=True) as local:
        print(f"\n=== embedded local AWS on {local.endpoint} (strict: refuses what AWS refuses)", flush=True)
        clients = boto3_clients(local.endpoint)
        for name in LIFECYCLE:
            for line in seed(product(name), clients).created:
                print(f"seeded for {name}: {line}")
        enterprise = product(LIFECYCLE[-1])

        def tamper() -> None:
            stack, region = enterprise.names.stack, enterprise.region
            print(f"\n=== out-of-band edits with boto3 on {stack}", flush=True)
            param = f"/mlprov/{stack}/ModelPackageGroupArn"
            clients("ssm", region).put_parameter(Name=param, Value="tampered", Overwrite=True)
            bucket = clients("ssm", region).get_parameter(Name=f"/mlprov/{stack}/BucketName")["Parameter"]["Value"]
            clients("s3", region).put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
            print(f"changed SSM parameter {param}; suspended versioning of bucket {bucket}")

        for item in lifecycle_steps(local.endpoint, tamper):
            if isinstance(item, Step):
                _run(item)
                count += 1
            else:
                item()
    print(f"\nreports of the lifecycle: {', '.join(str(reports / n) for n in LIFECYCLE)}")
    return count


def run() -> int:
    repo = find_repo()
    reports = Path(os.environ.get("MLPROV_REPORTS_DIR", repo.reports_dir))
    steps = static_steps(reports)
    try:
        for step in steps:
            _run(step)
        # the lifecycle products too: deploy-product refuses a product with open gate findings (cached verdicts)
        gates = [Step("gates (cfn-lint, cfn-guard, checkov, iam-escalation)", ["gate", DEMO_PRODUCT, *LIFECYCLE]),
                 Step("HTML review report", ["create-review-report", DEMO_PRODUCT, "--no-preview"])]
        for step in gates:
            _run(step)
        done = len(steps) + len(gates)
        done += _lifecycle(reports)
    except DemoFailed as failed:
        print(f"\ndemo FAILED at: {failed.title} (exit {failed.code}); reports and logs: {reports}")
        return failed.code or 1
    print(f"\ndemo OK: {done} step(s). Reports and logs: {reports}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
