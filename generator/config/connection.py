"""The CodeConnections source: what its connection ARN says, and the checks the schema cannot make.

A connection ARN is ``arn:<partition>:codeconnections:<region>:<account>:connection/<uuid>``; connections made
before the service was renamed (March 2024) keep ``codestar-connections`` as the service part ("Connection
resources" and "CodeConnections service renaming", AWS CodeConnections user guide,
https://docs.aws.amazon.com/dtconsole/latest/userguide/welcome-connections.html). Both forms stay valid.

The region in the ARN need NOT be the product's: "Connections are global resources ... Although the connection
ARN format reflects the Region name where it was created, the resource is not constrained to any Region ... You
only have to create a connection once, and then you can use it in any AWS Region" ("Global resources in AWS
CodeConnections", https://docs.aws.amazon.com/dtconsole/latest/userguide/welcome-connections-how-it-works-global.html).
So a connection of another region is accepted; its account must be the product's (the pipeline role's
UseConnection grant and the deployer's PassConnection are granted on this account's connection only).
IAM actions take the ARN's own prefix (:attr:`ConnectionArn.use_actions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlprov.config.regions import partition

NEW_SERVICE = "codeconnections"
OLD_SERVICE = "codestar-connections"


@dataclass(frozen=True)
class ConnectionArn:
    arn: str
    partition: str
    service: str
    region: str
    account_id: str

    @property
    def use_actions(self) -> list[str]:
        """The IAM action that lets a pipeline use the connection, under the ARN's own service prefix: "When
        specifying a resource in the IAM policy, the service prefix needs to match that of the resource"
        ("Connections rename - Summary of changes", https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html)."""
        return [f"{self.service}:UseConnection"]

    @property
    def pass_action(self) -> str:
        """The deployer's PassConnection (creating a pipeline that names the connection), same prefix rule."""
        return f"{self.service}:PassConnection"


def parse(arn: str) -> ConnectionArn:
    """The parts of a schema-valid connection ARN."""
    _, partition, service, region, account, _resource = arn.split(":", 5)
    return ConnectionArn(arn, partition, service, region, account)


def problems(config: dict[str, Any]) -> list[str]:
    """Checks beyond the schema (config already schema-valid): the connection is the product's account's."""
    source = config["source"]
    if source.get("type") != "connection":
        return []
    conn = parse(str(source["connection_arn"]))
    out: list[str] = []
    expected = partition(str(config["region"]))
    if conn.partition != expected:
        out.append(
            f"field 'source.connection_arn': the ARN's partition is {conn.partition!r} but region "
            f"{config['region']} is in {expected!r}; use a connection ARN starting arn:{expected}:"
        )
    if conn.account_id != str(config["account_id"]):
        out.append(
            f"field 'source.connection_arn': the connection belongs to account {conn.account_id} but the product "
            f"deploys to {config['account_id']}; use a connection created in account {config['account_id']}"
        )
    if source["build_repository"] == source["deploy_repository"]:
        out.append(
            "field 'source.deploy_repository': it names the same repository as build_repository; "
            "model-build and model-deploy need two repositories"
        )
    return out
