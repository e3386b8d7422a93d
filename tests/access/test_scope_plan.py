"""The memoized scoping (one plan per context and action, replayed; the ARN pool by service; one context per
product) against the previous implementation, kept here verbatim as the reference: the same grants, statements,
contracts and errors on every shipped example, and on hostile pools and actions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from mlprov.access import accountroles, arnpool, iamref, principals, scoping, servicerole, toolcalls
from mlprov.access.grants import Grants, PolicyError
from mlprov.access.scoping import BOUNDARY_FROZEN, CREATOR, NETWORK_CALLS, TAGGED_BY_IAM_TYPE, Ctx, _foreign_endpoint_groups
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.errors import MlprovError
from mlprov.render.engine import render

from tests.conftest import PRODUCTS


def _reference_matching(ctx: Ctx, arn_format: str, read_only: bool) -> tuple[str, ...]:
    regex, literal = iamref.format_regex(arn_format), iamref.format_literal(arn_format)
    pool = [*ctx.all_arns, *ctx.read_only_arns] if read_only else ctx.all_arns
    return tuple(a for a in pool if literal in a and regex.match(a))


def reference_scope(ctx: Ctx, grants: Grants, action: str, logical: str, *, strict: bool = True) -> None:
    """scoping.scope before the plans (its matching over the whole pool, unmemoized)."""
    rtypes = iamref.resource_types(action)
    service, name = action.split(":", 1)
    if not rtypes:
        cond = ctx.tag_condition("aws:RequestTag") if action in ctx.creates else None
        grants.add([action], ["*"], cond)
        return
    matched = False
    frozen = set(ctx.boundary_arns) if action in BOUNDARY_FROZEN else set()
    read_only = iamref.is_read_only(action)
    for rname, fmt, _required in rtypes:
        named = _reference_matching(ctx, fmt, read_only)
        if frozen:
            named = tuple(a for a in named if a not in frozen)
        if named:
            grants.add([action], named)
            matched = True
        tagged = [t for t in TAGGED_BY_IAM_TYPE.get((service, rname), ()) if t in ctx.types]
        if tagged:
            key = "aws:RequestTag" if CREATOR[tagged[0]] == action else "aws:ResourceTag"
            grants.add([action], [iamref.fill(fmt, ctx.part, ctx.region, ctx.acct)], ctx.tag_condition(key))
            matched = True
        if rname in ("vpc", "subnet") and ctx.product.network and (
                action in NETWORK_CALLS or iamref.is_read_only(action)):
            grants.add([action], ctx.network_arns(rname))
            matched = True
        if rname == "security-group-rule" and name.startswith("Authorize") and "AWS::EC2::SecurityGroup" in ctx.types:
            grants.add([action], [iamref.fill(fmt, ctx.part, ctx.region, ctx.acct)])
        if service == "ec2" and rname == "security-group" and "VpcEndpoint" in name and _foreign_endpoint_groups(ctx):
            grants.add([action], [iamref.fill(fmt, ctx.part, ctx.region, ctx.acct)])
    if strict and not matched and not frozen:
        raise PolicyError(f"{logical}: {action} would match none of the product's resources; add a scope for it")


@cache
def _example(path: Path) -> tuple[Product, dict[str, Any]]:
    product = load_product(path)
    return product, render(product)[1]


def _reference_contract(product: Product, template: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setattr(accountroles, "scope", reference_scope)
        m.setattr(servicerole, "scope", reference_scope)
        m.setattr(principals, "Ctx", lambda product, template: None)  # each principal builds its own, as before
        return principals.contract(product, template)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_every_example_contract_is_the_reference_one(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    product, template = _example(path)
    assert principals.contract(product, template) == _reference_contract(product, template, monkeypatch)


def _outcome(scoper: Any, ctx: Ctx, action: str, strict: bool) -> tuple[Any, ...]:
    grants = Grants()
    try:
        scoper(ctx, grants, action, "Logical", strict=strict)
        scoper(ctx, grants, action, "Again", strict=strict)  # the second time from the plan
    except PolicyError as e:
        return ("error", str(e), dict(grants._by_scope))
    return (list(grants._by_scope.items()), grants.statements())


def _actions() -> list[str]:
    """The tool's calls, and every action of the services the products use (boundary-frozen ones included)."""
    services = ("s3", "ec2", "iam", "kms", "ssm", "logs", "codebuild", "codepipeline", "codecommit", "sagemaker",
                "events", "sns", "cloudwatch", "cloudformation", "route53", "codestar-connections", "codeconnections")
    return sorted({*toolcalls.actions(), *BOUNDARY_FROZEN, *(a for s in services for a in iamref.actions_of(s))})


