"""The resources each variant's stack contains: the single source for show-product, the README and the
render check (a rendered template must hold exactly these logical ids with these types)."""

from __future__ import annotations

from dataclasses import dataclass

from mlprov.config.model import Variant

STATEFUL = frozenset(
    {"KmsKey", "ArtifactsBucket", "ComplianceLogGroup", "BuildLogGroup", "ModelPackageGroup", "ModelBuildRepository",
     "ModelDeployRepository"}
)


@dataclass(frozen=True)
class Resource:
    logical_id: str
    type: str
    purpose: str
    addition: str | None = None  # why a resource beyond SPEC's baseline exists (README marks it)

    @property
    def stateful(self) -> bool:
        return self.logical_id in STATEFUL


_R = Resource
_STARTER_CORE = (
    _R("ModelPackageGroup", "AWS::SageMaker::ModelPackageGroup", "model registry"),
    _R("BuildProject", "AWS::CodeBuild::Project", "CodeBuild project: model build"),
    _R("DeployProject", "AWS::CodeBuild::Project", "CodeBuild project: model deploy"),
    _R("BuildPipeline", "AWS::CodePipeline::Pipeline", "build pipeline"),
    _R("DeployPipeline", "AWS::CodePipeline::Pipeline", "deploy pipeline"),
    _R("CodeBuildRole", "AWS::IAM::Role", "IAM role for CodeBuild"),
    _R("CodePipelineRole", "AWS::IAM::Role", "IAM role for CodePipeline (and EventBridge)"),
    _R("SageMakerExecutionRole", "AWS::IAM::Role", "SageMaker execution role"),
    _R("ModelPackageGroupArnParameter", "AWS::SSM::Parameter", "SSM output ModelPackageGroupArn"),
)
_CODECOMMIT = (
    _R("ModelBuildRepository", "AWS::CodeCommit::Repository", "CodeCommit repository: model-build"),
    _R("ModelDeployRepository", "AWS::CodeCommit::Repository", "CodeCommit repository: model-deploy"),
    _R("RepositoryUrlParameter", "AWS::SSM::Parameter", "SSM output RepositoryUrl (model-build clone URL)"),
)
_TRIGGERS = (
    _R("EventsRole", "AWS::IAM::Role", "IAM role EventBridge assumes to start the two pipelines",
       "least privilege: EventBridge may only start this product's pipelines (was the CodePipeline role)"),
    _R("BuildTriggerRule", "AWS::Events::Rule", "EventBridge rule that starts the build pipeline",
       "one trigger rule per pipeline: a rule starts every target for every matching event"),
    _R("DeployTriggerRule", "AWS::Events::Rule", "EventBridge rule that starts the deploy pipeline (incl. approvals)",
       "one trigger rule per pipeline: a rule starts every target for every matching event"),
)
# Professional and enterprise: SPEC's single "EventBridge rule" is BuildTriggerRule; DeployTriggerRule is the addition.
_TRIGGERS_PRO = (
    _TRIGGERS[0],
    _R("BuildTriggerRule", "AWS::Events::Rule", "EventBridge rule that starts the build pipeline"),
    _TRIGGERS[2],
)
# A connection source (SPEC has no column for it; docs/resources.md): the pushes start the pipelines by their V2
# triggers, so the only rule left is the deploy pipeline's model-approval rule. Baseline: the S3 variant's
# resources less SPEC's "EventBridge rule" (BuildTriggerRule); EventsRole and DeployTriggerRule are additions.
_TRIGGERS_CONNECTION = (
    _R("EventsRole", "AWS::IAM::Role", "IAM role EventBridge assumes to start the deploy pipeline on approval",
       "least privilege: EventBridge may only start this product's deploy pipeline"),
    _R("DeployTriggerRule", "AWS::Events::Rule", "EventBridge rule that starts the deploy pipeline on a model approval",
       "a model approval is no Git push: V2 pipeline triggers cannot start the deploy pipeline on it"),
)
_STARTER_ONLY = (_R("StarterPipelinePolicy", "AWS::IAM::Policy", "standard IAM policy of the CodeBuild and CodePipeline roles"),)
_PROFESSIONAL = (
    _R("ArtifactsBucket", "AWS::S3::Bucket", "S3 artifacts bucket"),
    _R("MonitoringDashboard", "AWS::CloudWatch::Dashboard", "CloudWatch dashboard"),
    _R("BuildManagedPolicy", "AWS::IAM::ManagedPolicy", "generated IAM managed policy: build"),
    _R("DeployManagedPolicy", "AWS::IAM::ManagedPolicy", "generated IAM managed policy: deploy"),
    _R("BucketNameParameter", "AWS::SSM::Parameter", "SSM output BucketName"),
    _R("DashboardNameParameter", "AWS::SSM::Parameter", "SSM output DashboardName"),
)
_ALARM = (
    _R("FailedBuildsAlarm", "AWS::CloudWatch::Alarm", "alarm on failed build or deploy runs (CodeBuild FailedBuilds)",
       "SPEC's professional promise: alarm notifications to the config's alarm_email"),
)
_PROFESSIONAL_ONLY = (
    _R("BuildLogGroup", "AWS::Logs::LogGroup", "log group of both CodeBuild projects (log_retention_days)",
       "log_retention_days must govern a log group: the services' own groups keep logs forever"),
    _R("AlarmTopic", "AWS::SNS::Topic", "SNS topic of the alarms",
       "alarm_email needs a topic (enterprise reuses SecurityAlertsTopic)"),
    _R("AlarmSubscription", "AWS::SNS::Subscription", "e-mail subscription of alarm_email to the alarm topic",
       "alarm_email needs a subscription (enterprise reuses SecurityAlertsSubscription)"),
)
_ENTERPRISE = (
    _R("KmsKey", "AWS::KMS::Key", "KMS key (rotation on) encrypting every store"),
    _R("KmsKeyAlias", "AWS::KMS::Alias", "KMS key alias"),
    _R("ArtifactsBucketPolicy", "AWS::S3::BucketPolicy", "bucket policy: TLS only, KMS-encrypted uploads only"),
    _R("ComplianceLogGroup", "AWS::Logs::LogGroup", "CloudWatch compliance log group (KMS, retention)"),
    _R("AccessDeniedMetricFilter", "AWS::Logs::MetricFilter", "metric filter: AccessDenied in build logs"),
    _R("BuildErrorMetricFilter", "AWS::Logs::MetricFilter", "metric filter: errors in build logs"),
    _R("AccessDeniedAlarm", "AWS::CloudWatch::Alarm", "alarm on AccessDenied, notifies the security topic"),
    _R("SecurityAlertsTopic", "AWS::SNS::Topic", "SNS topic for security alerts (KMS)"),
    _R("SecurityAlertsSubscription", "AWS::SNS::Subscription", "e-mail subscription to security alerts"),
    _R("PermissionBoundaryPolicy", "AWS::IAM::ManagedPolicy", "IAM permission boundary of every role"),
    _R("KmsKeyArnParameter", "AWS::SSM::Parameter", "SSM output KmsKeyArn"),
    _R("LogGroupNameParameter", "AWS::SSM::Parameter", "SSM output LogGroupName"),
)
_STANDALONE_SG = (
    _R("EndpointSecurityGroup", "AWS::EC2::SecurityGroup", "security group of the VPC endpoints (standalone mode)"),
    _R("SecurityGroupIdParameter", "AWS::SSM::Parameter", "SSM output SecurityGroupId"),
)
# Networking (docs/networking.md). The SPEC endpoints exist only with `network.endpoints: create`.
_SPEC_ENDPOINTS = (
    _R("SageMakerApiEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: SageMaker API (private DNS)"),
    _R("SageMakerRuntimeEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: SageMaker Runtime (private DNS)"),
    _R("S3Endpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: S3 (private DNS for all resolvers)"),
    _R("StsEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: STS (private DNS)"),
    _R("VpcEndpointIdSagemakerApiParameter", "AWS::SSM::Parameter", "SSM output VpcEndpointIdSagemakerApi"),
    _R("VpcEndpointIdSagemakerRuntimeParameter", "AWS::SSM::Parameter", "SSM output VpcEndpointIdSagemakerRuntime"),
    _R("VpcEndpointIdS3Parameter", "AWS::SSM::Parameter", "SSM output VpcEndpointIdS3"),
    _R("VpcEndpointIdStsParameter", "AWS::SSM::Parameter", "SSM output VpcEndpointIdSts"),
)
_BUILD_SG = _R("BuildSecurityGroup", "AWS::EC2::SecurityGroup", "security group of the CodeBuild projects",
               addition="builds need their own group: egress HTTPS to the endpoints only, no ingress")
