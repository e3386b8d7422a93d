"""Region helpers: short codes used in name prefixes, and the partition of a region."""

from __future__ import annotations

_DIRECTIONS = {
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "central": "c",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}


def region_code(region: str) -> str:
    """``eu-west-1`` -> ``euw1``; ``us-gov-west-1`` -> ``usgovw1``; ``ap-southeast-2`` -> ``apse2``."""
    parts = region.split("-")
    if len(parts) < 2:
        return region  # not a region code (configs are validated first); keep it as given
    head, *rest, number = parts
    return head + "".join(_DIRECTIONS.get(w, w) for w in rest) + number


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
