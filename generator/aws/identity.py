"""The account guard: the credentials' account (``sts:GetCallerIdentity``) and the client's region must be the
config's ``account_id`` and ``region`` before any AWS action reads or changes anything.

AWS: GetCallerIdentity "Returns details about the IAM user or role whose credentials are used to call the
operation"; it needs no permission ("No permissions are required to perform this operation", AWS STS API
Reference, GetCallerIdentity, https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html),
so the guard works for every principal, the read-only plan and drift roles included.

On the embedded local endpoint moto answers with its default account 123456789012 (every example config's
account) unless ``MOTO_ACCOUNT_ID`` is set in the server's process or a request carries ``x-moto-account-id``
(moto docs, "Multi-Account support", docs/docs/multi_account.rst).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mlprov.actionlog import LOGGER_NAME
from mlprov.aws.session import Aws
from mlprov.config.model import Product
from mlprov.errors import UserError


@dataclass(frozen=True)
class Caller:
    """Who runs the action, where."""

    account: str
    region: str
    arn: str

    def line(self) -> str:
        return f"account {self.account}, region {self.region}, caller {self.arn}"


def caller(aws: Aws) -> Caller:
    ident = aws.client("sts").get_caller_identity()
    return Caller(account=str(ident["Account"]), region=aws.target.region, arn=str(ident["Arn"]))


def mismatch(product: Product, who: Caller) -> UserError | None:
    """The refusal when the caller's account or the client's region is not the config's; None when both match."""
    if who.region != product.region:
        return UserError(
            f"{product.path}: region is {product.region} in the config but the AWS client targets {who.region}",
            hint=f"drop --region (the config's region {product.region} is used), or change `region` in the config "
                 "and re-render with `mlprov render`",
        )
    if who.account != product.account_id:
        return UserError(
            f"{product.path}: account_id is {product.account_id} in the config but the credentials are for account "
            f"{who.account} ({who.arn})",
            hint=f"use credentials of account {product.account_id} (--profile or AWS_PROFILE), or fix `account_id` "
                 "in the config and re-render with `mlprov render`",
        )
    return None


def guard(aws: Aws, product: Product) -> Caller:
    """Refuse (exit 2) a wrong account or region; remember and log the caller. The first AWS call of an action."""
    who = caller(aws)
    logging.getLogger(LOGGER_NAME).info("AWS target: %s", who.line())
    refusal = mismatch(product, who)
    if refusal is not None:
        raise refusal
    aws.caller = who.line()
    return who
