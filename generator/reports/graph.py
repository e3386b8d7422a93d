"""The resource graph: resources as boxes, their Ref/GetAtt/Sub references as arrows, laid out in layers.

Layer 0 holds resources that reference nothing; every other resource sits one layer right of the deepest
resource it references. Within a layer, boxes are ordered by the mean position of their neighbours
(a few barycentre sweeps), which keeps most arrows short and few crossing. Pure Python: no graphviz.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.reports.intrinsics import GETATT, REF, SUB, references

NODE_H = 30
CHAR_W = 7  # px per character of a 12px label, generous
MIN_W = 180
GAP_X, GAP_Y = 90, 14
MARGIN = 16
SWEEPS = 4
KIND_ORDER = (GETATT, REF, SUB)


@dataclass
class Node:
    id: str
    type: str
    layer: int = 0
    x: int = 0
    y: int = 0

    @property
    def service(self) -> str:
        parts = self.type.split("::")
        return parts[1] if len(parts) > 2 else self.type


@dataclass
class Edge:
    source: str  # the referring resource
    target: str  # the referenced resource
    kinds: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def kind(self) -> str:
        """The kind that colours the arrow (GetAtt before Ref before Sub)."""
        return next(k for k in KIND_ORDER if k in self.kinds)


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    layers: int
    node_w: int
    node_h: int = NODE_H

    @property
    def services(self) -> list[str]:
        return sorted({n.service for n in self.nodes})


def edges_of(template: dict[str, Any]) -> list[Edge]:
    """One edge per (referring, referenced) pair of resources, with every kind of reference between them."""
    resources: dict[str, Any] = template.get("Resources", {}) or {}
    found: dict[tuple[str, str], Edge] = {}
    for lid, body in resources.items():
        for target, kind in references((body or {}).get("Properties", {})):
            if target == lid or target not in resources:
                continue
            edge = found.setdefault((lid, target), Edge(lid, target))
            if kind not in edge.kinds:
                edge.kinds.append(kind)
    return list(found.values())


def _layers(ids: list[str], deps: dict[str, list[str]]) -> dict[str, int]:
    layer: dict[str, int] = {}
    visiting: set[str] = set()

    def visit(n: str) -> int:
        if n in layer:
            return layer[n]
        if n in visiting:  # a cycle (CloudFormation refuses them): cut it here
            return 0
        visiting.add(n)
        layer[n] = 1 + max((visit(d) for d in deps[n]), default=-1)
        visiting.discard(n)
        return layer[n]

    for n in ids:
        visit(n)
    return layer


def _barycentre(n: str, near: list[str], pos: dict[str, int]) -> tuple[float, int]:
    where = [pos[m] for m in near]
    return (sum(where) / len(where) if where else float(pos[n]), pos[n])


def _order(columns: list[list[str]], deps: dict[str, list[str]], users: dict[str, list[str]]) -> None:
    """Barycentre sweeps: by referenced resources, then by referring ones, alternately."""
    for sweep in range(SWEEPS):
        neighbours = deps if sweep % 2 == 0 else users
        pos = {n: i for col in columns for i, n in enumerate(col)}
        for col in columns:
            col.sort(key=lambda n: _barycentre(n, neighbours[n], pos))


def layout(template: dict[str, Any]) -> Graph:
    """Boxes and arrows with coordinates, ready to draw."""
    resources: dict[str, Any] = template.get("Resources", {}) or {}
    ids = list(resources)
    edges = edges_of(template)
    deps: dict[str, list[str]] = {n: [] for n in ids}
    users: dict[str, list[str]] = {n: [] for n in ids}
    for e in edges:
        deps[e.source].append(e.target)
        users[e.target].append(e.source)
    layer = _layers(ids, deps)
    count = max(layer.values(), default=-1) + 1
    columns: list[list[str]] = [[n for n in ids if layer[n] == i] for i in range(count)]
    _order(columns, deps, users)
    node_w = max([MIN_W, *(CHAR_W * len(n) + 24 for n in ids)])
    tallest = max((len(c) for c in columns), default=0)
    height = 2 * MARGIN + tallest * NODE_H + max(tallest - 1, 0) * GAP_Y
    nodes: dict[str, Node] = {}
    for i, col in enumerate(columns):
        top = MARGIN + (tallest - len(col)) * (NODE_H + GAP_Y) // 2
        for j, n in enumerate(col):
            nodes[n] = Node(n, str((resources[n] or {}).get("Type", "")), i, MARGIN + i * (node_w + GAP_X), top + j * (NODE_H + GAP_Y))
    for e in edges:
        s, t = nodes[e.source], nodes[e.target]
        x1, y1 = s.x, s.y + NODE_H // 2
        x2, y2 = t.x + node_w, t.y + NODE_H // 2
        bend = max((x1 - x2) // 2, 30)
        e.path = f"M{x1},{y1} C{x1 - bend},{y1} {x2 + bend},{y2} {x2 + 6},{y2}"
    width = 2 * MARGIN + count * node_w + max(count - 1, 0) * GAP_X
    return Graph([nodes[n] for col in columns for n in col], edges, width, height, count, node_w)
