"""An action scoped once per principal (servicerole: per product; drift: its read handlers) against the previous
per-(resource, action) loops, kept here verbatim: the same statements and the same errors (naming the first
resource) on every shipped example, on hostile pools and on contexts where nothing matches."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from mlprov.access import accountroles, dependent, iamref, servicerole
from mlprov.access.grants import Grants, PolicyError
from mlprov.access.scoping import Ctx, may_be_special, scope, special
from mlprov.config.model import Product

from tests.access.test_scope_plan import _example, _hostile
from tests.conftest import PRODUCTS


def reference_service_statements(product: Product, template: Mapping[str, Any], ctx: Ctx) -> list[dict[str, Any]]:
    grants = Grants()
    for logical, acts in servicerole.needed_actions(template, ctx.handler_permissions).items():
        for action in sorted(acts):
            if action in servicerole.SEED_READS and servicerole._seed_archive(ctx, grants, logical, action):
                continue
            if not (may_be_special(action) and special(ctx, grants, action)):
                scope(ctx, grants, action, logical)
        res = ctx.resources[logical]
        for use in dependent.kms_uses(res["Type"], res.get("Properties", {})):
            cond = {**ctx.tag_condition("aws:ResourceTag"),
                    "StringEquals": {"kms:ViaService": f"{use.service}.{ctx.region}.amazonaws.com"}}
            grants.add([iamref.require(a, use.source) for a in use.actions],
                       [f"arn:{ctx.part}:kms:{ctx.region}:{ctx.acct}:key/*"], cond, sid=f"KmsVia{use.service.capitalize()}")
    servicerole._tag_on_create(ctx, grants)
    servicerole._parameters(ctx, grants)
    return grants.statements()


def reference_drift_reads(ctx: Ctx) -> list[dict[str, Any]]:
    grants = Grants()
    for logical, perms in ctx.handler_permissions.items():
        for action in perms.get("read", []):
            if iamref.is_read_only(action):
                scope(ctx, grants, action, logical)
    return grants.statements()



def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except PolicyError as e:
        return ("error", str(e))


def _contexts(path: Path) -> list[tuple[Product, dict[str, Any], Any]]:
    product, template = _example(path)

    def empty(ctx: Ctx) -> Ctx:  # nothing of the product matches: the strict error, naming the first resource
        ctx.all_arns, ctx.read_only_arns = [], []
        ctx._matches, ctx._plans, ctx._by_service, ctx._joined = {}, {}, {}, {}
        return ctx

    return [(product, template, lambda: Ctx(product, template)),
            (product, template, lambda: _hostile(Ctx(product, template))),
            (product, template, lambda: empty(Ctx(product, template)))]


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_the_service_role_as_the_per_pair_loop(path: Path) -> None:
    for product, template, ctx in _contexts(path):
        mine = _outcome(servicerole.statements, product, template, ctx())
        assert mine == _outcome(reference_service_statements, product, template, ctx())


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_the_drift_role_as_the_per_pair_loop(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for product, template, ctx in _contexts(path):
        full = _outcome(accountroles.statements, "drift", product, template, ctx())
        with monkeypatch.context() as m:  # the drift loop alone: no tool actions, no PassRole
            m.setattr(accountroles, "_tool_actions", lambda kind: ())
            mine = _outcome(accountroles.statements, "drift", product, template, ctx())
        assert mine == _outcome(reference_drift_reads, ctx())
        assert full == _reference_drift(product, template, ctx())  # the whole drift role: the tool loop too


def _reference_drift(product: Product, template: Mapping[str, Any], ctx: Ctx) -> Any:
    try:
        grants = Grants()
        for action in accountroles._tool_actions("drift"):
            if action in accountroles.TEMPLATE_OBJECTS:
                grants.add([action], accountroles.template_bucket_objects(product), sid="TemplatesThroughTheBootstrapBucket")
            elif action != "cloudformation:CreateChangeSet":
                scope(ctx, grants, action, "tool", strict=False)
        for logical, perms in ctx.handler_permissions.items():
            for action in perms.get("read", []):
                if iamref.is_read_only(action):
                    scope(ctx, grants, action, logical)
        return grants.statements()
    except PolicyError as e:
        return ("error", str(e))


def test_the_contexts_reach_errors_and_statements() -> None:
    """The comparisons above are not vacuous: the empty pools fail strictly, the others grant."""
    kinds = set()
    for path in PRODUCTS:
        for product, template, ctx in _contexts(path):
            out = _outcome(servicerole.statements, product, template, ctx())
            kinds.add("error" if isinstance(out, tuple) else "statements")
            out = _outcome(reference_drift_reads, ctx())
            kinds.add("drift-error" if isinstance(out, tuple) else "drift-statements")
    assert kinds == {"error", "statements", "drift-error", "drift-statements"}


def test_the_strict_error_names_the_first_resource_needing_the_action() -> None:
    product, template = _example(PRODUCTS[0])
    ctx = Ctx(product, template)
    ctx.all_arns, ctx.read_only_arns = [], []
    ctx._matches, ctx._plans, ctx._by_service, ctx._joined = {}, {}, {}, {}
    first = next(lid for lid, acts in servicerole.needed_actions(template, ctx.handler_permissions).items() if acts)
    with pytest.raises(PolicyError, match=f"^{first}: .* would match none of the product's resources"):
        servicerole.statements(product, template, ctx)
