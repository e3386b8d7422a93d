"""ML Provisioner: policy-as-code and GitOps toolkit for SageMaker MLOps stacks on CloudFormation."""

from __future__ import annotations

__version__ = "0.1.0"
