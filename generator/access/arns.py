"""The ARNs of a product's resources, and the exact IAM patterns that also cover its test copies.

A test copy (``test-deploy``) names everything ``<prefix>-t<6 hex>-<suffix>``, shortened with a 6-hex hash
where a service limit needs it (``mlprov.config.names.fit``). Its patterns are found from the copy's ARNs
for several suffixes (:data:`TEST_SUFFIXES`): positions that differ become ``?`` (exactly one character). The
copies are the product's own rendering with its names translated, checked on one rendered copy per structural
shape (:func:`copy_arns`, :mod:`mlprov.access.copyshape`).
So ``<prefix>-build`` gets ``<prefix>-t??????-build``, never ``<prefix>*``, which would also match the sibling
product ``<prefix>-blue`` (workload token) and any name an attacker picks.

Resources whose id AWS picks (KMS keys, security groups, VPC endpoints; SNS subscriptions are authorized on
their topic) have no ARN known in advance: :data:`AWS_NAMED` lists them; their statements are scoped by the
``mlprov:product`` tag instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mlprov.access import copyshape
from mlprov.config.model import Product
from mlprov.config.names import Names
from mlprov.config.regions import partition as partition_of

AWS_NAMED = frozenset({"AWS::KMS::Key", "AWS::EC2::SecurityGroup", "AWS::EC2::VPCEndpoint"})
# Every hex position differs between the first two; eight renderings make a hash position that happens to agree
# in all of them (probability 16**-7 per position) practically impossible, and the tests check the patterns.
TEST_SUFFIXES = ("t000000", "tffffff", "t123456", "tabcdef", "t0f1e2d", "t9a8b7c", "t5a5a5a", "tc3c3c3")


# Regional types whose name the template fixes: (service, name property, resource parts after
# ``arn:<partition>:<service>:<region>:<account>:``).
_REGIONAL: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "AWS::SageMaker::ModelPackageGroup": ("sagemaker", "ModelPackageGroupName", ("model-package-group/{}",)),
    "AWS::CodeCommit::Repository": ("codecommit", "RepositoryName", ("{}",)),
    "AWS::CodeBuild::Project": ("codebuild", "Name", ("project/{}",)),
    "AWS::CodePipeline::Pipeline": ("codepipeline", "Name", ("{}", "{}/*")),  # and its stages
    "AWS::SSM::Parameter": ("ssm", "Name", ("parameter{}",)),
    "AWS::Events::Rule": ("events", "Name", ("rule/{}",)),
    "AWS::CloudWatch::Alarm": ("cloudwatch", "AlarmName", ("alarm:{}",)),
    "AWS::KMS::Alias": ("kms", "AliasName", ("{}",)),
    "AWS::Logs::LogGroup": ("logs", "LogGroupName", ("log-group:{}", "log-group:{}:*")),
    "AWS::SNS::Topic": ("sns", "TopicName", ("{}",)),
}


# Every type resource_arns gives ARNs to: it reads no other resource than one of these (tests/access check it).
NAMED_TYPES = frozenset({"AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::S3::Bucket", "AWS::CloudWatch::Dashboard",
                         *_REGIONAL})


def _name(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def resource_arns(template: Mapping[str, Any]) -> dict[str, list[str]]:
    """Logical id -> the ARNs of that resource whose name the template fixes (plus ``stack`` -> the stack's)."""
    meta = template["Metadata"]["MlProvisioner"]
    acct, region, stack = meta["AccountId"], meta["Region"], meta["StackName"]
    part = partition_of(region)

    def reg(service: str) -> str:
        return f"arn:{part}:{service}:{region}:{acct}"

    out: dict[str, list[str]] = {"stack": [f"{reg('cloudformation')}:stack/{stack}/*"]}
    for logical, res in template["Resources"].items():
        t, p = res["Type"], res.get("Properties", {})
        arns: list[str] = []
        if t == "AWS::IAM::Role":
            arns = [f"arn:{part}:iam::{acct}:role{p.get('Path', '/')}{p['RoleName']}"]
        elif t == "AWS::IAM::ManagedPolicy":
            arns = [f"arn:{part}:iam::{acct}:policy{p.get('Path', '/')}{p['ManagedPolicyName']}"]
        elif t == "AWS::S3::Bucket" and (name := _name(p.get("BucketName"))):
            arns = [f"arn:{part}:s3:::{name}", f"arn:{part}:s3:::{name}/*"]
        elif t == "AWS::CloudWatch::Dashboard":
            arns = [f"arn:{part}:cloudwatch::{acct}:dashboard/{p['DashboardName']}"]
        elif t in _REGIONAL:
            service, prop, forms = _REGIONAL[t]
            arns = [f"{reg(service)}:{form.format(p[prop])}" for form in forms]
        if arns:
            out[logical] = arns
    return out


def _merge(*names: str) -> str:
    """The names with ``?`` at each position where they differ (they have one length).

    Only the window from the first to the last differing position is compared character by character: outside it
    every name has the first's characters. The window is found at C speed: each character is 32 bits of the
    UTF-32 encoding (``surrogatepass``: every str encodes, one code point per character), so the OR of the first's
    XOR with every other is nonzero exactly in the 32-bit chunks of the positions where some name differs."""
    if len({len(n) for n in names}) != 1:
        raise ValueError(f"test-copy names differ in length: {names!r}")
    first, width = names[0], len(names[0])
    own = int.from_bytes(first.encode("utf-32-be", "surrogatepass"), "big")
    differ = 0
    for other in names[1:]:
        differ |= own ^ int.from_bytes(other.encode("utf-32-be", "surrogatepass"), "big")
    if not differ:
        return first
    lo = width - (differ.bit_length() + 31) // 32  # the chunk of the highest set bit: the first differing position
    hi = width - ((differ & -differ).bit_length() - 1) // 32  # just after the last one (the lowest set bit's chunk)
    n = len(names)
    window = zip(*(name[lo:hi] for name in names), strict=True)
    return first[:lo] + "".join(chars[0] if chars.count(chars[0]) == n else "?" for chars in window) + first[hi:]


@dataclass(frozen=True)
class ProductArns:
    """A product's ARNs by logical id: its own, and the patterns of its test copies."""

    own: dict[str, list[str]]
    tests: dict[str, list[str]]

    def of(self, logical: str) -> list[str]:
        return [*self.own.get(logical, []), *self.tests.get(logical, [])]

    def all(self) -> list[str]:
        return sorted({a for logical in self.own for a in self.of(logical)})


def _render(product: Product) -> dict[str, Any]:
    from mlprov.render.engine import render  # noqa: PLC0415

    return render(product)[1]


# Test-copy patterns by product (path, config, suffix): they depend on nothing else, and cost renderings.
_TESTS: dict[tuple[str, str, str | None], dict[str, list[str]]] = {}


def product_arns(product: Product, template: Mapping[str, Any] | None = None) -> ProductArns:
    """``template``: the product's rendering when the caller has it (every policy caller does), else rendered here."""
    key = (str(product.path), repr(product.config), product.test_suffix)
    own = template if template is not None else _render(product)
    if key not in _TESTS:
        copies = copy_arns(product, own)
        _TESTS[key] = {k: [_merge(*names) for names in zip(*(c[k] for c in copies), strict=True)] for k in copies[0]}
    return ProductArns(resource_arns(own), _TESTS[key])


def copy_arns(product: Product, own: Mapping[str, Any] | None = None) -> list[dict[str, list[str]]]:
    """resource_arns of the test copy for each of :data:`TEST_SUFFIXES`, from one or two renderings instead of eight.

    The copies differ from each other only in their physical names (:class:`mlprov.config.names.Names`; every
    suffix has the same length, so the same names are shortened), and from the product (``own``, its rendering)
    in their names and in the resources a copy does not create (private-DNS endpoints: ``Product.endpoints_mode``).
    So each copy is predicted by translating every name of a rendering already at
    hand into the copy's (:func:`translated`):

    0. from the product's own rendering, without rendering a copy, when a product of the same structural shape
       (:mod:`mlprov.access.copyshape`) was checked by step 1 in this process;
    1. from the product's own rendering, kept to the first copy's resources, when that predicts the first copy
       exactly (one rendering in all);
    2. else from the first copy, when that predicts the second copy (rendered too) exactly;
    3. else (a name the templates build other than from ``Names``, or two names equal in the source of the
       translation that differ in a copy) every copy is rendered.
    """
    copies = [product.for_test(s) for s in TEST_SUFFIXES]
    shape = copyshape.shape_key(product, own) if own is not None else None
    if own is not None and shape is not None and (dropped := copyshape.trusted(shape)) is not None:
        # 0. a product of this shape was checked against its rendered copy: translate without rendering
        trusted = _predicted(product.names, own, copies, set(resource_arns(own)) - dropped)
        if trusted is not None:
            return trusted
    first = _render(copies[0])
    first_arns = resource_arns(first)
    from_own = _predicted(product.names, own, copies, set(first_arns)) if own is not None else None
    if from_own is not None and from_own[0] == first_arns:
        if own is not None and shape is not None:
            copyshape.record(shape, frozenset(resource_arns(own)) - frozenset(first_arns))
        return from_own
    second = _render(copies[1])
    from_first = _predicted(copies[0].names, first, copies[1:], set(first_arns))
    if from_first is not None and from_first[0] == resource_arns(second):
        return [first_arns, *from_first]
    return [first_arns, resource_arns(second), *(resource_arns(_render(c)) for c in copies[2:])]


def _predicted(names: Names, source: Mapping[str, Any], copies: list[Product],
               keep: set[str]) -> list[dict[str, list[str]]] | None:
    """resource_arns of each copy, as ``source`` (a rendering with ``names``) translated, kept to the logical ids
    in ``keep``; None when a translation is ambiguous or ``source`` lacks one of them.

    Every copy's table translates the same strings (``names``' values), so the projection :func:`translated`
    makes and the places holding one of those strings are found once; each copy replaces only those places
    (the same result as ``translated(source, table)``, without rebuilding the projection per copy)."""
    base = translated(source, {})
    # Only the resources of the types resource_arns names: it reads nothing of the others (each has a Type and
    # Properties in the projection, so nothing raises there either), and keeps their order.
    named = {lid: r for lid, r in base["Resources"].items() if r["Type"] in NAMED_TYPES}
    names_of = set(name_values(names).values())
    meta = base["Metadata"]["MlProvisioner"]
    meta_spots = [k for k, v in meta.items() if isinstance(v, str) and v in names_of]
    spots = {lid: keys for lid, r in named.items()
             if (keys := [k for k, v in r["Properties"].items() if isinstance(v, str) and v in names_of])}
    out: list[dict[str, list[str]]] = []
    for copy in copies:
        table = translation(names, copy.names)
        if table is None:
            return None
        resources = dict(named)
        for lid, keys in spots.items():
            props = dict(resources[lid]["Properties"])
            for k in keys:
                props[k] = table[props[k]]
            resources[lid] = {"Type": resources[lid]["Type"], "Properties": props}
        view = {"Metadata": {"MlProvisioner": {**meta, **{k: table[meta[k]] for k in meta_spots}}}, "Resources": resources}
        arns = resource_arns(view)
        if not keep <= set(arns):
            return None
        out.append({k: v for k, v in arns.items() if k in keep})
    return out


def name_values(names: Names) -> dict[str, str]:
    """Every physical name of a ``Names`` (each property, and the SSM parameter of every output), by field."""
    return dict(_name_values(names))


@lru_cache(maxsize=64)
def _name_values(names: Names) -> tuple[tuple[str, str], ...]:
    """Memoized on the (frozen) ``Names``: a product and its copies are asked for again by every copy's table."""
    from mlprov.render.context import OUTPUT_SOURCES  # noqa: PLC0415 - the renderer's, loaded with it

    out = {attr: str(getattr(names, attr)) for attr, member in vars(Names).items() if isinstance(member, property)}
    out |= {f"ssm:{output}": names.ssm(output) for output in OUTPUT_SOURCES}
    return tuple(out.items())


def translation(first: Names, other: Names) -> dict[str, str] | None:
    """``first``'s names -> ``other``'s; None when two names equal in ``first`` differ in ``other`` (ambiguous)."""
    a, b = name_values(first), name_values(other)
    out: dict[str, str] = {}
    for field, value in a.items():
        if out.setdefault(value, b[field]) != b[field]:
            return None
    return out


def translated(template: Mapping[str, Any], table: Mapping[str, str]) -> dict[str, Any]:
    """What :func:`resource_arns` reads of a rendering (``Metadata.MlProvisioner``, each resource's ``Type`` and
    top-level ``Properties``), every string that is one of the copy's names replaced by its translation."""
    def tr(values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: table.get(v, v) if isinstance(v, str) else v for k, v in values.items()}

    return {"Metadata": {"MlProvisioner": tr(template["Metadata"]["MlProvisioner"])},
            "Resources": {lid: {"Type": r["Type"], "Properties": tr(r.get("Properties", {}))}
                          for lid, r in template["Resources"].items()}}


def tag_values(product: Product) -> list[str]:
    """``mlprov:product`` values of the product and of its test copies (an exact StringLike pattern)."""
    return [product.prefix, _merge(*(product.for_test(s).prefix for s in TEST_SUFFIXES))]


def stack_names(product: Product) -> list[str]:
    return [product.names.stack, _merge(*(product.for_test(s).names.stack for s in TEST_SUFFIXES))]
