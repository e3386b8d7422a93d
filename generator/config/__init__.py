"""Product configs: YAML loading, file-name tokens, JSON Schemas per tier, semantic checks, derived names."""

from __future__ import annotations
