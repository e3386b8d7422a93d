"""A fast yes/no verdict of a tier's JSON Schema: the schema compiled once into plain Python predicates.

Why: jsonschema spends most of a valid config's ~1.5 ms on machinery that does not depend on the config: it resolves
each ``$ref`` through ``referencing`` on every use (19 per product) and builds a new validator object (``evolve``)
for every subschema it descends into. The verdict itself is a few dozen ``isinstance``, ``re.search`` and ``in``
tests. :func:`verdict` does only those tests.

How it is used (:func:`mlprov.config.loader.validate_data`): when the verdict is *valid* the schema stage has no
errors and jsonschema is not run; when it is *invalid* jsonschema runs as before and its errors make the messages.
So every message still comes from jsonschema, and the only claim this module must keep is

    verdict(tier)(data) is True  ==>  validator(tier).iter_errors(data) yields nothing.

Why it holds: each schema keyword is compiled to a predicate whose code is the *same test* as jsonschema 4's keyword
function (``jsonschema/_keywords.py``) for "this keyword yields no error" -- for ``not`` and ``if`` the inner verdict
must be exact both ways, so every predicate is exact (valid iff jsonschema yields no error), not merely cautious:

- ``type``: the draft 2020-12 type checker's functions (``_types.py``: integer excludes bool and admits an integral
  float; number excludes bool; object is ``dict``, array is ``list``);
- ``pattern``: ``re.compile(p).search`` (what ``re.search(p, x)`` does), only when ``x`` is a ``str``;
- ``minLength``/``maxLength``/``minItems``/``maxItems``/``maxProperties``: ``len`` on the type they apply to;
- ``enum``/``const``: for string values ``==`` / set membership of an exact ``str`` (what jsonschema's equality
  does for a ``str``: ``==``); for any other value, and ``uniqueItems``, jsonschema itself (a validator of that one
  keyword, built once: its ``is_valid``), so the subtle equalities (``1`` vs ``True``, ``1.0`` vs ``1``) are its own;
- ``format``: the same :class:`~jsonschema.FormatChecker`'s ``conforms`` (False exactly when ``check`` raises the
  ``FormatError`` that the keyword turns into an error);
- ``required``/``properties``/``additionalProperties``/``propertyNames``/``items``: only on the type they apply to,
  extras computed as ``find_additional_properties`` does (no ``patternProperties`` in our schemas: refused);
- ``allOf``: all; ``not``: the negation; ``if``/``then``/``else``: the branch picked by the exact ``if`` verdict;
- ``$ref``: resolved once, at build time, through the public ``referencing`` API over the same registry
  (``Registry.resolver_with_root`` of the tier schema, which is how jsonschema makes its own resolver, then
  ``Resolver.lookup``: a pure function of the reference and the resolver), then compiled like any subschema.

Only public APIs of jsonschema and referencing are used (their private internals change between releases).

Keywords with no validating role (``description``, ``title``, ``x-fix``, ``$defs``, ...) are skipped, exactly as
jsonschema skips every key that is not in ``Draft202012Validator.VALIDATORS``. A validating keyword this module does
not implement, an ``$id``/``$schema`` inside a subschema or ``patternProperties`` raises at build time: a later
schema change fails loudly (every test that loads a config) instead of being judged by a partial compiler.
tests/config/test_fastvalid.py compares the verdict with jsonschema on every shipped config and many mutations.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from mlprov.config.tierschema import registry, validator
from referencing import Resource

Check = Callable[[Any], bool]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_TYPES: dict[str, Check] = {
    "string": lambda x: isinstance(x, str),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "integer": lambda x: (not isinstance(x, bool) and isinstance(x, int)) or (isinstance(x, float) and x.is_integer()),
    "number": lambda x: not isinstance(x, bool) and isinstance(x, numbers.Number),
}


class UnsupportedSchema(Exception):
    """The schema uses something this compiler does not implement (it never guesses)."""


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


def _jsonschema_itself(keyword: str, value: Any) -> Check:
    """The verdict of jsonschema on the one keyword (no reference, no format: nothing to resolve)."""
    return Draft202012Validator({keyword: value}).is_valid


def _equal_to(value: Any) -> Check:
    if isinstance(value, str):
        return lambda x: x == value  # jsonschema's equality with a str is ==
    return _jsonschema_itself("const", value)


def _one_of(values: list[Any]) -> Check:
    if all(isinstance(v, str) for v in values):
        strings = frozenset(values)
        # jsonschema's equality with a str v is v == x: for an exact str x that is set membership; else compare.
        return lambda x: x in strings if type(x) is str else any(v == x for v in values)
    return _jsonschema_itself("enum", values)


def _on_type(kind: str, test: Check) -> Check:
    is_kind = _TYPES[kind]
    return lambda x: not is_kind(x) or test(x)


class _Compiler:
    def __init__(self, formats: FormatChecker) -> None:
        self.formats = formats

    def compile(self, schema: Any, resolver: Any, root: bool = False) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"schema {schema!r} is neither a mapping nor a boolean")
        if not root and ("$id" in schema or "$schema" in schema):
            raise UnsupportedSchema("a subschema with its own $id or $schema")
        if schema.get("$schema", _DRAFT) != _DRAFT:
            raise UnsupportedSchema(f"$schema {schema['$schema']!r}")
        checks = [
            self._keyword(key, value, schema, resolver)
            for key, value in schema.items()
            if key in Draft202012Validator.VALIDATORS
        ]
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(check(x) for check in checks)

    def _keyword(self, key: str, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        sub = self.compile
        if key == "$ref":
            resolved = resolver.lookup(value)
            return sub(resolved.contents, resolved.resolver)
        if key == "type":
            kinds = [_TYPES[t] for t in ([value] if isinstance(value, str) else value)]
            return lambda x: any(kind(x) for kind in kinds)
        if key == "pattern":
            search = re.compile(value).search
            return _on_type("string", lambda x: search(x) is not None)
        if key == "format":
            formats, name = self.formats, value
            return lambda x: formats.conforms(x, name)
        if key in ("minLength", "maxLength", "minItems", "maxItems", "maxProperties"):
            kind = {"L": "string", "I": "array", "P": "object"}[key[3]]
            bound: int = value
            if key.startswith("min"):
                return _on_type(kind, lambda x: len(x) >= bound)
            return _on_type(kind, lambda x: len(x) <= bound)
        if key == "const":
            return _equal_to(value)
        if key == "enum":
            return _one_of(list(value))
        if key == "uniqueItems":
            return _jsonschema_itself("uniqueItems", True) if value else _always
        if key == "not":
            inner = sub(value, resolver)
            return lambda x: not inner(x)
        if key == "allOf":
            parts = [sub(s, resolver) for s in value]
            return lambda x: all(part(x) for part in parts)
        if key == "if":
            cond = sub(value, resolver)
            then = sub(schema.get("then", True), resolver)
            other = sub(schema.get("else", True), resolver)
            return lambda x: then(x) if cond(x) else other(x)
        if key == "required":
            names = list(value)
            return _on_type("object", lambda x: all(name in x for name in names))
        if key == "properties":
            props = [(name, sub(s, resolver)) for name, s in value.items()]
            return _on_type("object", lambda x: all(name not in x or check(x[name]) for name, check in props))
        if key == "additionalProperties":
            if "patternProperties" in schema:
                raise UnsupportedSchema("patternProperties")
            known = schema.get("properties", {})
            if isinstance(value, dict):
                extra = sub(value, resolver)
                return _on_type("object", lambda x: all(name in known or extra(v) for name, v in x.items()))
            if not value:
                return _on_type("object", lambda x: all(name in known for name in x))
            return _always  # jsonschema: a truthy non-mapping allows any extra property
        if key == "propertyNames":
            names_ok = sub(value, resolver)
            return _on_type("object", lambda x: all(names_ok(name) for name in x))
        if key == "items":
            if "prefixItems" in schema:
                raise UnsupportedSchema("prefixItems")
            each = sub(value, resolver)
            return _on_type("array", lambda x: all(each(item) for item in x))
        raise UnsupportedSchema(f"keyword {key!r}")


@cache
def verdict(tier: str) -> Check:
    """True exactly when jsonschema finds no error in a config of ``tier`` (built once per process)."""
    jsonschema_validator = validator(tier)
    formats = jsonschema_validator.format_checker
    if not isinstance(formats, FormatChecker):
        raise UnsupportedSchema("the tier validator has no FormatChecker")
    # The resolver jsonschema's own $ref lookups start from: the registry's, rooted at the tier schema.
    resolver = registry().resolver_with_root(Resource.from_contents(jsonschema_validator.schema))
    return _Compiler(formats).compile(jsonschema_validator.schema, resolver, root=True)
