"""Node positions for the HTML map, computed in Python so the page is ready at once.

The map reads left to right: a node sits to the right of everything it needs. The
``"stages"`` layout first splits the canvas into one band per learning stage (in
stage order) and then, inside a band, into columns by prerequisite depth; the
``"hierarchy"`` layout uses prerequisite depth alone. Nodes tied to the rest only by
display relations (a resource that teaches a skill, a tool that serves one, a
category) are placed next to the nodes they point at. Stage nodes become headers
above their band.

Examples
--------
>>> import networkx as nx

from aipath_graph import kinds
>>> G = nx.DiGraph()
>>> G.add_node("calculus", type="Skill", stage=None)
>>> G.add_node("backprop", type="Skill", stage=None)
>>> G.add_edge("calculus", "backprop", kind="requires")
>>> pos = layered_positions(G)
>>> pos["calculus"][0] < pos["backprop"][0]
True
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from statistics import fmean
from typing import Literal

import networkx as nx

from aipath_graph import kinds

#: Edge kinds that mean "u must come before v" (the prerequisite projection).
PREREQUISITE_KINDS: frozenset[str] = kinds.PREREQUISITE_KINDS

Layout = Literal["stages", "hierarchy"]

COLUMN_GAP = 230.0
ROW_GAP = 92.0
BAND_GAP = 140.0

Position = tuple[float, float]


def order_graph(G: nx.DiGraph) -> nx.DiGraph:
    """Return the acyclic "comes before" graph the layout follows.

    It holds every node of ``G`` except Stage nodes, and the prerequisite edges
    between them. Should ``G`` hold a cycle (an invalid graph), the edges that close
    it are dropped so a map can still be drawn.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", kind="requires")
    >>> G.add_edge("b", "a", kind="serves")
    >>> sorted(order_graph(G).edges)
    [('a', 'b')]
    """
    D = nx.DiGraph()
    D.add_nodes_from(n for n, t in G.nodes(data="type") if t != "Stage")
    D.add_edges_from(
        (u, v)
        for u, v, kind in G.edges(data="kind")
        if kind in PREREQUISITE_KINDS and u in D and v in D and u != v
    )
    while not nx.is_directed_acyclic_graph(D):
        u, v = nx.find_cycle(D)[-1][:2]
        D.remove_edge(u, v)
    return D


def stage_ranks(G: nx.DiGraph, D: nx.DiGraph | None = None) -> dict[Hashable, int]:
    """Rank the Stage nodes of ``G``: 0 for the first stage.

    A stage's ``order`` attribute decides when present. Otherwise the prerequisite
    edges vote: stage ``a`` beats stage ``b`` when more edges lead from nodes of
    ``a`` to nodes of ``b`` than back; stages are sorted by wins, then by the mean
    prerequisite depth of their nodes.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("expert", type="Stage", order=4)
    >>> G.add_node("beginner", type="Stage", order=1)
    >>> stage_ranks(G)
    {'beginner': 0, 'expert': 1}
    >>> H = nx.DiGraph()
    >>> H.add_nodes_from(["late", "early"], type="Stage")
    >>> H.add_node("a", stage="early")
    >>> H.add_node("b", stage="late")
    >>> H.add_edge("a", "b", kind="requires")
    >>> stage_ranks(H)
    {'early': 0, 'late': 1}
    """
    D = order_graph(G) if D is None else D
    depth = _depths(D)
    stage_of = {n: G.nodes[n].get("stage") for n in D}
    members: dict[Hashable, list[int]] = {}
    for n, stage in stage_of.items():
        if stage is not None:
            members.setdefault(stage, []).append(depth[n])
    flow: dict[tuple[Hashable, Hashable], int] = {}
    for u, v in D.edges:
        a, b = stage_of[u], stage_of[v]
        if a is not None and b is not None and a != b:
            flow[a, b] = flow.get((a, b), 0) + 1
    stages = [n for n, t in G.nodes(data="type") if t == "Stage"]
    wins = {s: sum(flow.get((s, t), 0) > flow.get((t, s), 0) for t in stages) for s in stages}

    def key(s: Hashable) -> tuple[float, int, float, str]:
        order = G.nodes[s].get("order")
        mean_depth = fmean(members[s]) if members.get(s) else float("inf")
        first = float(order) if order is not None else float("inf")
        return (first, -wins[s], mean_depth, str(s))

    return {s: i for i, s in enumerate(sorted(stages, key=key))}


def layered_positions(G: nx.DiGraph, *, layout: Layout = "stages") -> dict[Hashable, Position]:
    """Compute ``(x, y)`` canvas positions for every node of ``G``.

    Parameters
    ----------
    G : nx.DiGraph
        A relation graph (or a subgraph of one) as described in the project contract.
    layout : {"stages", "hierarchy"}
        ``"stages"`` bands by stage, then columns by prerequisite depth;
        ``"hierarchy"`` columns by prerequisite depth only.

    Returns
    -------
    dict
        Node → ``(x, y)``; x grows along the prerequisite order, every prerequisite
        edge points right.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("python", type="Skill", stage="beginner")
    >>> G.add_node("pytorch", type="Tool", stage="intermediate")
    >>> G.add_node("beginner", type="Stage", order=1)
    >>> G.add_node("intermediate", type="Stage", order=2)
    >>> pos = layered_positions(G)
    >>> pos["python"][0] < pos["pytorch"][0]
    True
    >>> pos["beginner"][1] < pos["python"][1]  # stage headers sit on top
    True
    """
    if layout not in ("stages", "hierarchy"):
        raise ValueError(f"unknown layout {layout!r}; expected 'stages' or 'hierarchy'")
    D = order_graph(G)
    ranks = stage_ranks(G, D) if layout == "stages" else {}
    band: dict[Hashable, int] = {}
    for n in nx.topological_sort(D):
        own = ranks.get(G.nodes[n].get("stage"), 0)
        band[n] = max([own, *(band[p] for p in D.predecessors(n))])
    local: dict[Hashable, int] = {}
    for n in nx.topological_sort(D):
        local[n] = max((local[p] + 1 for p in D.predecessors(n) if band[p] == band[n]), default=0)
    widths: dict[int, int] = {}
    for n, b in band.items():
        widths[b] = max(widths.get(b, 0), local[n] + 1)
    offset, start = {}, 0
    for b in sorted(widths):
        offset[b] = start
        start += widths[b]
    column = {n: offset[band[n]] + local[n] for n in D}
    floating = {n for n in D if D.degree(n) == 0 and G.nodes[n].get("stage") not in ranks}
    _place_floating(G, column, floating)
    x_of = {n: column[n] * COLUMN_GAP + band[n] * BAND_GAP for n in D}
    y_of = _rows(G, column)
    positions = {n: (x_of[n], y_of[n]) for n in D}
    _place_stage_headers(G, ranks, band, positions)
    return positions


def _depths(D: nx.DiGraph) -> dict[Hashable, int]:
    depth: dict[Hashable, int] = {}
    for n in nx.topological_sort(D):
        depth[n] = max((depth[p] + 1 for p in D.predecessors(n)), default=0)
    return depth


def _place_floating(G: nx.DiGraph, column: dict[Hashable, int], floating: set[Hashable]) -> None:
    """Move nodes without prerequisite ties next to the nodes they relate to."""
    pending = set(floating)
    anchored = len(pending) < len(column)
    spare = min((c for n, c in column.items() if n not in pending), default=1) - 1
    while pending:
        placed = []
        for n in sorted(pending, key=str):
            before = [column[v] - 1 for v in G.successors(n) if v in column and v not in pending]
            after = [column[u] + 1 for u in G.predecessors(n) if u in column and u not in pending]
            if before or after:
                column[n] = min(before) if before else max(after)
                placed.append(n)
        if not placed:
            # Nothing left touches a placed node: pin the sources of what remains.
            sources = [n for n in pending if not any(u in pending for u in G.predecessors(n))]
            placed = sources or [min(pending, key=str)]
            for n in placed:
                column[n] = spare if anchored else 0
        pending.difference_update(placed)


def _rows(G: nx.DiGraph, column: dict[Hashable, int]) -> dict[Hashable, float]:
    """Order each column by the mean row of its neighbours in earlier columns."""
    by_column: dict[int, list[Hashable]] = {}
    for n, c in column.items():
        by_column.setdefault(c, []).append(n)
    row: dict[Hashable, float] = {}
    for c in sorted(by_column):
        nodes = by_column[c]

        def key(n: Hashable) -> tuple[float, str, str]:
            near = [row[m] for m in _neighbours(G, n) if m in row]
            return (fmean(near) if near else 0.0, str(G.nodes[n].get("type")), str(n))

        nodes.sort(key=key)
        middle = (len(nodes) - 1) / 2
        for i, n in enumerate(nodes):
            row[n] = (i - middle) * ROW_GAP
    return row


def _neighbours(G: nx.DiGraph, n: Hashable) -> Iterable[Hashable]:
    yield from G.predecessors(n)
    yield from G.successors(n)


def _place_stage_headers(
    G: nx.DiGraph,
    ranks: dict[Hashable, int],
    band: dict[Hashable, int],
    positions: dict[Hashable, Position],
) -> None:
    stages = [n for n, t in G.nodes(data="type") if t == "Stage"]
    top = min((y for _, y in positions.values()), default=0.0) - 2 * ROW_GAP
    for i, s in enumerate(sorted(stages, key=lambda s: ranks.get(s, len(ranks)))):
        xs = [positions[n][0] for n, b in band.items() if b == ranks.get(s)]
        x = fmean([min(xs), max(xs)]) if xs else i * 2 * COLUMN_GAP
        positions[s] = (x, top)
