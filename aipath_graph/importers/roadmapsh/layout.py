"""Read the drawing: the spine order of topics and the topic each part hangs under.

roadmap.sh draws its main path top to bottom with line nodes and by placement, and
only sometimes with arrows; parts (subtopics, checklist items) hang off a topic by
an arrow, by sitting in a section the topic is linked to, by a line, or simply by
being placed beside it. This module turns that drawing into structure:

- :func:`spine` — one order of all topics: top to bottom, left to right, a stack of
  topics in one column read together (for the older format, the author's numbers
  first), except that every arrow drawn between two topics — directly or through
  headings — puts its source first.
- :func:`attach` — the topic of each subtopic and checklist item, and how it was
  found (``arrow``, ``section``, ``line``, ``group``, ``column``, ``nearest``).
- :func:`sections` — each section's heading and the boxes inside it.

Examples
--------
>>> from pathlib import Path
>>> from .read import read_roadmap
>>> rm = read_roadmap(Path("tests/data/roadmapsh/mini-roadmap"))
>>> [rm.boxes[i].label for i in spine(rm).order][:3]
['Programming Fundamentals', 'Mathematics', 'Calculus']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .model import CONTENT, LINES, PASS_THROUGH, Box, Roadmap

#: Two boxes this close (px) with overlapping columns are one stack.
STACK_GAP = 12.0
#: A line end this close (px) to a box touches it.
LINE_TOUCH = 16.0


@dataclass
class Spine:
    """Topics in learning order, the arrows drawn between topics, and arrows dropped."""

    order: list[str]
    drawn: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)


def drawn_topic_edges(rm: Roadmap) -> list[tuple[str, str]]:
    """Arrows from a topic to a topic, directly or through headings, labels and lines."""
    out: dict[str, list[str]] = {}
    for a in rm.arrows:
        out.setdefault(a.source, []).append(a.target)
    found: list[tuple[str, str]] = []
    for start in (b.id for b in rm.of_type("topic")):
        seen, frontier = {start}, list(out.get(start, []))
        while frontier:
            node = frontier.pop()
            if node in seen:
                continue
            seen.add(node)
            box = rm.boxes[node]
            if box.type == "topic":
                found.append((start, node))
            elif box.type in PASS_THROUGH:
                frontier += out.get(node, [])
    return list(dict.fromkeys(found))


def spine(rm: Roadmap) -> Spine:
    """The topics in one order that honours every arrow drawn between them."""
    topics = rm.of_type("topic")
    boxes = rm.boxes
    G = nx.DiGraph()
    G.add_nodes_from(b.id for b in topics)
    drawn = [(s, t) for s, t in drawn_topic_edges(rm) if s in G and t in G and s != t]
    G.add_edges_from(drawn)
    dropped = []
    while True:
        try:
            cycle = nx.find_cycle(G)
        except nx.NetworkXNoCycle:
            break
        # the arrow that points furthest up the page is the one the drawing contradicts
        s, t = max(((u, v) for u, v, *_ in cycle), key=lambda e: boxes[e[0]].y - boxes[e[1]].y)
        G.remove_edge(s, t)
        dropped.append((s, t))

    # topics stacked in one column are read together, from the top of the stack
    stacks = nx.Graph()
    stacks.add_nodes_from(G)
    stacks.add_edges_from(
        (a.id, b.id)
        for a in topics
        for b in topics
        if a.id < b.id and a.x_overlap(b) > 0.5 * min(a.w, b.w) and a.gap(b) <= STACK_GAP
    )
    head: dict[str, Box] = {}
    for comp in nx.connected_components(stacks):
        top = min((boxes[i] for i in comp), key=lambda b: (b.y, b.x))
        head.update(dict.fromkeys(comp, top))
    row = rows(list({b.id: b for b in head.values()}.values()))

    def key(node: str) -> tuple[float, ...]:
        b, top = boxes[node], head[node]
        rank = b.rank if rm.format == "mockup" else 0
        return (rank, row[top.id], top.x, b.y, b.x)

    order = list(nx.lexicographical_topological_sort(G, key=lambda n: (*key(n), n)))
    return Spine(order, [e for e in drawn if e not in dropped], dropped)


def rows(boxes: list[Box], tolerance: float = 12.0) -> dict[str, int]:
    """Row numbers: boxes whose tops are within ``tolerance`` of a row's first share it.

    >>> rows([Box("a", "topic", "A", 0, 470, 1, 1), Box("b", "topic", "B", 9, 466, 1, 1)])
    {'b': 0, 'a': 0}
    """
    out: dict[str, int] = {}
    start, n = None, -1
    for b in sorted(boxes, key=lambda b: (b.y, b.x, b.id)):
        if start is None or b.y - start > tolerance:
            start, n = b.y, n + 1
        out[b.id] = n
    return out


@dataclass
class Section:
    """A section box: its heading (a label at its top) and the content boxes inside."""

    box: Box
    heading: str
    members: list[str]


def sections(rm: Roadmap) -> dict[str, Section]:
    """Each section with a heading or members, by id; a box belongs to its smallest section."""
    secs = sorted(rm.of_type("section"), key=lambda s: s.w * s.h)
    home: dict[str, str] = {}
    for b in rm.boxes.values():
        if b.type in CONTENT or b.type == "label":
            for s in secs:
                if s.contains(b) and s.id != b.id:
                    home[b.id] = s.id
                    break
    out: dict[str, Section] = {}
    for s in secs:
        inside = [rm.boxes[i] for i, h in home.items() if h == s.id]
        labels = sorted((b for b in inside if b.type == "label"), key=lambda b: (b.y, b.x))
        members = [b.id for b in sorted(inside, key=lambda b: (b.y, b.x)) if b.type in CONTENT]
        if labels or members:
            out[s.id] = Section(s, labels[0].label if labels else "", members)
    return out


def headings(rm: Roadmap) -> list[tuple[Box, list[str]]]:
    """Section headings and the content boxes each one heads, top to bottom.

    In a section headed at its top, each box falls under the last heading above it;
    where headings sit under their groups (as roadmap.sh often draws them), under
    the first heading below it. A heading outside any section heads the stack of
    boxes directly under it.
    """
    out: list[tuple[Box, list[str]]] = []
    homed: set[str] = set()
    for sec in sections(rm).values():
        labels = sorted((rm.boxes[i] for i in _labels_in(rm, sec)), key=lambda b: (b.y, b.x))
        homed.update(b.id for b in labels)
        groups: dict[str, list[str]] = {b.id: [] for b in labels}
        on_top = bool(labels) and labels[0].y - sec.box.y < 30  # else each under its group
        for m in sec.members if labels else []:
            box = rm.boxes[m]
            if on_top:
                owner = ([b for b in labels if b.y <= box.y + 4] or labels[:1])[-1]
            else:
                owner = ([b for b in labels if b.bottom >= box.bottom - 4] or labels[-1:])[0]
            groups[owner.id].append(m)
        out += [(b, groups[b.id]) for b in labels if groups[b.id]]
    parts = rm.of_type(*CONTENT)
    for label in rm.of_type("label"):
        if label.id in homed:
            continue
        stack, last = [], label
        while True:
            below = [
                b
                for b in parts
                if b.id not in stack
                and b.y >= last.bottom - 1
                and b.y - last.bottom <= STACK_GAP
                and b.x_overlap(last) > 0.5 * min(b.w, last.w)
            ]
            if not below:
                break
            row = [b for b in below if b.y - min(c.y for c in below) <= 4]  # one row of them
            stack += [b.id for b in sorted(row, key=lambda b: b.x)]
            last = max(row, key=lambda b: b.bottom)
        if stack:
            out.append((label, stack))
    return sorted(out, key=lambda h: (h[0].y, h[0].x))


def _labels_in(rm: Roadmap, sec: Section) -> list[str]:
    """The labels inside a section (its own, not those of a smaller one inside it)."""
    inner = [s.box for s in sections(rm).values() if s.box.id != sec.box.id]
    return [
        b.id
        for b in rm.of_type("label")
        if sec.box.contains(b)
        and not any(s.contains(b) and s.w * s.h < sec.box.w * sec.box.h for s in inner)
    ]


def line_ends(rm: Roadmap, line: Box) -> list[str]:
    """The box each end of a line node touches: the smallest, a line only if nothing else.

    An end that touches nothing within :data:`LINE_TOUCH` looks half as far again:
    hand-drawn lines often stop a few pixels short of the box they point at.
    """
    if line.type == "vertical":
        points = [(line.cx, line.y), (line.cx, line.bottom)]
    else:
        points = [(line.x, line.cy), (line.right, line.cy)]
    ends = []
    kinds = CONTENT | LINES | {"section", "paragraph", "label"}
    for px, py in points:
        near: list[Box] = []
        for tol in (LINE_TOUCH, 1.5 * LINE_TOUCH):  # a loose end: look a little further
            near = [
                b
                for b in rm.boxes.values()
                if b.id != line.id and b.type in kinds and b.touches(px, py, tol)
            ]
            if near:
                break
        if near:
            rank = {"section": 2, "vertical": 1, "horizontal": 1}  # boxes before lines, sections
            ends.append(min(near, key=lambda b: (rank.get(b.type, 0), b.w * b.h, b.id)).id)
    return ends


def _stacked(a: Box, b: Box) -> bool:
    """Two boxes side by side or one on the other with (almost) no gap."""
    over_x = a.x_overlap(b) > 0.5 * min(a.w, b.w)
    over_y = min(a.bottom, b.bottom) - max(a.y, b.y) > 0.5 * min(a.h, b.h)
    return a.gap(b) <= STACK_GAP and (over_x or over_y)


def _on_path(rm: Roadmap, topic_ids: set[str]) -> set[str]:
    """Paragraphs on the main path: a solid arrow joins them to a topic."""
    return {
        end
        for a in rm.arrows
        if not a.dashed and (a.source in topic_ids or a.target in topic_ids)
        for end in (a.source, a.target)
        if rm.boxes[end].type == "paragraph"
    }


def clusters(rm: Roadmap, topic_ids: set[str]) -> tuple[nx.Graph, dict[str, set[str]]]:
    """Groups of drawn things held together (stacked, boxed, wired, arrowed), and their topics.

    Returns the cluster graph and, per element, the topics joined to it directly.
    """
    boxes = rm.boxes
    kinds = {"subtopic", "todo", "section", "label", "paragraph", *LINES}
    path = _on_path(rm, topic_ids)
    elems = [b for b in boxes.values() if b.type in kinds and b.id not in path]
    ids = {b.id for b in elems}
    G = nx.Graph()
    G.add_nodes_from(ids)
    touch: dict[str, set[str]] = {}

    def join(u: str, v: str) -> None:
        if u in ids and v in ids:
            G.add_edge(u, v)
        elif u in ids and v in topic_ids:
            touch.setdefault(u, set()).add(v)
        elif v in ids and u in topic_ids:
            touch.setdefault(v, set()).add(u)

    for arrow in rm.arrows:
        join(arrow.source, arrow.target)
    for sec in sections(rm).values():
        for m in sec.members:
            join(sec.box.id, m)
    for line in (b for b in elems if b.type in LINES):
        for end in line_ends(rm, line):
            join(line.id, end)
    flat = sorted((b for b in boxes.values() if b.type not in LINES), key=lambda b: b.y)
    for i, a in enumerate(flat):
        for b in flat[i + 1 :]:
            if b.y > a.bottom + STACK_GAP:
                break
            inside = a.type == "section" and a.contains(b)  # members are joined above
            if (a.id in ids or b.id in ids) and not inside and _stacked(a, b):
                join(a.id, b.id)
    return G, touch


def attach(rm: Roadmap, topics: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``part id → (topic id, how)`` for every subtopic and checklist item.

    ``how`` says what placed it: ``parent`` (the older format names it), ``arrow``
    (an arrow joins it to the topic), ``section`` (its section is joined to the
    topic), ``group`` (stacked, boxed or wired with parts placed by an arrow),
    ``line`` (its group is wired, stacked or arrowed to the topic), ``column`` (a
    checklist item straight under its topic) or ``nearest`` (placement alone).
    """
    topic_ids = set(topics)
    if not topic_ids:
        return {}
    boxes = rm.boxes
    parts = [b for b in rm.of_type("subtopic", "todo") if b.id not in topic_ids]
    part_ids = {b.id for b in parts}
    found: dict[str, tuple[str, str]] = {}

    def put(part: str, topic: str, how: str) -> None:
        if part in part_ids and part not in found:
            found[part] = (topic, how)

    for b in parts:  # the older format names each part's parent
        if b.parent and b.parent in boxes and b.parent != b.id:
            put(b.id, b.parent, "parent")
    for a in rm.arrows:
        if a.source in topic_ids:
            put(a.target, a.source, "arrow")
        elif a.target in topic_ids:
            put(a.source, a.target, "arrow")
    for sec in sections(rm).values():
        heads = [m for m in sec.members if m in topic_ids]
        heads += [t for t in sorted(topic_ids) if _stacked(sec.box, boxes[t]) and t not in heads]
        heads += [
            t
            for a in rm.arrows
            for t, other in ((a.source, a.target), (a.target, a.source))
            if other == sec.box.id and t in topic_ids
        ]
        for m in sec.members:
            if heads:
                put(m, heads[0], "section")
    G, touch = clusters(rm, topic_ids)
    tops = [boxes[t] for t in sorted(topic_ids)]
    for comp in nx.connected_components(G):
        members = [boxes[i] for i in comp if i in part_ids]
        placed = [b for b in members if b.id in found]
        linked = sorted({t for i in comp for t in touch.get(i, ())})
        for b in members:
            if b.id in found:
                continue
            if placed:
                src = min(placed, key=lambda q: (b.gap(q), q.id))
                put(b.id, found[src.id][0], "group")
            elif linked:
                put(b.id, min(linked, key=lambda t: (b.gap(boxes[t]), t)), "line")
        loose = [b for b in members if b.id not in found and b.type == "subtopic"]
        if loose:  # linked to nothing: the whole group goes to the topic nearest to it
            near = min(tops, key=lambda t: (min(t.gap(boxes[i]) for i in comp if i in boxes), t.id))
            for b in loose:
                put(b.id, near.id, "nearest")
    for b in parts:
        if b.id in found:
            continue
        above = [t for t in tops if t.x_overlap(b) > 0 and t.bottom <= b.y + 1]
        if b.type == "todo" and above:
            put(b.id, max(above, key=lambda t: (t.bottom, t.id)).id, "column")
        else:
            put(b.id, min(tops, key=lambda t: (b.gap(t), t.id)).id, "nearest")
    return found


def owner_above(rm: Roadmap, box: Box, candidates: Iterable[str]) -> str | None:
    """The candidate box straight above ``box`` in its column (for resource buttons)."""
    above = [
        rm.boxes[c]
        for c in candidates
        if rm.boxes[c].x_overlap(box) > 0 and rm.boxes[c].bottom <= box.y + 1
    ]
    return max(above, key=lambda b: (b.bottom, b.id)).id if above else None


def how_counts(found: dict[str, tuple[str, str]]) -> Counter[str]:
    """How many parts each rule placed."""
    return Counter(how for _, how in found.values())
