"""The registry of forecast checks: one stable code each, duplicates refused at registration."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from mlprov.forecast.model import Check, CheckFn

CODE = re.compile(r"MLPROV-F\d{3}")
# The check modules, in the order their findings print.
MODULES = ("account", "size", "servicerole", "existing", "codecommit", "connection", "buckets", "vpc", "endpoints",
           "vpcendpoints")


class DuplicateCheckError(ValueError):
    """Two checks claimed the same code (codes are published: each names one rule for good)."""


class Registry:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, check: Check) -> Check:
        if not CODE.fullmatch(check.code):
            raise ValueError(f"check code {check.code!r} is not of the form MLPROV-F000")
        if check.code in self._checks:
            raise DuplicateCheckError(f"forecast check code {check.code} is registered twice "
                                      f"({self._checks[check.code].title!r} and {check.title!r})")
        self._checks[check.code] = check
        return check

    def checks(self) -> list[Check]:
        return sorted(self._checks.values(), key=lambda c: c.code)

    def check(self, code: str, title: str, *, online: bool) -> Callable[[CheckFn], Check]:
        """Decorator: register ``fn`` as the check ``code``."""
        def wrap(fn: CheckFn) -> Check:
            return self.add(Check(code, title, online, fn))
        return wrap


REGISTRY = Registry()


def all_checks() -> list[Check]:
    for name in MODULES:
        importlib.import_module(f"mlprov.forecast.checks.{name}")
    return REGISTRY.checks()
