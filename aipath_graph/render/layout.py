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

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
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


# ---------------------------------------------------------------- readable columns
#
# The readable maps (the default overview, plan, role and focus maps) are columns of
# boxes, as on a roadmap: one column per stage (or per plan phase), boxes stacked in
# prerequisite order, a tall column folded into several side by side so that the
# whole map has the shape of a screen. Label widths are estimated from the text
# (CJK as full width), long labels are wrapped, and boxes in a column share a width,
# so nothing overlaps whatever the zoom.

#: Font size of a box label, in canvas units; headers are larger.
FONT = 14.0
HEADER_FONT = 16.0
#: Inner margin of a box (vis-network's default), gap between boxes and between columns.
MARGIN = 6.0
ROW_SPACE = 0.9 * FONT
COLUMN_SPACE = 3.2 * FONT
#: Longest line of a wrapped label, in ems.
WRAP_EM = 12.5
#: Width over height of the drawing the folding aims at (a 1400×900 window's map area).
ASPECT = 1.38

# Advance widths in ems of a sans-serif font (DejaVu Sans, the widest common one, so
# the estimate errs on the wide side). CJK and other wide characters count 1 em.
_NARROW = dict.fromkeys("ijlI|!.,:;'`", 0.30) | dict.fromkeys("frt()[]{}-/ ", 0.40)
_WIDE = dict.fromkeys("mwMW@%", 0.98) | dict.fromkeys("&+=<>~", 0.84)
#: Slack on an estimated width, so a box never wraps a line again in the browser.
SLACK = 1.06


