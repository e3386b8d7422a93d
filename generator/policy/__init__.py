"""CloudFormation registry schemas (handler permissions, create-only properties) as shipped by cfn-lint."""

from __future__ import annotations
