"""The review report's forecast: offline always (config and template), online too when an endpoint or credentials
are given (as the change preview). Blockers block the verdict."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from mlprov.config.model import Product
from mlprov.forecast.model import Finding


@dataclass(frozen=True)
class ForecastState:
    findings: list[Finding] = field(default_factory=list)
    online: bool = False
    note: str = ""

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocker"]


def obtain(args: argparse.Namespace, product: Product, text: str, template: dict[str, Any]) -> ForecastState:
    from mlprov.forecast.runner import forecast  # noqa: PLC0415
    from mlprov.reports.changes import requested  # noqa: PLC0415

    if getattr(args, "no_preview", False) or not requested(args):
        return ForecastState(forecast(product, text, template, None), False,
                             "offline: only what the config and template decide (no AWS endpoint or credentials given)")
    from mlprov.aws.session import connect  # noqa: PLC0415

    try:
        return ForecastState(forecast(product, text, template, connect(args, product)), True, "")
    except Exception as exc:  # AWS unreachable (no credentials, ...): say so, keep the offline findings
        if type(exc).__module__.split(".")[0] not in {"botocore", "boto3"}:
            raise
        from mlprov.aws.errors import translate  # noqa: PLC0415

        return ForecastState(forecast(product, text, template, None), False,
                             f"offline: AWS checks failed ({translate(exc).message})")
