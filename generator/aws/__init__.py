"""AWS operations through boto3 with injected clients: change sets, deploys, drift, deletion."""

from __future__ import annotations
