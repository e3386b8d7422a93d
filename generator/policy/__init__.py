"""The least-privilege deployer policy, derived from CloudFormation registry schemas and IAM action data."""

from __future__ import annotations
