"""Physical names of every resource, derived from the product's name prefix.

The prefix is ``{organization}-{environment}-{app_id}-{region_code}-{use_case}[-{workload}]`` plus, for a test
deploy, ``-t{6 hex}``. A name that would exceed its service's limit keeps as much of the prefix as fits and
ends with a 6-character hash of the full name, so it stays unique and deterministic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Service limits on name length.
LIMITS = {
    "iam": 64,
    "s3": 63,
    "sagemaker": 63,
    "events": 64,
    "codecommit": 100,
    "codebuild": 150,
    "codepipeline": 100,
    "dashboard": 255,
    "sns": 256,
    "logs": 512,
    "alarm": 255,
    "kms_alias": 256,
    "sg": 255,
    "iam_policy": 128,
    "sagemaker_pipeline": 256,
    # SageMaker Pipelines custom job prefix (TrainingStep/ProcessingStep/ModelStep/RegisterModel): 38 characters,
    # https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html#build-and-manage-step-permissions-prefix
    "job_prefix": 38,
}


def fit(name: str, limit: int) -> str:
    """``name`` if it fits, else its head plus ``-`` and a 6-hex hash of the whole name."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    head = name[: limit - 7].rstrip("-")
    return f"{head}-{digest}"


@dataclass(frozen=True)
class Names:
    """Every physical name a stack uses."""

    prefix: str
    account_id: str

    def _n(self, suffix: str, service: str) -> str:
        return fit(f"{self.prefix}-{suffix}", LIMITS[service])

    @property
    def stack(self) -> str:
        return fit(self.prefix, 128)

    @property
    def model_package_group(self) -> str:
        return fit(self.prefix, LIMITS["sagemaker"])

    @property
    def build_repository(self) -> str:
        return self._n("model-build", "codecommit")

    @property
    def deploy_repository(self) -> str:
        return self._n("model-deploy", "codecommit")

    @property
    def build_project(self) -> str:
        return self._n("build", "codebuild")

    @property
    def deploy_project(self) -> str:
        return self._n("deploy", "codebuild")

    @property
    def build_pipeline(self) -> str:
        return self._n("build-pipeline", "codepipeline")

    @property
    def deploy_pipeline(self) -> str:
        return self._n("deploy-pipeline", "codepipeline")

    @property
    def codebuild_role(self) -> str:
        return self._n("codebuild", "iam")

    @property
    def codepipeline_role(self) -> str:
        return self._n("codepipeline", "iam")

    @property
    def sagemaker_role(self) -> str:
        return self._n("sagemaker", "iam")

    @property
    def starter_policy(self) -> str:
        return self._n("pipeline", "iam_policy")

    @property
    def build_policy(self) -> str:
        return self._n("build", "iam_policy")

    @property
    def deploy_policy(self) -> str:
        return self._n("deploy", "iam_policy")

    @property
    def boundary_policy(self) -> str:
        return self._n("boundary", "iam_policy")

    @property
    def artifacts_bucket(self) -> str:
        return fit(f"{self.prefix}-{self.account_id}-art", LIMITS["s3"])

    @property
    def build_trigger_rule(self) -> str:
        return self._n("build-trigger", "events")

    @property
    def deploy_trigger_rule(self) -> str:
        return self._n("deploy-trigger", "events")

    @property
    def events_role(self) -> str:
        return self._n("events", "iam")

    @property
    def job_prefix(self) -> str:
        """Prefix of every SageMaker job, model, endpoint config and endpoint the seed code creates.

        Always ``<head>-<6 hex of the whole prefix>`` (at most 23 characters, so ``-staging`` and a 31-character
        suffix still fit SageMaker's 63): the hash ends the exact IAM pattern ``<job_prefix>-*``, which therefore
        never matches a sibling product such as ``<prefix>-blue`` (whose hash differs), as ``<prefix>*`` would.
        """
        digest = hashlib.sha256(self.prefix.encode()).hexdigest()[:6]
        return f"{self.prefix[:16].rstrip('-')}-{digest}"

    @property
    def sagemaker_pipeline(self) -> str:
        """``<prefix>-pipeline`` (never shortened: a stack name is at most 128 characters, the limit 256); the seed
        code derives it from NAME_PREFIX."""
        return self._n("pipeline", "sagemaker_pipeline")

    @property
    def staging_endpoint(self) -> str:
        return f"{self.job_prefix}-staging"

    @property
    def prod_endpoint(self) -> str:
        return f"{self.job_prefix}-prod"

    @property
    def alarm_topic(self) -> str:
        return self._n("alarms", "sns")

    @property
    def failures_alarm(self) -> str:
        return self._n("failed-builds", "alarm")

    @property
    def build_log_group(self) -> str:
        return fit(f"/mlprov/{self.prefix}/builds", LIMITS["logs"])

    @property
    def dashboard(self) -> str:
        return self._n("dashboard", "dashboard")

    @property
    def kms_alias(self) -> str:
        return fit(f"alias/{self.prefix}", LIMITS["kms_alias"])

    @property
    def log_group(self) -> str:
        return fit(f"/mlprov/{self.prefix}/compliance", LIMITS["logs"])

    @property
    def alerts_topic(self) -> str:
        return self._n("security-alerts", "sns")

    @property
    def access_denied_alarm(self) -> str:
        return self._n("access-denied", "alarm")

    @property
    def security_group(self) -> str:
        return self._n("endpoints", "sg")

    @property
    def metric_namespace(self) -> str:
        return f"MLProvisioner/{self.prefix}"

    def ssm(self, output: str) -> str:
        """SSM Parameter Store name of one stack output."""
        return f"/mlprov/{self.prefix}/{output}"