_INGRESS_ON_EXISTING_SG = _R(
    "EndpointIngressFromBuilds", "AWS::EC2::SecurityGroupIngress", "HTTPS from the build group into the existing group",
    addition="existing security-group mode: the provisioner's group must admit the builds; the stack owns only this rule")
_BUILD_ENDPOINTS = (
    _R("LogsEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: CloudWatch Logs (private DNS)",
       addition="a VPC build writes its logs through it (egress: endpoints)"),
    _R("KmsEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: KMS (private DNS)",
       addition="a VPC build decrypts artifacts with the stack key through it (egress: endpoints)"),
)
_ECR_ENDPOINTS = (
    _R("EcrApiEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: ECR API (private DNS)",
       addition="SageMaker jobs in the VPC pull images (network.ecr_endpoints: true)"),
    _R("EcrDkrEndpoint", "AWS::EC2::VPCEndpoint", "VPC interface endpoint: ECR Docker registry (private DNS)",
       addition="SageMaker jobs in the VPC pull images (network.ecr_endpoints: true)"),
)
# SPEC's documented resource counts per (tier, source): the baseline; a stack may add up to MAX_ADDITIONS.
MAX_ADDITIONS = 6
COUNT_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("starter", "codecommit"): (13, 13),
    ("starter", "s3"): (10, 10),
    ("professional", "codecommit"): (19, 19),
    ("professional", "s3"): (16, 16),
    ("enterprise", "codecommit"): (39, 41),
    ("enterprise", "s3"): (36, 38),
    # Not in SPEC: the S3 baseline less its EventBridge rule (replaced by the pipelines' V2 triggers).
    ("starter", "connection"): (10, 10),
    ("professional", "connection"): (15, 15),
    ("enterprise", "connection"): (35, 37),
}


