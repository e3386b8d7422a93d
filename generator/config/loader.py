"""Load and validate a product config: YAML, the tier's JSON Schema, and the file-name tokens.

Every problem becomes one line naming the file, the field path and the fix; all are reported at once
(:class:`~mlprov.errors.ConfigErrors`, exit 2).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from mlprov.config import connection, filename
from mlprov.config.fastvalid import verdict
from mlprov.config.messages import describe
from mlprov.config.model import Product
from mlprov.config.tierschema import TIERS, schema, validator
from mlprov.config.yamlload import YamlSyntaxError, load
from mlprov.errors import ConfigErrors, UserError
from mlprov.render import images


@cache
def _fixes() -> dict[str, str]:
    """Field path -> fix text, for 'field is missing' messages."""
    common = schema_defs()
    out: dict[str, str] = {}

    def hint(node: dict[str, Any]) -> str | None:
        ref = node.get("$ref", "")
        target = common.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
        description = node.get("description") or target.get("description")
        fix = node.get("x-fix") or target.get("x-fix")
        parts = [str(description).rstrip(".")] if description else []
        if fix:
            parts.append(str(fix))
        return "; ".join(parts) if parts else None

    for tier in TIERS:
        for name, node in schema(tier)["properties"].items():
            if (h := hint(node)) is not None:
                out.setdefault(name, h)
            for sub, subnode in node.get("properties", {}).items():
                if (h := hint(subnode)) is not None:
                    out.setdefault(f"{name}.{sub}", h)
    for sub in ("bucket", "build_key", "deploy_key"):
        out.setdefault(f"source.{sub}", str(common["source_s3"]["properties"][sub]["description"]))
    for sub in ("connection_arn", "build_repository", "deploy_repository"):
        node = common["source_connection"]["properties"][sub]
        target = common[node["$ref"].rsplit("/", 1)[-1]]
        out.setdefault(f"source.{sub}", f"{str(node['description']).rstrip('.')}; {target['x-fix']}")
    return out


def schema_defs() -> dict[str, Any]:
    from mlprov.config.tierschema import _load  # noqa: PLC0415

    defs: dict[str, Any] = _load("common")["$defs"]
    return defs


def _read(path: Path) -> Any:
    if not path.is_file():
        raise UserError(
            f"{path}: no such config file",
            hint="give a path, or a name under products/; run 'mlprov list-products' to see them",
        )
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise ConfigErrors(str(path), ["the file is empty: start from an example config under products/"])
    try:
        return load(text)
    except YamlSyntaxError as exc:
        raise ConfigErrors(str(path), [f"{exc}; fix the YAML syntax"]) from exc


def _schema_problems(tier: str, data: dict[str, Any]) -> list[str]:
    """jsonschema's errors of one config, one sorted line each."""
    errors = sorted(validator(tier).iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    type_errors = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    errors = [e for e in errors if e.validator == "type" or tuple(e.absolute_path) not in type_errors]
    problems: list[str] = []
    for err in errors:
        line = describe(err, _fixes())
        if line not in problems:
            problems.append(line)
    problems.sort()
    return problems


def validate_data(path: Path, data: Any) -> list[str]:
    """All problems of one config's content and file name, one line each (empty when valid)."""
    if not isinstance(data, dict):
        return ["the top level must be a mapping of fields (tier: ..., organization: ..., ...)"]
    tier = data.get("tier")
    if tier not in TIERS:
        if tier is None:
            return [f"field 'tier' is missing: add it (one of {', '.join(TIERS)})"]
        return [f"field 'tier': {tier!r} is not one of: {', '.join(TIERS)}"]
    # The exact fast verdict (mlprov.config.fastvalid) says whether jsonschema would find any error; only then is
    # jsonschema run, for its messages.
    problems = [] if verdict(tier)(data) else _schema_problems(str(tier), data)
    try:
        tokens = filename.parse(path)
    except filename.FileNameError as exc:
        hint = ""
        if not problems:
            hint = f" (expected for this content: {filename.expected_name(data)})"
        problems.append(f"file name: {exc}{hint}")
        return problems
    if not problems:
        problems.extend(filename.mismatches(tokens, data))
        problems.extend(connection.problems(data))
    region_checked = not any(p.startswith("field 'region'") for p in problems) and isinstance(data.get("region"), str)
    if region_checked and (region_problem := images.region_problem(str(data["region"]))):
        problems.append(region_problem)
    return problems


def load_product(path: Path) -> Product:
    """The validated product of one config file; raises ConfigErrors (exit 2) listing every problem."""
    data = _read(path)
    problems = validate_data(path, data)
    if problems:
        raise ConfigErrors(str(path), problems)
    return Product(path=path, config=data)
