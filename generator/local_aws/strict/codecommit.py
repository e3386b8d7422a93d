"""Rule ``codecommit-closed``: CreateRepository is refused in an account new to CodeCommit.

AWS: "AWS CodeCommit is no longer available to new customers. Existing customers of AWS CodeCommit can continue to
use the service as normal." (banner of the AWS CodeCommit User Guide, e.g. "Identity and access management for AWS
CodeCommit"; AWS DevOps Blog, "How to migrate your AWS CodeCommit repository to another Git provider", 2024-07-25).
What a new customer gets is not in the API Reference; AWS answers ``OperationNotAllowedException`` "CreateRepository
request is not allowed because there is no existing repository in this AWS account or AWS Organization" (HTTP 400;
quoted from CloudFormation events in aws-solutions-library-samples/aws-batch-arch-for-protein-folding #39 and
aws-containers/ecs-workshop-blue-green-deployments #11). So an account that holds a repository (in any Region) keeps
creating them; one that holds none is refused.

Whether an account is a "new customer" cannot be seen from moto: :func:`close` marks an account as one (tests, a
fixture; every account is an existing customer otherwise, as moto has it), :func:`reopen` / :func:`reset` undo it.
The Organization part (a repository in another account of the Organization) is not modelled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap

RULE = "codecommit-closed"
SOURCE = ("CreateRepository in an account without any repository refused when the account is new to CodeCommit: "
          "OperationNotAllowedException (CodeCommit User Guide banner: no longer available to new customers)")
MESSAGE = ("CreateRepository request is not allowed because there is no existing repository in this AWS account or AWS "
           "Organization")
_CLOSED: set[str] = set()


def close(account_id: str) -> None:
    """Treat ``account_id`` as new to CodeCommit (it may create repositories only while it holds one)."""
    _CLOSED.add(account_id)


def reopen(account_id: str) -> None:
    _CLOSED.discard(account_id)


def reset() -> None:
    _CLOSED.clear()


def holds_a_repository(account_id: str) -> bool:
    from moto.codecommit.models import codecommit_backends  # noqa: PLC0415

    return any(backend.repositories for _region, backend in codecommit_backends[account_id].items())


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_repository(self: Any, *args: Any, **kwargs: Any) -> Any:
        account = str(self.account_id)
        if active() and account in _CLOSED and not holds_a_repository(account):
            from moto.core.exceptions import JsonRESTError  # noqa: PLC0415

            raise JsonRESTError("OperationNotAllowedException", MESSAGE)
        return original(self, *args, **kwargs)

    return create_repository


def install() -> None:
    from moto.codecommit.models import CodeCommitBackend  # noqa: PLC0415

    wrap(CodeCommitBackend, "create_repository", _checked)
