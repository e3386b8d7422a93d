"""Builders for the report tests: gate results, previews, drift reports, and a product whose config carries markup."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, Difference, DriftReport, ResourceDrift
from mlprov.aws.preview import Preview, Row
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.gates.model import Finding, GateResult, Severity, Tool, Waiver
from mlprov.render.engine import parse
from mlprov.reports.changes import NO_STACK, NO_STACK_TEXT, SHOWN, PreviewState
from mlprov.reports.review import Review

REPO = Path(__file__).resolve().parents[2]
STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
PROFESSIONAL = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
TIERS = (STARTER, PROFESSIONAL, ENTERPRISE)
TODAY = date(2026, 11, 25)
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'


def finding(rule: str = "MLPROV_S3_VERSIONING", severity: Severity = Severity.HIGH, resource: str = "ArtifactsBucket",
            message: str = "versioning is not enabled", product: str = ENTERPRISE) -> Finding:
    return Finding(Tool.CFN_GUARD, rule, severity, product, resource, message, "enable VersioningConfiguration",
                   f"products/{product}/template.yaml", 42, "mlprov")


def waiver(rule: str = "CKV_AWS_18", expires: date = date(2027, 3, 31),
           justification: str = "access logs go to the org bucket", product: str = ENTERPRISE) -> Waiver:
    org = product.split("-", maxsplit=1)[0]
    return Waiver(rule, f"{org}-*", "ArtifactsBucket", f"security@{org}.example", justification, expires)


def clean_gate(product: str = ENTERPRISE, waived: int = 1) -> GateResult:
    pairs = [(Finding(Tool.CHECKOV, "CKV_AWS_18", Severity.LOW, product, "ArtifactsBucket", "S3 access logging", "log",
                      f"products/{product}/template.yaml"), waiver(product=product))][:waived]
    return GateResult([product], waived=pairs, tool_versions={"cfn-lint": "1.58.0", "cfn-guard": "3.1.1", "checkov": "3.3.30"})


def blocked_gate(product: str = ENTERPRISE) -> GateResult:
    """Three open findings of the kind the tools report (one high, one medium, one low) and one waived finding."""
    gate = clean_gate(product)
    where = f"products/{product}/template.yaml"
    gate.findings = [
        Finding(Tool.CHECKOV, "CKV_AWS_173", Severity.MEDIUM, product, "BuildProject",
                "CodeBuild project environment variables are stored in plain text",
                "keep values in SSM Parameter Store and reference them with Type PARAMETER_STORE", where, 58),
        Finding(Tool.CFN_LINT, "I3042", Severity.LOW, product, "BuildProject", "ARN in EnvironmentVariables hardcodes the partition",
                "use Fn::Sub with ${AWS::Partition}", where, 64),
        Finding(Tool.CHECKOV, "CKV_AWS_111", Severity.HIGH, product, "BuildManagedPolicy",
                "IAM policy allows write access without constraints", "scope the write actions to the product's ARNs", where, 560),
    ]
    return gate


def preview(rows: list[Row] | None = None, no_changes: bool = False, name: str = ENTERPRISE) -> PreviewState:
    p = Preview(name, product(name).names.stack, "UPDATE", rows or [], no_changes=no_changes)
    from mlprov.aws.preview import summary_line

    return PreviewState(SHOWN, summary_line(p), p, [], "pre-flight passed")


def data_loss_preview() -> PreviewState:
    return preview([Row("ArtifactsBucket", "AWS::S3::Bucket", "Modify", "True", ["BucketName"], "bucket-1", data_loss=True),
                    Row("BuildProject", "AWS::CodeBuild::Project", "Modify", "False", [], "build")])


NO_STACK_STATE = PreviewState(NO_STACK, NO_STACK_TEXT, None, [], "pre-flight passed")


def product(name: str, root: Path = REPO) -> Product:
    return load_product(root / "products" / f"{name}.yaml")


def template(name: str, root: Path = REPO) -> dict[str, Any]:
    return parse((root / "products" / name / "template.yaml").read_text(encoding="utf-8"))


def review(name: str = ENTERPRISE, gate: GateResult | None = None, note: str = "", stale: list[tuple[str, str]] | None = None,
           state: PreviewState = NO_STACK_STATE, root: Path = REPO) -> Review:
    return Review(product(name, root), template(name, root), gate, note, stale or [], state, today=TODAY)


def marked_up_repo(root: Path) -> Path:
    """A copy of the starter product whose description carries markup, rendered and committed."""
    from mlprov.render import renderings

    (root / "products").mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load((REPO / "products" / f"{STARTER}.yaml").read_text())
    data["description"] = f"{SCRIPT} {IMG}"
    path = root / "products" / f"{STARTER}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    renderings.write(renderings.expected(load_product(path)))
    return path


def drift_report(product_name: str = PROFESSIONAL) -> DriftReport:
    """A drift report as check-drift builds it: every status, live and native differences, a deleted parameter."""
    stack = "techcorp-prod-a001-usw2-customer-churn-ml"
    return DriftReport(product_name, stack, "native drift detection unavailable on this endpoint", [
        ResourceDrift("ArtifactsBucket", "AWS::S3::Bucket", f"{stack}-12345678-abcdef", DRIFTED,
                      [Difference("VersioningConfiguration.Status", "Enabled", "Suspended"),
                       Difference("PublicAccessBlockConfiguration", {"BlockPublicAcls": True, "BlockPublicPolicy": True},
                                  {"BlockPublicAcls": False, "BlockPublicPolicy": True}, "cloudformation")],
                      ["exists", "versioning", "encryption", "public access block"]),
        ResourceDrift("ModelPackageGroupArnParameter", "AWS::SSM::Parameter", f"/mlprov/{stack}/ModelPackageGroupArn", DRIFTED,
                      [Difference("Value", f"arn:aws:sagemaker:us-west-2:123456789012:model-package-group/{stack}", "tampered")],
                      ["exists", "value"]),
        ResourceDrift("RepositoryUrlParameter", "AWS::SSM::Parameter", f"/mlprov/{stack}/RepositoryUrl", DELETED,
                      [Difference("exists", True, False)], ["exists"], note="the parameter is gone"),
        ResourceDrift("CodeBuildRole", "AWS::IAM::Role", f"{stack}-codebuild", IN_SYNC, [], ["exists", "trust policy", "boundary"]),
        ResourceDrift("KmsKey", "AWS::KMS::Key", "", IN_SYNC, [], ["exists", "EnableKeyRotation"]),
        ResourceDrift("MonitoringDashboard", "AWS::CloudWatch::Dashboard", f"{stack}-dashboard", NOT_CHECKED,
                      note="no live check for this type"),
    ])
