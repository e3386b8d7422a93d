"""The forecast's registry (stable codes, duplicates refused) and what it decides offline (the size path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from mlprov.aws import templatesource
from mlprov.config.loader import load_product
from mlprov.errors import UserError
from mlprov.forecast.model import Check, Finding, finding
from mlprov.forecast.registry import DuplicateCheckError, Registry, all_checks
from mlprov.forecast.runner import Blocked, forecast, gate
from mlprov.render.engine import render

REPO = Path(__file__).resolve().parents[2]
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"


def _none(_ctx: object) -> list[Finding]:
    return []


def test_codes_are_stable_unique_and_ordered() -> None:
    checks = all_checks()
    codes = [c.code for c in checks]
    assert codes == [f"MLPROV-F{n:03d}" for n in range(1, 16)]
    assert [c.code for c in checks if not c.online] == ["MLPROV-F002"]  # decided from the template alone
    assert all_checks() == checks  # importing the modules again registers nothing twice


def test_a_duplicate_code_is_refused() -> None:
    reg = Registry()
    reg.add(Check("MLPROV-F900", "first", False, _none))
    with pytest.raises(DuplicateCheckError, match=r"^forecast check code MLPROV-F900 is registered twice \('first' and 'second'\)$"):
        reg.add(Check("MLPROV-F900", "second", True, _none))
    with pytest.raises(ValueError, match=r"^check code 'F1' is not of the form MLPROV-F000$"):
        reg.add(Check("F1", "bad", False, _none))


def test_severity_is_one_of_three() -> None:
    assert finding("MLPROV-F002", "info", "m").line() == "MLPROV-F002 info: m"
    assert finding("MLPROV-F002", "blocker", "m", "do x").line() == "MLPROV-F002 blocker: m (fix: do x)"
    with pytest.raises(ValueError, match="severity 'fatal' is not one of blocker, warning, info"):
        finding("MLPROV-F002", "fatal", "m")


def _product(tmp_path: Path, name: str, extra_tags: int = 0) -> tuple[object, str, dict[str, object]]:
    data = yaml.safe_load((REPO / "products" / f"{name}.yaml").read_text())
    data["tags"] = {**data.get("tags", {}), **{f"extra-tag-{i:02d}": f"value-{i:02d}-" + "x" * 40 for i in range(extra_tags)}}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    prod = load_product(path)
    text, template = render(prod)
    return prod, text, template


def test_offline_forecast_makes_no_call_and_names_the_size_path(tmp_path: Path) -> None:
    prod, text, template = _product(tmp_path, STARTER)
    found = forecast(prod, text, template, aws=None)  # type: ignore[arg-type]
    assert [f.line() for f in found] == [f"MLPROV-F002 info: template inline as committed ({len(text.encode())} bytes, limit 51,200)"]


def test_fifteen_extra_tags_take_enterprise_through_s3(tmp_path: Path) -> None:
    prod, text, template = _product(tmp_path, ENTERPRISE, extra_tags=15)
    compact = json.dumps(template, separators=(",", ":"))
    assert len(compact.encode()) > templatesource.INLINE_LIMIT  # the case the issue names
    source = templatesource.choose(text, template, "123456789012", "eu-west-1")
    assert source.kind == "s3" and source.body == compact
    assert source.bucket == "mlprov-templates-123456789012-eu-west-1"
    assert source.key == "templates/" + __import__("hashlib").sha256(compact.encode()).hexdigest() + ".json"
    found = forecast(prod, text, template, aws=None)  # type: ignore[arg-type]
    assert [f.line() for f in found] == [
        f"MLPROV-F002 info: template through S3 as TemplateURL s3://{source.bucket}/{source.key} "
        f"({source.size} bytes as compact JSON, over the 51,200-byte inline limit)"]


def test_over_one_megabyte_is_a_blocker(tmp_path: Path) -> None:
    prod, _text, template = _product(tmp_path, STARTER)
    template["Metadata"] = {"Padding": "x" * 1_000_001}
    big = json.dumps(template)
    with pytest.raises(UserError, match=r"^template is \d+ bytes even as compact JSON, over CloudFormation's 1 MB TemplateURL limit$"):
        templatesource.choose(big, template, "123456789012", "us-east-1")
    found = forecast(prod, big, template, aws=None)  # type: ignore[arg-type]
    assert [(f.code, f.severity) for f in found] == [("MLPROV-F002", "blocker")]
    out: list[str] = []

    class Sink:
        def write(self, s: str) -> None:
            out.append(s)

    with pytest.raises(Blocked) as info:
        gate(None, prod, big, template, Sink(), reports_dir=tmp_path)  # type: ignore[arg-type]
    assert info.value.exit_code == 2
    assert info.value.lines()[-2:] == [f"{prod.path}: forecast: 1 blocker(s): AWS would refuse this deploy",  # type: ignore[attr-defined]
                                       "hint: fix each blocker above (its fix is on its line), then rerun"]
    record = json.loads((tmp_path / prod.name / "forecast.json").read_text())  # type: ignore[attr-defined]
    assert record["blockers"] == 1 and record["online"] is False
    assert record["findings"][0]["code"] == "MLPROV-F002"
