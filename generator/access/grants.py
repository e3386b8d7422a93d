"""Grants (actions on resources under one condition), merged into IAM statements; scoped, never ``*`` actions."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mlprov.errors import MlprovError


class PolicyError(MlprovError):
    """A generated policy would break one of its own guarantees (a generator bug, exit 4)."""


@dataclass
class Grants:
    """Accumulates (action, resources, condition) and renders them as statements, grouped and sorted."""

    _by_scope: dict[tuple[tuple[str, ...], str], set[str]] = field(default_factory=lambda: defaultdict(set))
    _sids: dict[tuple[tuple[str, ...], str], str] = field(default_factory=dict)

    def add(self, actions: Iterable[str], resources: Iterable[str], condition: Mapping[str, Any] | None = None,
            sid: str | None = None) -> None:
        res = tuple(sorted(set(resources)))
        acts = set(actions)
        if not res or not acts:
            return
        bad = [a for a in acts if "*" in a]
        if bad:
            raise PolicyError(f"refusing to grant wildcard actions {sorted(bad)}")
        key = (res, json.dumps(condition, sort_keys=True) if condition else "{}")  # json.dumps({}) is "{}"
        self._by_scope[key] |= acts
        if sid:
            self._sids.setdefault(key, sid)

    def statements(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for key in sorted(self._by_scope, key=lambda k: (k[0] == ("*",), k[1] != "{}", sorted(self._by_scope[k])[0])):
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
    services = sorted({a.split(":")[0] for a in actions})
    words = "".join(w.capitalize() for s in services for w in re.split(r"[^a-z0-9]+", s) if w)
    if resources == ("*",):
        return "NoResourceLevelPermissions" if condition == "{}" else f"{words}CreateTagged"
    return f"{words}{'Tagged' if 'Tag/' in condition else ''}{'Conditioned' if condition != '{}' else 'Scoped'}"
