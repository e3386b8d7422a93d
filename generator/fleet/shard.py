"""``--shard K/N``: split a list of products over N CI runners, stably by name.

A product's shard is ``sha256(name) mod N`` (K counts from 1): adding or removing a product never moves another
one to a different runner (its cache and its history stay with it), and every runner computes the same split
without talking to the others. The shards are not equal in size (a hash is not a round-robin); with hundreds of
products they are close (bench/bench_fleet.py prints the sizes).
"""

from __future__ import annotations

import hashlib
import re

from mlprov.errors import UserError

_SPEC = re.compile(r"([0-9]+)/([0-9]+)")


def parse(spec: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; a usage error naming the option otherwise."""
    match = _SPEC.fullmatch(spec.strip())
    if not match:
        raise UserError(f"--shard {spec}: expected K/N, e.g. 2/4", hint="K is this runner's shard (1..N), N the number of runners")
    k, n = int(match.group(1)), int(match.group(2))
    if n < 1 or not 1 <= k <= n:
        raise UserError(f"--shard {spec}: K must be between 1 and N (N at least 1)", hint="e.g. --shard 1/4 ... --shard 4/4")
    return k, n


def shard_of(name: str, n: int) -> int:
    """The shard (1..n) of one product name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n + 1


def select(names: list[str], k: int, n: int) -> list[str]:
    """The names of shard K of N, in the given order."""
    return [name for name in names if shard_of(name, n) == k]