def resources(variant: Variant) -> list[Resource]:
    """The exact resources of a variant, in template order."""
    out = list(_STARTER_CORE)
    if variant.source == "codecommit":
        out += _CODECOMMIT
    if variant.source == "connection":
        out += _TRIGGERS_CONNECTION
    else:
        out += _TRIGGERS if variant.tier == "starter" else _TRIGGERS_PRO
    if variant.tier == "starter":
        out += _STARTER_ONLY
    else:
        out += _PROFESSIONAL + _ALARM
    if variant.tier == "professional":
        out += _PROFESSIONAL_ONLY
    if variant.tier == "enterprise":
        out += _ENTERPRISE
        out += network_resources(variant)
    return out


def network_resources(variant: Variant) -> list[Resource]:
    """The enterprise networking resources of a variant (docs/networking.md)."""
    create = variant.endpoints in (None, "create")
    out: list[Resource] = []
    if create and variant.sg_mode == "standalone":
        out += _STANDALONE_SG
    out.append(_BUILD_SG)
    if variant.sg_mode == "existing":
        out.append(_INGRESS_ON_EXISTING_SG)
    if create:
        out += _SPEC_ENDPOINTS
        if variant.egress in (None, "endpoints"):
            out += _BUILD_ENDPOINTS
            if variant.ecr_endpoints:
                out += _ECR_ENDPOINTS
    return out


def count_range(variant: Variant) -> tuple[int, int]:
    """The resource count a variant may have: SPEC's baseline, up to MAX_ADDITIONS more. With
    ``network.endpoints: existing`` the stack deliberately owns no endpoints (nor their SSM outputs, nor the
    standalone endpoint group), so its floor drops by what it leaves to the VPC's owner. ``network.ecr_endpoints:
    true`` is the one opt-in past SPEC's envelope: SageMaker jobs in a VPC without NAT pull their images through
    the two ECR endpoints, so a config that asks for them gets two more (docs/networking.md says so)."""
    low, high = COUNT_RANGES[(variant.tier, variant.source)]
    if variant.tier == "enterprise" and variant.endpoints == "existing":
        low -= len(_SPEC_ENDPOINTS) + (len(_STANDALONE_SG) if variant.sg_mode == "standalone" else 0)
    beyond = len(_ECR_ENDPOINTS) if variant.tier == "enterprise" and variant.ecr_endpoints else 0
    return low, high + MAX_ADDITIONS + beyond


def ssm_outputs(variant: Variant) -> list[str]:
    """Names of the SSM Parameter Store outputs (and stack outputs) of a variant."""
    return [r.logical_id.removesuffix("Parameter") for r in resources(variant) if r.type == "AWS::SSM::Parameter"]
