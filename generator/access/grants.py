"""Grants (actions on resources under one condition), merged into IAM statements; scoped, never ``*`` actions."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mlprov.errors import MlprovError


class PolicyError(MlprovError):
    """A generated policy would break one of its own guarantees (a generator bug, exit 4)."""


ScopeKey = tuple[tuple[str, ...], str]


def scope_key(resources: Iterable[str], condition: Mapping[str, Any] | None = None) -> ScopeKey | None:
    """What :meth:`Grants.add` merges by: the sorted distinct resources and the condition's canonical JSON; None
    for no resources (``add`` grants nothing then)."""
    res = tuple(sorted(set(resources)))
    return (res, _condition_json(condition)) if res else None


def _condition_json(condition: Mapping[str, Any] | None) -> str:
    return json.dumps(condition, sort_keys=True) if condition else "{}"  # json.dumps({}) is "{}"


@dataclass
class Grants:
    """Accumulates (action, resources, condition) and renders them as statements, grouped and sorted."""

    _by_scope: dict[ScopeKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    _sids: dict[ScopeKey, str] = field(default_factory=dict)

    def add(self, actions: Iterable[str], resources: Iterable[str], condition: Mapping[str, Any] | None = None,
            sid: str | None = None) -> None:
        res = tuple(sorted(set(resources)))
        acts = set(actions)
        if not res or not acts:
            return
        bad = [a for a in acts if "*" in a]
        if bad:
            raise PolicyError(f"refusing to grant wildcard actions {sorted(bad)}")
        key = (res, _condition_json(condition))
        self._by_scope[key] |= acts
        if sid:
            self._sids.setdefault(key, sid)

    def add_keyed(self, action: str, keys: tuple[ScopeKey, ...]) -> None:
        """``add([action], resources, condition)`` for each (resources, condition) whose :func:`scope_key` is in
        ``keys`` (none of them None), in order: the same merge, the same refusal of a wildcard action, raised at
        the first key as ``add`` raises at the first non-empty resource list."""
        if keys and "*" in action:
            raise PolicyError(f"refusing to grant wildcard actions {[action]}")
        for key in keys:
            self._by_scope[key].add(action)

    def statements(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for key in sorted(self._by_scope, key=lambda k: (k[0] == ("*",), k[1] != "{}", min(self._by_scope[k]))):
            res, cond = key
            acts = sorted(self._by_scope[key])
            st: dict[str, Any] = {"Sid": self._sids.get(key) or _sid(acts, res, cond), "Effect": "Allow",
                                  "Action": acts if len(acts) > 1 else acts[0],
                                  "Resource": list(res) if len(res) > 1 else res[0]}
            if cond != "{}":
                st["Condition"] = json.loads(cond)
            out.append(st)
        used: set[str] = set()
        for st in out:
            base, n = st["Sid"], 1
            while st["Sid"] in used:
                n += 1
                st["Sid"] = f"{base}{n}"
            used.add(st["Sid"])
        return out


def _sid(actions: list[str], resources: tuple[str, ...], condition: str) -> str:
    words = _words(tuple(sorted({a.split(":")[0] for a in actions})))
    if resources == ("*",):
        return "NoResourceLevelPermissions" if condition == "{}" else f"{words}CreateTagged"
    return f"{words}{'Tagged' if 'Tag/' in condition else ''}{'Conditioned' if condition != '{}' else 'Scoped'}"


@cache
def _words(services: tuple[str, ...]) -> str:
    """The services' words capitalized and joined (``codestar-connections`` -> ``CodestarConnections``): a
    function of the services only, memoized."""
    return "".join(w.capitalize() for s in services for w in re.split(r"[^a-z0-9]+", s) if w)
