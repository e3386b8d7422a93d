"""Rendering product configs into CloudFormation templates (Jinja2, StrictUndefined, quoted values)."""

from __future__ import annotations
