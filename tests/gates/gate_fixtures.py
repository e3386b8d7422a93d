"""Helpers of the gate tests: a scratch repository wired to the real tools, and template mutations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
PROFESSIONAL = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"

TOOLS_PRESENT = (REPO / "node_modules").is_dir() and (REPO / ".tools" / "checkov" / "bin" / "checkov").is_file()
needs_tools = pytest.mark.skipif(not TOOLS_PRESENT, reason="cfn-guard (make setup-node) or checkov (make setup-checkov) missing")


def make_gate_repo(root: Path, products: list[str] | None = None, waivers: bool = True) -> Path:
    """A repository at ``root`` with the given products (default: all), our rule pack, the tools linked in."""
    (root / "products").mkdir(parents=True, exist_ok=True)
    for config in sorted((REPO / "products").glob("*.yaml")):
        if products is None or config.stem in products:
            shutil.copy(config, root / "products" / config.name)
            shutil.copytree(config.with_suffix(""), root / "products" / config.stem)
    shutil.copytree(REPO / "rules", root / "rules")
    for tool in ("node_modules", ".tools"):
        if (REPO / tool).exists():
            (root / tool).symlink_to(REPO / tool)
    if waivers:
        shutil.copy(REPO / "waivers.yaml", root / "waivers.yaml")
    return root


def template(root: Path, product: str) -> Path:
    return root / "products" / product / "template.yaml"


def mutate(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` (which must be there) by ``new`` in the file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


DROP_BUCKET_ENCRYPTION = (
    """      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: "aws:kms"
              KMSMasterKeyID:
                Fn::GetAtt: ["KmsKey", "Arn"]
            BucketKeyEnabled: true
""",
    "",
)
OPEN_SECURITY_GROUP = ('CidrIp: "10.20.0.0/16"', 'CidrIp: "0.0.0.0/0"')
DROP_PERMISSION_BOUNDARY = ('      PermissionsBoundary:\n        Ref: "PermissionBoundaryPolicy"\n', "")
WILDCARD_ACTION = ('"Action": ["ecr:GetAuthorizationToken"]', '"Action": "*"')  # the SageMaker role's ECR token statement
BAD_PROPERTY = ("      ModelPackageGroupName:", "      NoSuchProperty: 1\n      ModelPackageGroupName:")
