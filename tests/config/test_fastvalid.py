"""The fast schema verdict equals jsonschema's, on every shipped config and on many hostile mutations of them.

validate_data trusts a *valid* verdict without running jsonschema, so the verdict must never say valid where
jsonschema finds an error; these tests check the stronger property that the two agree both ways.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import FormatChecker
from mlprov.config.fastvalid import UnsupportedSchema, _Compiler, verdict
from mlprov.config.loader import validate_data
from mlprov.config.tierschema import TIERS, validator
from mlprov.config.yamlload import load
from referencing import Registry

from tests.conftest import PRODUCTS
from tests.treeedit import drop_at, set_at

HOSTILE: list[Any] = [
    None, True, False, 0, 1, -1, 90, 90.0, 91.0, 1.5, float("nan"), "", " ", "x", "ab", "a" * 41, "a" * 300, "\n",
    "é", "tabc123", "wl", "a-wl-b", "x-tabc123", "a001", "A001", "123456789012", "12345678901", "us-west-2",
    "us-gov-west-1", "xx-west-2", "dev", "prod", "s3", "codecommit", "connection", "direct", "ssm", "standalone",
    "existing", "create", "endpoints", "nat", "starter", "professional", "enterprise", "a@b.co", "a@b", "@",
    "vpc-0a1b2c3d", "vpc-0a1b2c3d4e5f67890", "subnet-0a1b2c3d", "10.0.0.0/16", "0.0.0.0/0", "/network/vpc",
    "/aws/x", "b.zip", "my-bucket", "my-org/model-build", "main", "aws:x", [], ["a"], ["a", "a"],
    ["subnet-0a1b2c3d", "subnet-1a1b2c3d"], ["subnet-0a1b2c3d", "subnet-0a1b2c3d"], {}, {"a": "b"}, {"aws:x": "y"},
    {"type": "s3"}, {"type": "connection"}, {"type": "codecommit"}, {"type": "codecommit", "branch": "main"},
    {"k": 1}, {"k" + str(i): "v" for i in range(21)},
]  # fmt: skip


def _configs() -> list[dict[str, Any]]:
    return [load(path.read_text(encoding="utf-8")) for path in PRODUCTS]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _mutations(data: dict[str, Any], donors: dict[Any, list[Any]]) -> Iterator[Any]:
    for path in _paths(data):
        for value in HOSTILE + donors.get(path[-1] if path else None, []):
            yield set_at(data, path, value)
        if path:
            yield drop_at(data, path)
        target = data
        for part in path:
            target = target[part]
        if isinstance(target, dict):
            yield set_at(data, (*path, "unexpected"), "x")
            for key in ("vpc_id", "subnet_ids", "vpc_id_parameter", "ecr_endpoints", "seed", "branch", "workload"):
                yield set_at(data, (*path, key), True)


def _agree(data: Any) -> bool:
    tier = data.get("tier") if isinstance(data, dict) else None
    tiers = [tier] if tier in TIERS else list(TIERS)
    for each in tiers:
        expected = validator(each).is_valid(data)
        assert verdict(each)(data) is expected, (each, data)
    return bool(expected)


def test_shipped_configs_are_valid_by_both() -> None:
    assert PRODUCTS
    for data in _configs():
        assert _agree(data)


def test_mutations_of_every_shipped_config_get_the_same_verdict() -> None:
    configs = _configs()
    donors: dict[Any, list[Any]] = {}  # each field's values in the other configs
    for data in configs:
        for key, value in data.items():
            if value not in donors.setdefault(key, []):
                donors[key].append(value)
    # Each config gets every third mutation (offset by its index): the configs share their fields, so together they
    # still try every hostile value on every field, in a third of the time.
    outcomes = {
        _agree(m)
        for i, data in enumerate(configs)
        for j, m in enumerate(_mutations(data, donors))
        if j % 3 == i % 3
    }
    assert outcomes == {True, False}  # the mutations reach both verdicts


@pytest.mark.parametrize("tier", TIERS)
def test_non_mapping_instances(tier: str) -> None:
    for value in HOSTILE:
        assert verdict(tier)(value) is validator(tier).is_valid(value)


def test_validate_data_messages_unchanged_by_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the fast verdict forced to 'invalid', jsonschema alone decides: same problems as with it."""
    configs = _configs()
    cases = [(path, m) for path, data in zip(PRODUCTS, configs, strict=True) for m in list(_mutations(data, {}))[::29]]
    fast = [validate_data(path, m) for path, m in cases]
    monkeypatch.setattr("mlprov.config.loader.verdict", lambda tier: lambda data: False)
    assert [validate_data(path, m) for path, m in cases] == fast


def _compile(schema: Any) -> Any:
    from referencing.jsonschema import DRAFT202012

    resolver = Registry().resolver_with_root(DRAFT202012.create_resource(schema))
    return _Compiler(FormatChecker()).compile(schema, resolver, root=True)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"minimum": 3}, "keyword 'minimum'"),
        ({"additionalProperties": False, "patternProperties": {"a": {}}}, "patternProperties"),
        ({"items": {}, "prefixItems": [{}]}, "prefixItems"),
        ({"properties": {"a": {"$id": "https://x.example/a"}}}, "a subschema with its own $id or $schema"),
        ({"$schema": "http://json-schema.org/draft-07/schema#"}, "$schema 'http://json-schema.org/draft-07/schema#'"),
    ],
)
def test_unsupported_schema_refused_at_build(schema: Any, message: str) -> None:
    with pytest.raises(UnsupportedSchema) as info:
        _compile(schema)
    assert str(info.value) == message


def test_annotations_are_ignored_like_jsonschema() -> None:
    check = _compile({"description": "d", "x-fix": "f", "title": "t", "$defs": {"a": {"type": "string"}}})
    assert check(1) and check("x")
