"""The test copies' ARNs computed faster, the same: arns._merge (the ``?`` patterns) against its previous
character-by-character form, and _predicted's view of the named types only."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from mlprov.access import arns
from mlprov.config.loader import load_product
from mlprov.render.engine import render

from tests.conftest import PRODUCTS


def reference_merge(*names: str) -> str:
    if len({len(n) for n in names}) != 1:
        raise ValueError(f"test-copy names differ in length: {names!r}")
    n = len(names)
    return "".join(chars[0] if chars.count(chars[0]) == n else "?" for chars in zip(*names, strict=True))


ALPHABET = "ab?0f-/:*\u00e9\u20ac\U0001f600\ud800\udfff\x00"


def test_random_names_of_every_alphabet_merge_as_before() -> None:
    rnd = random.Random(14)
    for _ in range(5000):
        width, count = rnd.randint(0, 12), rnd.randint(1, 9)
        base = "".join(rnd.choice(ALPHABET) for _ in range(width))
        names = []
        for _ in range(count):
            chars = list(base)
            for _ in range(rnd.randint(0, 3)):
                if chars:
                    chars[rnd.randrange(width)] = rnd.choice(ALPHABET)
            names.append("".join(chars))
        assert arns._merge(*names) == reference_merge(*names), names


@pytest.mark.parametrize("names", [("prefix-t000000-build", "prefix-tffffff-build", "prefix-t123456-build"),
                                   ("a", "a"), ("x",), ("", ""), ("\x00a", "\x00b"), ("ab", "ba"),
                                   ("\ud800z", "\udfffz"), ("\U0001f600", "\U0001f601")])
def test_edges_merge_as_before(names: tuple[str, ...]) -> None:
    assert arns._merge(*names) == reference_merge(*names)


@pytest.mark.parametrize("names", [(), ("ab", "abc"), ("", "a")])
def test_names_of_different_lengths_raise_the_same_error(names: tuple[str, ...]) -> None:
    with pytest.raises(ValueError) as mine:
        arns._merge(*names)
    with pytest.raises(ValueError) as theirs:
        reference_merge(*names)
    assert str(mine.value) == str(theirs.value)


@pytest.mark.parametrize("path", PRODUCTS, ids=lambda p: p.stem)
def test_resource_arns_reads_only_the_named_types(path: Path) -> None:
    """What _predicted drops from its views (every other type) changes nothing of resource_arns."""
    template = render(load_product(path))[1]
    only = {**template, "Resources": {lid: r for lid, r in template["Resources"].items() if r["Type"] in arns.NAMED_TYPES}}
    assert arns.resource_arns(only) == arns.resource_arns(template)
    # and every resource the full template gives ARNs is of a named type
    types = {template["Resources"][lid]["Type"] for lid in arns.resource_arns(template) if lid != "stack"}
    assert types <= arns.NAMED_TYPES


def test_a_type_outside_the_named_ones_gets_no_arn_whatever_its_properties() -> None:
    meta = {"MlProvisioner": {"AccountId": "123456789012", "Region": "eu-west-1", "StackName": "s"}}
    props = {"RoleName": "r", "Name": "n", "BucketName": "b", "TopicName": "t", "LogGroupName": "l"}
    for rtype in ("AWS::IAM::InstanceProfile", "AWS::S3::BucketPolicy", "AWS::Lambda::Function", "Custom::X"):
        assert arns.resource_arns({"Metadata": meta, "Resources": {"X": {"Type": rtype, "Properties": props}}}) == \
            {"stack": ["arn:aws:cloudformation:eu-west-1:123456789012:stack/s/*"]}