def char_em(ch: str) -> float:
    """Estimated advance width of ``ch`` in ems.

    >>> char_em("i"), char_em("a"), char_em("A"), char_em("微")
    (0.3, 0.62, 0.74, 1.0)
    """
    if ch in _NARROW:
        return _NARROW[ch]
    if ch in _WIDE:
        return _WIDE[ch]
    if ord(ch) >= 0x1100 and _is_wide(ch):
        return 1.0
    if ch.isupper():
        return 0.74
    return 0.64 if ch.isdigit() else 0.62


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_em(text: str) -> float:
    """Estimated width of one line of ``text`` in ems (CJK full width).

    >>> text_em("微调技术"), round(text_em("Git"), 2)
    (4.0, 1.44)
    """
    return sum(char_em(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Words and wide characters, each with the space that follows it."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) >= 0x1100 and _is_wide(ch):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wrap_label(text: str, width_em: float = WRAP_EM) -> list[str]:
    """Break ``text`` into lines of at most ``width_em`` (a longer word keeps its line).

    Latin text breaks at spaces, CJK text between any two characters.

    >>> wrap_label("Data preprocessing and feature engineering", 12.5)
    ['Data preprocessing and', 'feature engineering']
    >>> wrap_label("大语言模型应用开发与提示工程实践", 8)
    ['大语言模型应用开', '发与提示工程实践']
    """
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and text_em((line + token).rstrip()) > width_em:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


@dataclass
class BoxLayout:
    """Where each box goes: centre, width and wrapped label, per node id."""

    x: dict[Hashable, float] = field(default_factory=dict)
    y: dict[Hashable, float] = field(default_factory=dict)
    width: dict[Hashable, float] = field(default_factory=dict)
    lines: dict[Hashable, list[str]] = field(default_factory=dict)
    #: Folded column ("lane") of each node; boxes of a lane share x.
    lane: dict[Hashable, int] = field(default_factory=dict)
    #: Row of columns ("band") of each node and column header, top to bottom; what is
    #: hidden at first lies below the last band.
    band: dict[Hashable, int] = field(default_factory=dict)
    #: For a collapsible parent: the height its open parts take below it.
    block: dict[Hashable, float] = field(default_factory=dict)
    #: Column headers: key → (x, y, width, lines).
    headers: dict[Hashable, tuple[float, float, float, list[str]]] = field(default_factory=dict)
    #: The extent of the boxes shown at first: min x, min y, max x, max y.
    extent: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def box_height(lines: int, font: float = FONT) -> float:
    """Height of a box of ``lines`` lines, as vis-network draws it (measured in Chromium:
    one font size per line, the margins, and 8 units of border and rounding)."""
    return lines * font + 2 * MARGIN + 8


def column_layout(
    G: nx.DiGraph,
    column: Mapping[Hashable, int],
    labels: Mapping[Hashable, str | list[str]],
    *,
    shown: set[Hashable] | None = None,
    parts: Mapping[Hashable, list[Hashable]] | None = None,
    headers: Mapping[int, str] | None = None,
    header_nodes: Mapping[int, Hashable] | None = None,
    order_by: Mapping[Hashable, float] | None = None,
    aspect: float = ASPECT,
    order: nx.DiGraph | None = None,
) -> BoxLayout:
    """Lay ``G`` out as columns of boxes, folded to the shape of a screen.

    Parameters
    ----------
    G : nx.DiGraph
        The graph; its prerequisite edges (``PREREQUISITE_KINDS``) order the boxes.
    column : mapping
        Column index (0 = left) of every node to place.
    labels : mapping
        The text of every node's box (wrapped here), or its lines already wrapped.
    shown : set, optional
        The nodes shown at first; the others go below them (revealed by filters).
    parts : mapping, optional
        Parent → its parts: each part is stacked under its parent (a collapsible block).
    headers : mapping, optional
        Column index → header text (stage or phase name), drawn over the column.
    header_nodes : mapping, optional
        Column index → the node that is its header (a Stage node).
    order_by : mapping, optional
        A number per node that orders a column first (a plan's step numbers);
        otherwise prerequisite depth, then the rows of what leads to it.
    aspect : float
        Width over height the first view aims at.
    order : nx.DiGraph, optional
        ``order_graph(G)``, when the caller has it already.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", kind="requires")
    >>> L = column_layout(G, {"a": 0, "b": 0}, {"a": "Alpha", "b": "Beta"})
    >>> (L.x["a"], L.y["a"]) < (L.x["b"], L.y["b"])  # in reading order
    True
    """
    parts = dict(parts or {})
    headers = dict(headers or {})
    header_nodes = dict(header_nodes or {})
    placed = [n for n in G if n in column and n not in header_nodes.values()]
    shown = set(placed) if shown is None else set(shown)
    child_of = {c: p for p, cs in parts.items() for c in cs}
    out = BoxLayout()
    for n in placed:
        text = labels[n]
        out.lines[n] = list(text) if isinstance(text, list) else wrap_label(text)
    D = order_graph(G) if order is None else order
    depth = _depths(D)
    # Units: a node, or a parent with its parts under it.
    col_units: dict[int, list[Hashable]] = {}
    for n in placed:
        if n not in child_of:
            col_units.setdefault(column[n], []).append(n)
    col_width: dict[int, float] = {}
    for c, units in col_units.items():
        members = [m for u in units for m in (u, *parts.get(u, ()))]
        widest = max(max(text_em(line) for line in out.lines[m]) for m in members)
        col_width[c] = widest * FONT * SLACK + 2 * MARGIN + 4

    heights = {n: box_height(len(lines)) for n, lines in out.lines.items()}
    unit_height = heights.__getitem__

    def block_height(u: Hashable) -> float:
        return sum(box_height(len(out.lines[c])) + ROW_SPACE for c in parts.get(u, ()))

    # Order: prerequisite depth, then the mean row of what leads to it, then label.
    rank: dict[Hashable, float] = {}
    order: dict[int, list[Hashable]] = {}
    for c in sorted(col_units):
        units = col_units[c]

        def key(u: Hashable) -> tuple[float, int, float, str]:
            near = [rank[p] for p in (D.predecessors(u) if u in D else ()) if p in rank]
            first = (order_by or {}).get(u, math.inf)
            return (first, depth.get(u, 0), fmean(near) if near else 0.0, str(labels[u]))

        units.sort(key=lambda u: (u not in shown, *key(u)))
        for i, u in enumerate(units):
            rank[u] = i / max(1, len(units))
            for ch in parts.get(u, ()):
                rank[ch] = rank[u]
        order[c] = units

    later = {c: [u for u in us if u not in shown] for c, us in order.items()}
    first = {c: [u for u in us if u in shown] for c, us in order.items()}
    cols = sorted(order)
    tallest = max((unit_height(u) + ROW_SPACE for us in first.values() for u in us), default=FONT)
    total = max((sum(unit_height(u) + ROW_SPACE for u in us) for us in first.values()), default=0)

    lane_heights: dict[int, float] = {}  # id(lane) → its height, filled by pack()

    def pack(limit: float) -> dict[int, list[list[Hashable]]]:
        """Fill each column's lanes top to bottom, a new lane when one is full."""
        out_lanes: dict[int, list[list[Hashable]]] = {}
        for c in cols:
            lanes: list[list[Hashable]] = [[]]
            y = 0.0
            for u in first[c]:
                h = heights[u] + ROW_SPACE
                if lanes[-1] and y + h > limit + 1e-6:
                    lane_heights[id(lanes[-1])] = y
                    lanes.append([])
                    y = 0.0
                lanes[-1].append(u)
                y += h
            lane_heights[id(lanes[-1])] = y
            out_lanes[c] = lanes
        return out_lanes

    def lane_height(lane: list[Hashable]) -> float:
        return lane_heights[id(lane)]

    def bands_of(lanes: dict[int, list[list[Hashable]]], count: int) -> list[list[int]]:
        """Split the columns, in order, into ``count`` rows of about equal width."""
        widths = [len(lanes[c]) * (col_width[c] + COLUMN_SPACE) for c in cols]
        target = sum(widths) / count
        bands: list[list[int]] = [[]]
        width = 0.0
        for c, w in zip(cols, widths, strict=True):
            if bands[-1] and width + w / 2 > target and len(bands) < count:
                bands.append([])
                width = 0.0
            bands[-1].append(c)
            width += w
        return bands

    head = 2 * ROW_SPACE + box_height(3, HEADER_FONT)

    def size(lanes: dict[int, list[list[Hashable]]], bands: list[list[int]]) -> float:
        width = max(sum(len(lanes[c]) * (col_width[c] + COLUMN_SPACE) for c in b) for b in bands)
        height = sum(head + max(lane_height(lane) for c in b for lane in lanes[c]) for b in bands)
        return max(width / aspect, height)

    best: tuple[float, dict[int, list[list[Hashable]]], list[list[int]]] | None = None
    steps = 40 if len(heights) <= 1000 else 16  # fewer trials on big graphs
    for i in range(steps + 1):
        limit = tallest + (total - tallest) * i / steps
        lanes = pack(limit)
        for count in range(1, min(len(cols), 6) + 1):
            bands = bands_of(lanes, count)
            score = size(lanes, bands)
            if best is None or score < best[0] - 1e-6:
                best = (score, lanes, bands)
    assert best is not None
    _, packed, bands = best
    lane_id = 0
    max_y = 0.0
    head_top = 0.0
    top = 0.0
    for band_no, band in enumerate(bands):
        x = 0.0
        band_bottom = top
        for c in band:
            w = col_width[c]
            first_lane_x = x + w / 2
            lane_x = first_lane_x
            for k, lane in enumerate(packed[c]):
                if k:
                    lane_x += w + COLUMN_SPACE
                    lane_id += 1
                y = top
                for u in lane:
                    h = unit_height(u)
                    _put(out, u, lane_x, y + h / 2, w, lane_id, band_no)
                    out.block[u] = block_height(u)
                    yy = y + h + ROW_SPACE
                    for ch in parts.get(u, ()):
                        hc = unit_height(ch)
                        _put(out, ch, lane_x + FONT, yy + hc / 2, w, lane_id, band_no)
                        yy += hc + ROW_SPACE
                    y += h + ROW_SPACE
                band_bottom = max(band_bottom, y)
            last_x = lane_x
            x = last_x + w / 2 + COLUMN_SPACE
            lane_id += 1
            span = (first_lane_x - w / 2, last_x + w / 2)
            hx = (span[0] + span[1]) / 2
            text = headers.get(c)
            if text is not None:
                room = (span[1] - span[0] - 2 * MARGIN - 4) / HEADER_FONT / SLACK
                hlines = [ln for part in text.split("\n") for ln in wrap_label(part, room)]
                hy = top - ROW_SPACE - box_height(len(hlines), HEADER_FONT) / 2
                out.headers[c] = (hx, hy, span[1] - span[0], hlines)
                out.band[("header", c)] = band_no  # keys of headers: ("header", column)
                head_top = min(head_top, hy - box_height(len(hlines), HEADER_FONT) / 2)
                if c in header_nodes:
                    hn = header_nodes[c]
                    out.x[hn], out.y[hn] = hx, hy
                    out.band[hn] = band_no
                    out.width[hn], out.lines[hn] = span[1] - span[0], hlines
        max_y = band_bottom
        top = band_bottom + head
    order = later  # hidden at first: placed below everything shown
    if out.x:
        out.extent = (
            min(out.x[n] - out.width[n] / 2 for n in out.x),
            head_top,
            max(out.x[n] + out.width[n] / 2 for n in out.x),
            max_y,
        )
    x = out.extent[2]
    band_no = len(bands)
    # Then what is hidden at first, column by column, in rows below.
    y0 = max_y + 3 * FONT
    blocks: list[tuple[float, float, float]] = []  # x span and bottom of each column's rows
    for c in sorted(order):
        if not order[c]:
            continue
        xs = sorted(
            {
                out.x[n]
                for n in out.x
                if column.get(n) == c and n not in header_nodes.values() and n not in child_of
            }
        )
        xs = xs or [x]
        w = col_width.get(c, 10 * FONT)
        x0, x1 = xs[0] - w / 2, xs[-1] + w / 2 + FONT
        start = max([y0, *(b + 2 * ROW_SPACE for a0, a1, b in blocks if a0 < x1 and x0 < a1)])
        y, row_end = start, start
        for i, u in enumerate(order[c]):
            h = unit_height(u)
            _put(out, u, xs[i % len(xs)], y + h / 2, w, -1 - c, band_no)
            out.block[u] = block_height(u)
            yy = y + h + ROW_SPACE
            for ch in parts.get(u, ()):
                hc = unit_height(ch)
                _put(out, ch, xs[i % len(xs)] + FONT, yy + hc / 2, w, -1 - c, band_no)
                yy += hc + ROW_SPACE
            row_end = max(row_end, yy)
            if i % len(xs) == len(xs) - 1:
                y = row_end
        blocks.append((x0, x1, row_end))
    return out


def _put(out: BoxLayout, n: Hashable, x: float, y: float, w: float, lane: int, band: int) -> None:
    out.x[n], out.y[n], out.width[n], out.lane[n], out.band[n] = x, y, w, lane, band