def _hostile(ctx: Ctx) -> Ctx:
    """The context with a pool of ARNs that bend the by-service index: services in later fields, colons and
    slashes where the partition goes, no ``arn:`` start, spaces, the boundary among the read-only ones."""
    odd = ["arn:aws:sns:s3:::bucket", "arn:aws:s3:ec2:eu-west-1:1:vpc/x", "xarn:aws:s3:::b", "arn:aws/x:s3:::b",
           "arn:a b:s3:::b", "arn::s3:::b", "arn:aws:s3", "arn:aws:iam::123456789012:role/x:s3:::y",
           f"arn:{ctx.part}:ec2:{ctx.region}:{ctx.acct}:security-group/sg-1", "", ":", "arn:::::::"]
    ctx.all_arns = sorted({*ctx.all_arns, *odd})
    ctx.read_only_arns = [*ctx.read_only_arns, "arn:aws:kms:s3:x:key/1", *ctx.boundary_arns]
    ctx._matches, ctx._plans, ctx._by_service, ctx._joined = {}, {}, {}, {}
    return ctx


def _contexts() -> Iterator[tuple[str, Ctx, Ctx]]:
    for path in PRODUCTS[::4]:
        product, template = _example(path)
        yield path.stem, Ctx(product, template), Ctx(product, template)
        yield f"{path.stem}-hostile", _hostile(Ctx(product, template)), _hostile(Ctx(product, template))


@pytest.mark.parametrize("strict", [True, False])
def test_every_action_scopes_as_the_reference_on_examples_and_hostile_pools(strict: bool) -> None:
    actions = _actions()
    for name, mine, theirs in _contexts():
        for action in actions:
            assert _outcome(scoping.scope, mine, action, strict) == _outcome(reference_scope, theirs, action, strict), \
                (name, action)


def test_a_wildcard_or_unknown_action_is_refused_with_the_same_message() -> None:
    product, template = _example(PRODUCTS[0])
    ctx = Ctx(product, template)
    for action in ("s3:Get*", "*", "s3:NoSuchCall", "nocolon"):
        errors = []
        for scoper in (scoping.scope, reference_scope):
            with pytest.raises(MlprovError) as e:
                scoper(ctx, Grants(), action, "X")
            errors.append((type(e.value), str(e.value)))
        assert errors[0] == errors[1]
    wildcard = r"^refusing to grant wildcard actions \['s3:Get\*'\]$"
    with pytest.raises(PolicyError, match=wildcard):
        Grants().add(["s3:Get*"], ["b"])
    with pytest.raises(PolicyError, match=wildcard):
        Grants().add_keyed("s3:Get*", ((("b",), "{}"),))
    Grants().add(["s3:Get*"], [])  # no resources: nothing granted, nothing refused
    Grants().add_keyed("s3:Get*", ())


def test_the_strict_error_names_each_logical_id_from_the_memoized_plan() -> None:
    product, template = _example(PRODUCTS[0])
    ctx = _hostile(Ctx(product, template))
    ctx.all_arns, ctx.read_only_arns, ctx._matches, ctx._plans = [], [], {}, {}
    for logical in ("First", "Second"):
        with pytest.raises(PolicyError, match=f"^{logical}: s3:GetObject would match none of the product's resources"):
            scoping.scope(ctx, Grants(), "s3:GetObject", logical)


def test_the_index_holds_every_arn_a_format_can_match() -> None:
    """Every ARN format of IAM's reference for the products' services, on a hostile pool: the bucket filtered is
    the pool filtered, in the same order."""
    pool = ["arn:aws:sns:s3:::bucket", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:x:y:s3:::c", "arn:aws/x:s3:::b",
            "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/s3:x", "s3:arn:aws:s3:::b", "arn:aws:s3:::b\n",
            "arn:aws-cn:ec2:cn-north-1:1:vpc/v", "arn:aws:ec2:eu-west-1:1:subnet/s", "arn:aws:s3:ec2:x:1:vpc/v"]
    index = arnpool.by_service(pool)
    formats = {fmt for a in _actions() for _n, fmt, _r in iamref.resource_types(a)}
    assert any(arnpool.service_of(f) is None for f in ["arn:${Partition}:${Service}:x", "x", "arn:aws:s3:::b"])
    for fmt in sorted(formats):
        regex = iamref.format_regex(fmt)
        service = arnpool.service_of(fmt)
        bucket = pool if service is None else index.get(service, ())
        assert [a for a in bucket if regex.match(a)] == [a for a in pool if regex.match(a)], fmt


def test_a_condition_key_is_the_json_add_merges_by() -> None:
    grants, keyed = Grants(), Grants()
    grants.add(["s3:GetObject"], ["b", "a", "a"], {"B": {"x": 1}, "A": []})
    keyed.add_keyed("s3:GetObject", ((("a", "b"), json.dumps({"A": [], "B": {"x": 1}}, sort_keys=True)),))
    assert grants.statements() == keyed.statements()


def test_special_handles_no_action_that_may_be_special_rules_out() -> None:
    """servicerole skips special() where may_be_special is False: special returns False and grants nothing there."""
    actions = [*_actions(), "codestar-connections:PassConnection", "codeconnections:PassConnection"]
    for _name, ctx, _same in _contexts():
        for action in actions:
            grants = Grants()
            handled = scoping.special(ctx, grants, action)
            if not scoping.may_be_special(action):
                assert (handled, dict(grants._by_scope)) == (False, {}), action
