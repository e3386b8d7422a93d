"""The embedded local AWS: moto's server with CloudFormation models for the types moto lacks (see registry)."""

from __future__ import annotations

from mlprov.local_aws.patches import apply_patches
from mlprov.local_aws.registry import register_models, registered_types
from mlprov.local_aws.server import LocalAws, dummy_credentials

__all__ = ["LocalAws", "apply_patches", "dummy_credentials", "register_models", "registered_types"]
