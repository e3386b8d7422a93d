"""The blast-radius corpus: requests on things outside the product, and inside it against its guarantees.

Every attack must be denied for the deployer, the plan and drift roles, and every role the deployer can pass
(the product's CloudFormation service role). ``FOREIGN`` names another account's / product's resources.
"""

from __future__ import annotations

from mlprov.config.model import Product
from mlprov.deploypath import PRODUCT_TAG

from tests.iam.model import Labeled
from tests.iam.oracle import Request

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
KEY_ID = "5d1c0f7e-2b3a-4c9d-8e7f-6a5b4c3d2e1f"
Context = dict[str, str | list[str]]


def sibling(product: Product) -> str:
    """The stack name of the product's workload sibling (``-blue`` added, or removed)."""
    stack = product.names.stack
    return stack.removesuffix("-blue") if stack.endswith("-blue") else f"{stack}-blue"


def corpus(product: Product, *, enterprise_boundary: str | None, own_role: str, own_key_tag: str | None = None) -> list[Labeled]:
    a, r, p = product.account_id, product.region, product.partition
    stack, sib = product.names.stack, sibling(product)
    foreign_tag: Context = {f"aws:ResourceTag/{PRODUCT_TAG}": "someone-else"}
    hijack: Context = {f"aws:RequestTag/{PRODUCT_TAG}": product.prefix, "aws:TagKeys": [PRODUCT_TAG]}
    cfn = f"arn:{p}:cloudformation:{r}:{a}:stack"
    sid = "0b7f2c1e-9a8d-4e6f-b5c4-3d2e1f0a9b8c"
    attacks: list[tuple[str, str, str, Context]] = [
        ("admin on a user", "iam:AttachUserPolicy", f"arn:{p}:iam::{a}:user/alice", {"iam:PolicyARN": ADMIN}),
        ("inline policy on a user", "iam:PutUserPolicy", f"arn:{p}:iam::{a}:user/alice", {}),
        ("admin on a group", "iam:AttachGroupPolicy", f"arn:{p}:iam::{a}:group/admins", {"iam:PolicyARN": ADMIN}),
        ("inline policy on a group", "iam:PutGroupPolicy", f"arn:{p}:iam::{a}:group/admins", {}),
        ("create a user", "iam:CreateUser", f"arn:{p}:iam::{a}:user/mallory", {}),
        ("create an access key", "iam:CreateAccessKey", f"arn:{p}:iam::{a}:user/alice", {}),
        ("add a user to a group", "iam:AddUserToGroup", f"arn:{p}:iam::{a}:group/admins", {}),
        ("admin on a foreign role", "iam:AttachRolePolicy", f"arn:{p}:iam::{a}:role/OrganizationAccountAccessRole",
         {"iam:PolicyARN": ADMIN}),
        ("inline policy on a foreign role", "iam:PutRolePolicy", f"arn:{p}:iam::{a}:role/OrganizationAccountAccessRole", {}),
        ("trust on a foreign role", "iam:UpdateAssumeRolePolicy", f"arn:{p}:iam::{a}:role/OrganizationAccountAccessRole", {}),
        ("pass a foreign role to CloudFormation", "iam:PassRole", f"arn:{p}:iam::{a}:role/admin",
         {"iam:PassedToService": "cloudformation.amazonaws.com"}),
        ("pass the service role to EC2", "iam:PassRole", own_role, {"iam:PassedToService": "ec2.amazonaws.com"}),
        ("assume a foreign role", "sts:AssumeRole", f"arn:{p}:iam::{a}:role/admin", {}),
        ("admin policy on the product's role", "iam:AttachRolePolicy",
         f"arn:{p}:iam::{a}:role/mlprov/{product.names.codebuild_role}", {"iam:PolicyARN": ADMIN}),
        ("a foreign managed policy on the product's role", "iam:AttachRolePolicy",
         f"arn:{p}:iam::{a}:role/mlprov/{product.names.sagemaker_role}", {"iam:PolicyARN": f"arn:{p}:iam::{a}:policy/god-mode"}),
        ("create any managed policy", "iam:CreatePolicy", f"arn:{p}:iam::{a}:policy/god-mode", {}),
        ("delete a foreign policy", "iam:DeletePolicy", f"arn:{p}:iam::{a}:policy/security-baseline", {}),
        ("schedule deletion of a foreign key", "kms:ScheduleKeyDeletion", f"arn:{p}:kms:{r}:{a}:key/{KEY_ID}", foreign_tag),
        ("rewrite a foreign key policy", "kms:PutKeyPolicy", f"arn:{p}:kms:{r}:{a}:key/{KEY_ID}", foreign_tag),
        ("disable an untagged key", "kms:DisableKey", f"arn:{p}:kms:{r}:{a}:key/{KEY_ID}", {}),
        ("decrypt with a foreign key", "kms:Decrypt", f"arn:{p}:kms:{r}:{a}:key/{KEY_ID}", foreign_tag),
        ("create an untagged key", "kms:CreateKey", "*", {}),
        ("delete a foreign security group", "ec2:DeleteSecurityGroup", f"arn:{p}:ec2:{r}:{a}:security-group/sg-0f1e2d3c4b5a69788",
         foreign_tag),
        ("open a foreign security group", "ec2:AuthorizeSecurityGroupIngress",
         f"arn:{p}:ec2:{r}:{a}:security-group/sg-0f1e2d3c4b5a69788", foreign_tag),
        ("delete a foreign endpoint", "ec2:DeleteVpcEndpoints", f"arn:{p}:ec2:{r}:{a}:vpc-endpoint/vpce-0f1e2d3c4b5a69788",
         foreign_tag),
        ("modify a foreign endpoint", "ec2:ModifyVpcEndpoint", f"arn:{p}:ec2:{r}:{a}:vpc-endpoint/vpce-0f1e2d3c4b5a69788",
         foreign_tag),
        ("tag a foreign instance", "ec2:CreateTags", f"arn:{p}:ec2:{r}:{a}:instance/i-0f1e2d3c4b5a69788", {}),
        ("claim a foreign security group by tagging it", "ec2:CreateTags",
         f"arn:{p}:ec2:{r}:{a}:security-group/sg-0f1e2d3c4b5a69788", hijack),
        ("untag a foreign endpoint", "ec2:DeleteTags", f"arn:{p}:ec2:{r}:{a}:vpc-endpoint/vpce-0f1e2d3c4b5a69788", foreign_tag),
        ("delete a foreign bucket", "s3:DeleteBucket", "arn:aws:s3:::payroll-archive", {}),
        ("read a foreign object", "s3:GetObject", "arn:aws:s3:::payroll-archive/2026/salaries.csv", {}),
        ("write a foreign object", "s3:PutObject", "arn:aws:s3:::payroll-archive/2026/salaries.csv", {}),
        ("rewrite a foreign bucket policy", "s3:PutBucketPolicy", "arn:aws:s3:::payroll-archive", {}),
        ("objects behind an access point", "s3:GetObject", f"arn:{p}:s3:{r}:{a}:accesspoint/finance/object/salaries.csv", {}),
        ("create an S3 table bucket", "s3tables:CreateTableBucket", f"arn:{p}:s3tables:{r}:{a}:bucket/exfil", {}),
        ("overwrite a network parameter the stack only reads", "ssm:PutParameter",
         f"arn:{p}:ssm:{r}:{a}:parameter/network/prod/vpc-id", {}),
        ("delete a network parameter the stack only reads", "ssm:DeleteParameter",
         f"arn:{p}:ssm:{r}:{a}:parameter/network/prod/private-subnet-ids", {}),
        ("account-wide log resource policy", "logs:PutResourcePolicy", "*", {}),
        ("delete a foreign log group", "logs:DeleteLogGroup", f"arn:{p}:logs:{r}:{a}:log-group:/aws/cloudtrail/org", {}),
        ("execute a change set on a foreign stack", "cloudformation:ExecuteChangeSet", f"{cfn}/network-baseline/{sid}", {}),
        ("delete a foreign stack", "cloudformation:DeleteStack", f"{cfn}/network-baseline/{sid}", {}),
        ("delete the sibling product's stack", "cloudformation:DeleteStack", f"{cfn}/{sib}/{sid}", {}),
        ("change the sibling product's stack", "cloudformation:CreateChangeSet", f"{cfn}/{sib}/{sid}",
         {"cloudformation:RoleArn": own_role}),
        ("a change set that runs with the caller's own identity", "cloudformation:CreateChangeSet", f"{cfn}/{stack}/{sid}", {}),
        ("a change set with another role", "cloudformation:CreateChangeSet", f"{cfn}/{stack}/{sid}",
         {"cloudformation:RoleArn": f"arn:{p}:iam::{a}:role/admin"}),
        ("delete a foreign pipeline", "codepipeline:DeletePipeline", f"arn:{p}:codepipeline:{r}:{a}:payments-release", {}),
        ("delete the sibling's pipeline", "codepipeline:DeletePipeline", f"arn:{p}:codepipeline:{r}:{a}:{sib}-build-pipeline", {}),
        ("delete a foreign repository", "codecommit:DeleteRepository", f"arn:{p}:codecommit:{r}:{a}:payments-service", {}),
        ("delete the sibling's repository", "codecommit:DeleteRepository", f"arn:{p}:codecommit:{r}:{a}:{sib}-model-build", {}),
        ("delete a foreign model registry", "sagemaker:DeleteModelPackageGroup",
         f"arn:{p}:sagemaker:{r}:{a}:model-package-group/credit-risk", {}),
        ("delete the sibling's model registry", "sagemaker:DeleteModelPackageGroup",
         f"arn:{p}:sagemaker:{r}:{a}:model-package-group/{sib}", {}),
        ("delete a foreign build project", "codebuild:DeleteProject", f"arn:{p}:codebuild:{r}:{a}:project/payments-ci", {}),
        ("delete a foreign topic", "sns:DeleteTopic", f"arn:{p}:sns:{r}:{a}:security-hub-findings", {}),
        ("a foreign region's stack", "cloudformation:DeleteStack",
         f"arn:{p}:cloudformation:ap-southeast-2:{a}:stack/{stack}/{sid}", {}),
        ("another account's stack", "cloudformation:DeleteStack", f"arn:{p}:cloudformation:{r}:210987654321:stack/{stack}/{sid}", {}),
    ]
    if enterprise_boundary:
        role = f"arn:{p}:iam::{a}:role/mlprov/{product.names.codebuild_role}"
        sagemaker = f"arn:{p}:iam::{a}:role/mlprov/{product.names.sagemaker_role}"
        attacks += [
            ("remove the boundary", "iam:DeleteRolePermissionsBoundary", role, {}),
            ("replace the boundary", "iam:PutRolePermissionsBoundary", role, {"iam:PermissionsBoundary": ADMIN}),
            ("a product role without the boundary", "iam:CreateRole", sagemaker, {}),
            ("a product role with another boundary", "iam:CreateRole", sagemaker,
             {"iam:PermissionsBoundary": f"arn:{p}:iam::{a}:policy/lax"}),
            ("rewrite the boundary document", "iam:CreatePolicyVersion", enterprise_boundary, {}),
            ("switch the boundary's default version", "iam:SetDefaultPolicyVersion", enterprise_boundary, {}),
        ]
    return [Labeled(label, Request(action, arn, ctx)) for label, action, arn, ctx in attacks]
