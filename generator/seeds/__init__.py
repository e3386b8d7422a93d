"""Seed code of the model-build and model-deploy repositories: deterministic archives, their upload at deploy."""

from __future__ import annotations
