"""Alias package so that ``python -m mlprov`` works as the SPEC documents; the code lives in ``generator``."""

from __future__ import annotations
