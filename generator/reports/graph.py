"""The resource graph: resources as boxes, their Ref/GetAtt/Sub references as arrows, laid out in layers.

Layer 0 holds resources that reference nothing; every other resource sits one layer right of the deepest
resource it references. An arrow that spans several layers passes each layer in a slot of its own between the
boxes (a "dummy" node), so no arrow runs behind a box. Within a layer, boxes and slots are ordered by the mean
position of their neighbours (a few barycentre sweeps), which keeps few arrows crossing. Pure Python: no graphviz.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from mlprov.reports.intrinsics import GETATT, REF, SUB, references

NODE_H = 30
CHAR_W = 7  # px per character of a 12px label, generous
MIN_W = 180
GAP_X, GAP_Y = 90, 14
MARGIN = 16
SLOT = 12  # vertical room of an arrow passing through a layer
SWEEPS = 8
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
    points: list[tuple[int, int]] = field(default_factory=list)  # from the source's left side to the target's right

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


def _barycentre(n: str, near: list[str], pos: dict[str, float]) -> tuple[float, float]:
    where = [pos[m] for m in near]
    return (sum(where) / len(where) if where else pos[n], pos[n])


def _order(columns: list[list[str]], deps: dict[str, list[str]], users: dict[str, list[str]]) -> None:
    """Barycentre sweeps: by referenced resources, then by referring ones, alternately."""
    for sweep in range(SWEEPS):
        neighbours = deps if sweep % 2 == 0 else users
        pos = {n: (i + 0.5) / len(col) for col in columns for i, n in enumerate(col)}  # 0..1 in every column
        for col in columns:
            col.sort(key=lambda n: _barycentre(n, neighbours[n], pos))


def _dummy(e: Edge, layer: int) -> str:
    return f"~{e.source}>{e.target}@{layer}"  # "~" never appears in a logical id


def _path(points: list[tuple[int, int]]) -> str:
    """Curves across the gaps between layers, straight lines through the layers an arrow passes."""
    out = [f"M{points[0][0]},{points[0][1]}"]
    for i, ((xa, ya), (xb, yb)) in enumerate(pairwise(points)):
        if i % 2:
            out.append(f"L{xb},{yb}")
            continue
        last = i == len(points) - 2
        end = xb + 6 if last else xb  # room for the arrow head
        bend = max((xa - xb) // 2, 30)
        out.append(f"C{xa - bend},{ya} {xb + bend},{yb} {end},{yb}")
    return " ".join(out)


def layout(template: dict[str, Any]) -> Graph:
    """Boxes and arrows with coordinates, ready to draw."""
    resources: dict[str, Any] = template.get("Resources", {}) or {}
    ids = list(resources)
    edges = edges_of(template)
    deps: dict[str, list[str]] = {n: [] for n in ids}
    for e in edges:
        deps[e.source].append(e.target)
    layer = _layers(ids, deps)
    count = max(layer.values(), default=-1) + 1
    columns: list[list[str]] = [[n for n in ids if layer[n] == i] for i in range(count)]
    left: dict[str, list[str]] = {n: [] for n in ids}  # neighbours one layer left (referenced) and right (referring)
    right: dict[str, list[str]] = {n: [] for n in ids}
    for e in edges:
        chain = [e.source, *(_dummy(e, k) for k in range(layer[e.source] - 1, layer[e.target], -1)), e.target]
        for k, d in enumerate(chain[1:-1]):
            columns[layer[e.source] - 1 - k].append(d)
            left[d], right[d] = [], []
        for a, b in pairwise(chain):
            left[a].append(b)
            right[b].append(a)
    _order(columns, left, right)
    node_w = max([MIN_W, *(CHAR_W * len(n) + 24 for n in ids)])
    heights = [sum(SLOT if n.startswith("~") else NODE_H + GAP_Y for n in col) for col in columns]
    tallest = max(heights, default=GAP_Y)
    nodes: dict[str, Node] = {}
    slot_y: dict[str, int] = {}
    for i, col in enumerate(columns):
        y = MARGIN + (tallest - heights[i]) // 2
        x = MARGIN + i * (node_w + GAP_X)
        for n in col:
            if n.startswith("~"):
                slot_y[n] = y + SLOT // 2 - GAP_Y // 2
                y += SLOT
            else:
                nodes[n] = Node(n, str((resources[n] or {}).get("Type", "")), i, x, y)
                y += NODE_H + GAP_Y
    for e in edges:
        s, t = nodes[e.source], nodes[e.target]
        e.points = [(s.x, s.y + NODE_H // 2)]
        for k in range(layer[e.source] - 1, layer[e.target], -1):
            x, y = MARGIN + k * (node_w + GAP_X), slot_y[_dummy(e, k)]
            e.points += [(x + node_w, y), (x, y)]
        e.points.append((t.x + node_w, t.y + NODE_H // 2))
        e.path = _path(e.points)
    width = 2 * MARGIN + count * node_w + max(count - 1, 0) * GAP_X
    height = 2 * MARGIN + max(tallest - GAP_Y, 0)
    real = [nodes[n] for col in columns for n in col if n in nodes]
    return Graph(real, edges, width, height, count, node_w)
