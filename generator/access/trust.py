"""Trust policies of the deploy path's roles.

- The product's service role is assumed by CloudFormation only
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
- The account's deploy / plan / drift roles are assumed by GitHub Actions through the account's OIDC provider,
  conditioned on the audience and on the job's subject, i.e. repository **and** environment (or pull request /
  branch) (https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub),
  and, when given, by the CI CodeBuild project's service role (``sts:AssumeRole``; buildspec.yml).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from mlprov.errors import UserError

OIDC_HOST = "token.actions.githubusercontent.com"
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$")


@dataclass(frozen=True)
class TrustSettings:
    """Who may assume the account roles. Without a repository the roles trust no GitHub workflow."""

    github_repository: str | None = None
    deploy_environments: tuple[str, ...] = ("production-approval",)
    codebuild_role_arn: str | None = None

    def __post_init__(self) -> None:
        if self.github_repository is not None and not _REPO.match(self.github_repository):
            raise UserError(f"--github-repository {self.github_repository!r}: expected OWNER/NAME, e.g. acme/ml-products")
        if self.codebuild_role_arn is not None and not _ROLE.match(self.codebuild_role_arn):
            raise UserError(f"--codebuild-role-arn {self.codebuild_role_arn!r}: expected an IAM role ARN")
        for env in self.deploy_environments:
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,255}", env):
                raise UserError(f"--environment {env!r}: expected a GitHub environment name (letters, digits, _ . -)")


def settings_from(repository: str | None, environments: list[str] | None, codebuild_role: str | None) -> TrustSettings:
    """Command-line values, else ``$GITHUB_REPOSITORY`` (set in every GitHub Actions job)."""
    return TrustSettings(
        github_repository=repository or os.environ.get("GITHUB_REPOSITORY") or None,
        deploy_environments=tuple(environments) if environments else ("production-approval",),
        codebuild_role_arn=codebuild_role,
    )


def _doc(statements: list[dict[str, Any]]) -> dict[str, Any] | None:
    return {"Version": "2012-10-17", "Statement": statements} if statements else None


def service_role() -> dict[str, Any]:
    # No aws:SourceAccount / aws:SourceArn: CloudFormation's service-role page documents neither for this trust.
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "CloudFormationOnly", "Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}


def _subjects(kind: str, settings: TrustSettings) -> list[str]:
    repo = settings.github_repository
    if kind == "deployer":
        return [f"repo:{repo}:environment:{env}" for env in settings.deploy_environments]
    if kind == "plan":
        return [f"repo:{repo}:pull_request"]
    return [f"repo:{repo}:ref:refs/heads/main"]


def account_role(kind: str, account: str, partition: str, settings: TrustSettings) -> dict[str, Any] | None:
    statements: list[dict[str, Any]] = []
    if settings.github_repository:
        statements.append({
            "Sid": "GitHubActionsOfTheRepository", "Effect": "Allow",
            "Principal": {"Federated": f"arn:{partition}:iam::{account}:oidc-provider/{OIDC_HOST}"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{OIDC_HOST}:aud": "sts.amazonaws.com",
                                           f"{OIDC_HOST}:sub": _subjects(kind, settings)}},
        })
    if settings.codebuild_role_arn:
        statements.append({"Sid": "CodeBuildCiProject", "Effect": "Allow",
                           "Principal": {"AWS": settings.codebuild_role_arn}, "Action": "sts:AssumeRole"})
    return _doc(statements)
