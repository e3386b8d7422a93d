"""Rule ``template-size``: CloudFormation refuses an inline ``TemplateBody`` over 51,200 bytes.

AWS: CreateStack, UpdateStack, CreateChangeSet and ValidateTemplate take "TemplateBody ... with a minimum length of
1 byte and a maximum length of 51,200 bytes"; larger templates must be passed as ``TemplateURL`` (S3, up to 1 MB).
Sources: AWS CloudFormation API Reference, CreateChangeSet / CreateStack "TemplateBody" (Length Constraints:
Minimum length of 1. Maximum length of 51200.), and "AWS CloudFormation quotas" (Template body size in a request:
51,200 bytes). The error is the API's constraint-violation ValidationError; AWS quotes the whole template in it,
here it is shortened to its size. moto accepts any size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.errors import validation_error

RULE = "template-size"
SOURCE = ("TemplateBody over 51,200 bytes refused (CloudFormation API Reference, CreateChangeSet/CreateStack TemplateBody "
          "length constraint; AWS CloudFormation quotas)")
LIMIT = 51_200
ACTIONS = ("create_stack", "update_stack", "create_change_set", "validate_template")


def message(size: int) -> str:
    return (f"1 validation error detected: Value '<template of {size} bytes>' at 'templateBody' failed to satisfy "
            f"constraint: Member must have length less than or equal to {LIMIT}")


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def action(self: Any) -> Any:
        body = self._get_param("TemplateBody")
        if active() and body is not None and len(str(body).encode()) > LIMIT:
            raise validation_error(message(len(str(body).encode())))
        return original(self)

    return action


def install() -> None:
    from moto.cloudformation.responses import CloudFormationResponse  # noqa: PLC0415

    for name in ACTIONS:
        wrap(CloudFormationResponse, name, _checked)
