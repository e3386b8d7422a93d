"""Names shared by the deploy path outside a product's stack: the principals, the template bucket, the stack tags.

One place for the conventions that the access policies, the bootstrap stacks, the forecast, the deploy and the
accounts file must agree on. Everything here is derived from a config's values; nothing calls AWS.

- Per account (made once by an administrator with ``mlprov bootstrap``): the deploy, plan and drift roles
  (``/mlprov/mlprov-deploy`` ...) that CI assumes, and the bucket that holds templates over the 51,200-byte
  inline limit (``mlprov-templates-<account>-<region>``, one per region).
- Per product: the CloudFormation service role (``/mlprov/<prefix>-cfn``) that every change set names as its
  ``RoleARN``; it holds the permissions on the product's resources, the deploy role only passes it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mlprov.config.names import LIMITS, fit

if TYPE_CHECKING:
    from mlprov.config.model import Product

ROLE_PATH = "/mlprov/"
PRODUCT_TAG = "mlprov:product"
# Set by test-deploy on the copy's stack (value: the product's stack name); delete-product --stack-name checks it.
TEST_OF_TAG = "mlprov:test-of"
# Account-level principals, by the kind create-policy --json reports.
ACCOUNT_ROLES = {"deployer": "mlprov-deploy", "plan": "mlprov-plan", "drift": "mlprov-drift"}
# The bootstrap's own stacks (``mlprov bootstrap``). They start with ``mlprov-bootstrap-``, never with a product's
# prefix, so no product's name space (access/namespace.py) and no deploy role covers them. CloudFormation: "A stack
# name can contain only alphanumeric characters (case-sensitive) and hyphens. It must start with an alphabetic
# character and can't be longer than 128 characters." (CreateStack API Reference, StackName).
BOOTSTRAP_STACK_PREFIX = "mlprov-bootstrap-"
STACK_NAME_LIMIT = 128


def template_bucket_name(account_id: str, region: str) -> str:
    """The bootstrap's bucket for templates passed by ``TemplateURL`` (and seed archives)."""
    return fit(f"mlprov-templates-{account_id}-{region}", LIMITS["s3"])


def service_role_name(stack_name: str) -> str:
    """The product's CloudFormation service role (a test copy uses its product's role)."""
    return fit(f"{stack_name}-cfn", LIMITS["iam"])


def service_role_stack_name(stack_name: str) -> str:
    """The bootstrap stack holding one product's CloudFormation service role (``mlprov-bootstrap-<stack>``)."""
    return fit(f"{BOOTSTRAP_STACK_PREFIX}{stack_name}", STACK_NAME_LIMIT)


def account_stack_name(account_id: str) -> str:
    """The bootstrap stack of an account's deploy / plan / drift roles."""
    return f"{BOOTSTRAP_STACK_PREFIX}{account_id}"


def region_stack_name(account_id: str, region: str) -> str:
    """The bootstrap stack of an account's template bucket in one region."""
    return f"{BOOTSTRAP_STACK_PREFIX}{account_id}-{region}"


def role_arn(account_id: str, role_name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:iam::{account_id}:role{ROLE_PATH}{role_name}"


def account_role_arn(account_id: str, kind: str, partition: str = "aws") -> str:
    """ARN of the account's deploy / plan / drift role (``kind`` as in ``ACCOUNT_ROLES``)."""
    return role_arn(account_id, ACCOUNT_ROLES[kind], partition)


def product_service_role_arn(product: Product) -> str:
    """The service role every change set of ``product`` names as ``RoleARN``; a test copy uses its product's."""
    base = replace(product, test_suffix=None)
    return role_arn(base.account_id, service_role_name(base.names.stack), base.partition)


# Seed archives of the CodeCommit repositories (``Code`` of AWS::CodeCommit::Repository) live beside the templates in
# the bootstrap's template bucket, content-addressed: ``seeds/<sha256>.zip`` (mlprov.seeds.archive).
SEED_KEY_PREFIX = "seeds/"


def seed_objects_arn(account_id: str, region: str, partition: str = "aws") -> str:
    """Every seed archive of the template bucket: what the service role reads and the deploy path uploads."""
    return f"arn:{partition}:s3:::{template_bucket_name(account_id, region)}/{SEED_KEY_PREFIX}*"
