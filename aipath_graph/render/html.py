"""Interactive HTML maps of the knowledge graph: one self-contained, offline file.

:func:`render_html` turns a relation graph (or any subgraph of it) into a single HTML
page: vis-network and the page's own script and styles are inlined from copies
vendored in the package, positions are computed in Python (see
:mod:`aipath_graph.render.layout`) so the page is ready at once, and the graph travels
as JSON inside a ``<script type="application/json">`` element whose text is only ever
shown through ``textContent``, so a label can never run script.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("linear-algebra", type="Skill", label={"zh": "线性代数", "en": "Linear algebra"},
...            effort=60.0, stage=None, learnable=True, definition={}, category=None)
>>> html = render_html(G, lang="zh", title="<demo>")
>>> "<title>&lt;demo&gt;</title>" in html and "线性代数" in html
True
>>> any(tag in html for tag in ("<script src", "<link", "<img", "<iframe"))
False
"""

from __future__ import annotations

import html as html_lib
import json
import math
import os
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from aipath_graph.i18n import pick
from aipath_graph.render.layout import (
    FONT,
    HEADER_FONT,
    PREREQUISITE_KINDS,
    column_layout,
    layered_positions,
    order_graph,
    stage_ranks,
    wrap_label,
)

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = [
    "EDGE_STYLES",
    "LAYOUTS",
    "NODE_STYLES",
    "RenderedMap",
    "map_data",
    "plan_dict",
    "render_html",
    "render_map",
    "select_subgraph",
    "to_network",
    "write_html",
]

Lang = Literal["zh", "en"]
LayoutName = Literal["stages", "hierarchy", "force"]
SizeBy = Literal["effort", "unlocks"]

#: Layout names accepted by :func:`render_html` (and ``aipath render --layout``).
LAYOUTS: tuple[str, ...] = ("stages", "hierarchy", "force")

#: Above this many nodes the "force" layout is refused physics and drawn as "stages".
FORCE_LIMIT = 400

#: Types the default overview keeps behind its filters (a click shows them).
OVERVIEW_HIDDEN_TYPES: tuple[str, ...] = (
    "Resource",
    "Category",
    "Trend",
    "UseCase",
    "Domain",
    "Role",
    "CareerLevel",
)
#: Edge kinds drawn at first: what must come before what (the rest is in the legend).
FIRST_EDGE_KINDS: tuple[str, ...] = (
    "requires",
    "part",
    "option",
    "any",
    "essential",
    "optional",
    "level",
)

#: Colour (Okabe-Ito palette, safe for colour-blind readers), vis shape and names per class.
NODE_STYLES: dict[str, dict[str, Any]] = {
    "Skill": {"color": "#0072B2", "shape": "dot", "zh": "技能", "en": "Skill"},
    "Tool": {"color": "#E69F00", "shape": "square", "zh": "工具", "en": "Tool"},
    "Project": {"color": "#009E73", "shape": "star", "zh": "实践项目", "en": "Project"},
    "Role": {"color": "#D55E00", "shape": "hexagon", "zh": "岗位", "en": "Role"},
    "CareerLevel": {"color": "#CC79A7", "shape": "hexagon", "zh": "职级", "en": "Career level"},
    "Stage": {"color": "#333333", "shape": "box", "zh": "学习阶段", "en": "Stage"},
    "UseCase": {"color": "#56B4E9", "shape": "triangle", "zh": "应用场景", "en": "Use case"},
    "Domain": {"color": "#F0E442", "shape": "ellipse", "zh": "行业", "en": "Domain"},
    "Resource": {"color": "#8C8C8C", "shape": "triangleDown", "zh": "学习资源", "en": "Resource"},
    "Trend": {"color": "#AA4499", "shape": "diamond", "zh": "趋势", "en": "Trend"},
    "AnyOf": {"color": "#FFFFFF", "shape": "diamond", "zh": "任选其一", "en": "Any one of"},
    "Category": {"color": "#DDDDDD", "shape": "ellipse", "zh": "分类", "en": "Category"},
}
_OTHER_NODE = {"color": "#999999", "shape": "dot", "zh": "其他", "en": "Other"}

#: Line style per edge kind: colour, dash pattern (False = solid), arrow head, width.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "requires": {
        "color": "#444444",
        "dashes": False,
        "arrow": "arrow",
        "width": 1.5,
        "zh": "前置要求",
        "en": "requires",
    },
    "part": {
        "color": "#0072B2",
        "dashes": False,
        "arrow": "diamond",
        "width": 1.5,
        "zh": "组成部分",
        "en": "part of",
    },
    "option": {
        "color": "#E69F00",
        "dashes": [6, 4],
        "arrow": "circle",
        "width": 2,
        "zh": "可选其一",
        "en": "option of",
    },
    "any": {
        "color": "#E69F00",
        "dashes": False,
        "arrow": "arrow",
        "width": 2,
        "zh": "任选其一",
        "en": "any one of",
    },
    "essential": {
        "color": "#D55E00",
        "dashes": False,
        "arrow": "arrow",
        "width": 1.5,
        "zh": "必备",
        "en": "essential for",
    },
    "optional": {
        "color": "#D55E00",
        "dashes": [2, 4],
        "arrow": "arrow",
        "width": 1,
        "zh": "加分",
        "en": "optional for",
    },
    "level": {
        "color": "#CC79A7",
        "dashes": False,
        "arrow": "arrow",
        "width": 3,
        "zh": "晋升",
        "en": "next level",
    },
    "practises": {
        "color": "#009E73",
        "dashes": [8, 3],
        "arrow": "arrow",
        "width": 1.5,
        "zh": "练习于",
        "en": "practised in",
    },
    "applies": {
        "color": "#56B4E9",
        "dashes": [8, 3],
        "arrow": "arrow",
        "width": 1,
        "zh": "应用于",
        "en": "applied in",
    },
    "covers": {
        "color": "#BBBBBB",
        "dashes": [2, 3],
        "arrow": "arrow",
        "width": 1,
        "zh": "属于阶段",
        "en": "studied in",
    },
    "serves": {
        "color": "#E69F00",
        "dashes": [1, 4],
        "arrow": "vee",
        "width": 1,
        "zh": "用于",
        "en": "serves",
    },
    "teaches": {
        "color": "#8C8C8C",
        "dashes": [1, 4],
        "arrow": "vee",
        "width": 1,
        "zh": "讲授",
        "en": "teaches",
    },
    "in_domain": {
        "color": "#C9B800",
        "dashes": [4, 4],
        "arrow": "arrow",
        "width": 1,
        "zh": "所属行业",
        "en": "in domain",
    },
    "relates": {
        "color": "#AA4499",
        "dashes": [1, 4],
        "arrow": "vee",
        "width": 1,
        "zh": "相关",
        "en": "relates to",
    },
    "in_stage": {
        "color": "#BBBBBB",
        "dashes": [2, 3],
        "arrow": "arrow",
        "width": 1,
        "zh": "所属阶段",
        "en": "in stage",
    },
    "in_category": {
        "color": "#DDDDDD",
        "dashes": [1, 3],
        "arrow": "bar",
        "width": 0.5,
        "zh": "所属分类",
        "en": "in category",
    },
}
_OTHER_EDGE = {
    "color": "#999999",
    "dashes": [3, 3],
    "arrow": "arrow",
    "width": 1,
    "zh": "关联",
    "en": "related",
}

#: Words of the page, per language.
UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "search": "Search a skill, tool, role…",
        "types": "Types",
        "stages": "Stages",
        "edges": "Relations",
        "no_stage": "(no stage)",
        "type": "Type",
        "id": "Id",
        "stage": "Stage",
        "effort": "Effort",
        "hours": "h",
        "definition": "Definition",
        "prerequisites": "Prerequisites",
        "unlocks": "Unlocks",
        "step": "Plan step",
        "critical": "On the critical path",
        "none": "none",
        "no_match": "No match",
        "close": "Close",
        "total": "Total effort",
        "steps": "steps",
        "help": "Click a node for details; hover to light up what it needs.",
        "learn_first": "Learn first",
        "used_with": "Used with",
        "learn_from": "Learn from",
        "needed_by": "Needed by",
        "leads_to": "Leads to",
        "related": "Related",
        "phase": "Phase",
        "weeks": "wk",
        "per_week": "h/week",
        "critical_path": "critical path",
        "done": "done",
        "open_group": "Click a box with ▸ to open it.",
        "show_all": "Show everything",
        "calm": "Calm view",
        "export_profile": "Export profile (YAML)",
        "export_png": "Save as PNG",
        "print": "Print checklist",
        "reset": "Clear ticks",
        "tick": "Done",
        "remaining": "to go",
        "checklist": "Checklist",
    },
    "zh": {
        "search": "搜索技能、工具、岗位…",
        "types": "类型",
        "stages": "阶段",
        "edges": "关系",
        "no_stage": "（无阶段）",
        "type": "类型",
        "id": "标识",
        "stage": "阶段",
        "effort": "学习时长",
        "hours": "小时",
        "definition": "定义",
        "prerequisites": "前置要求",
        "unlocks": "解锁",
        "step": "计划步骤",
        "critical": "位于关键路径上",
        "none": "无",
        "no_match": "没有匹配项",
        "close": "关闭",
        "total": "总时长",
        "steps": "步",
        "help": "点击节点查看详情；悬停可高亮其前置链。",
        "learn_first": "先学",
        "used_with": "常用工具",
        "learn_from": "学习资源",
        "needed_by": "需要它的岗位",
        "leads_to": "学完可学",
        "related": "相关",
        "phase": "阶段",
        "weeks": "周",
        "per_week": "小时/周",
        "critical_path": "关键路径",
        "done": "已完成",
        "open_group": "点击带 ▸ 的方框可展开。",
        "show_all": "显示全部",
        "calm": "简洁视图",
        "export_profile": "导出学习档案（YAML）",
        "export_png": "保存为 PNG",
        "print": "打印清单",
        "reset": "清除勾选",
        "tick": "已完成",
        "remaining": "待学",
        "checklist": "学习清单",
    },
}


def _text(value: Any, lang: str) -> str:
    """Pick one language from a ``{lang: text}`` dict (falling back to any)."""
    if isinstance(value, Mapping):
        return str(pick({str(k): str(v) for k, v in value.items() if v}, lang) or "")
    return "" if value is None else str(value)


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"en": str(value)} if value else {}


def _sizes(G: nx.DiGraph, size_by: SizeBy) -> dict[Hashable, float]:
    """Node radius: by effort hours (area ∝ hours) or by how many nodes it unlocks."""
    if size_by not in ("effort", "unlocks"):
        raise ValueError(f"unknown size_by {size_by!r}; expected 'effort' or 'unlocks'")
    if size_by == "unlocks":
        D = nx.DiGraph((u, v) for u, v, k in G.edges(data="kind") if k in PREREQUISITE_KINDS)
        D.add_nodes_from(G)
        if nx.is_directed_acyclic_graph(D):
            counts = {n: len(nx.descendants(D, n)) for n in D}
        else:
            counts = {n: D.out_degree(n) for n in D}
        return {n: min(34.0, 8.0 + 3.0 * math.sqrt(counts[n])) for n in G}
    sizes = {}
    for n, data in G.nodes(data=True):
        effort = float(data.get("effort") or 0.0)
        if data.get("type") in ("Role", "CareerLevel"):
            sizes[n] = 30.0
        elif data.get("type") == "AnyOf":
            sizes[n] = 10.0
        else:
            sizes[n] = min(34.0, 8.0 + 2.6 * math.sqrt(effort))
    return sizes


def plan_dict(plan: Any) -> dict[str, Any] | None:
    """Return ``plan`` in the planner's JSON shape (accepts a mapping or a ``Plan``).

    Examples
    --------
    >>> plan_dict({"steps": [{"order": 1, "id": "python"}], "critical_path": ["python"]})
    {'steps': [{'order': 1, 'id': 'python'}], 'critical_path': ['python']}
    >>> plan_dict(None) is None
    True
    """
    if plan is None or isinstance(plan, Mapping):
        return None if plan is None else dict(plan)
    if hasattr(plan, "to_dict"):
        return dict(plan.to_dict())
    return {
        "targets": [str(t) for t in getattr(plan, "targets", [])],
        "steps": [
            {
                "order": s.order,
                "id": str(s.id),
                "phase": getattr(s, "phase", None),
                "effort_hours": getattr(s, "effort", None),
                "requires": [str(r) for r in getattr(s, "requires", ())],
            }
            for s in plan.steps
        ],
        "critical_path": [str(n) for n in getattr(plan, "critical_path", [])],
        "total_effort": getattr(plan, "total_effort", None),
        "known": sorted(str(n) for n in getattr(plan, "known", ())),
    }


def _plan_index(plan: Mapping[str, Any] | None) -> tuple[dict[str, int], set[str], list[str]]:
    if not plan:
        return {}, set(), []
    steps = {str(s["id"]): int(s["order"]) for s in plan.get("steps", []) if "id" in s}
    critical = [str(n) for n in plan.get("critical_path", [])]
    targets = {_target_id(t) for t in plan.get("targets", []) or []}
    return steps, targets, critical


def _target_id(t: Any) -> str:
    """A target as the planner's JSON gives it: an id, or a record with an ``id``."""
    return str(t["id"]) if isinstance(t, Mapping) else str(t)


def _plan_steps(plan: Mapping[str, Any], G: nx.DiGraph) -> list[dict[str, Any]]:
    """The steps as the page re-plans them: id, order, phase, hours, requires."""
    out = []
    for s in plan.get("steps", []):
        effort = s.get("effort_hours", s.get("effort"))
        if effort is None:
            effort = G.nodes[s["id"]].get("effort") if s["id"] in G else 0.0
        out.append(
            {
                "id": str(s["id"]),
                "order": int(s["order"]),
                "phase": int(s.get("phase") or 1),
                "effort": float(effort or 0.0),
                "requires": [str(r) for r in s.get("requires", [])],
            }
        )
    if any(not s.get("phase") for s in plan.get("steps", [])):  # phases from requires
        phase: dict[str, int] = {}
        for s in sorted(out, key=lambda s: s["order"]):
            s["phase"] = phase[s["id"]] = 1 + max(
                (phase.get(r, 0) for r in s["requires"]), default=0
            )
    return out


def map_data(
    G: nx.DiGraph,
    *,
    lang: Lang = "en",
    layout: LayoutName = "stages",
    title: str | None = None,
    plan: Mapping[str, Any] | Any | None = None,
    size_by: SizeBy = "effort",
    hours_per_week: float | None = None,
    overview: bool = False,
    show_all: bool = False,
) -> dict[str, Any]:
    """Build the JSON document the map page draws (nodes, edges, styles, words).

    Parameters are those of :func:`render_html`. Every node's text is carried
    as data; the page shows it with ``textContent`` only.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("a", type="Skill", label={"en": "A"}, effort=4.0)
    >>> G.add_node("b", type="Skill", label={"en": "B"}, effort=9.0)
    >>> G.add_edge("a", "b", kind="requires", reason="B builds on A")
    >>> data = map_data(G)
    >>> [n["id"] for n in data["nodes"]], data["edges"][0]["reason"]
    (['a', 'b'], 'B builds on A')
    """
    if lang not in UI_TEXT:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(UI_TEXT)}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    if hours_per_week is not None and not hours_per_week > 0:
        raise ValueError("hours_per_week must be a positive number")
    ui = UI_TEXT[lang]
    physics = layout == "force" and G.number_of_nodes() <= FORCE_LIMIT
    sizes = _sizes(G, size_by)
    plan = plan_dict(plan)
    steps, targets, critical = _plan_index(plan)
    critical_set = set(critical)
    # stages left out of a subgraph (a plan map) keep their names through G.graph
    stage_labels = {
        str(n): _text(label, lang) or str(n) for n, label in G.graph.get("stage_labels", {}).items()
    }
    stage_labels.update(
        {
            str(n): _text(d.get("label"), lang) or str(n)
            for n, d in G.nodes(data=True)
            if d.get("type") == "Stage"
        }
    )
    hidden_types = set(OVERVIEW_HIDDEN_TYPES) if overview and not show_all else set()
    shown = {n for n, t in G.nodes(data="type") if str(t or "Other") not in hidden_types}
    plan_steps = _plan_steps(plan, G) if plan else []
    boxes = layout == "stages"
    box = None
    parts: dict[Hashable, list[Hashable]] = {}
    ranks: dict[Hashable, int] | None = None
    if boxes:
        if not plan and not show_all:
            parts = _collapsible(G, shown)
        D = order_graph(G)
        root = _root(G)
        ranks = stage_ranks(root, D if root is G else None)
        box = _box_layout(G, lang, plan_steps, shown, parts, stage_labels, D, ranks)
        positions = {n: (box.x[n], box.y[n]) for n in box.x}
    else:
        positions = layered_positions(G, layout="hierarchy" if layout == "hierarchy" else "stages")
    part_of = {str(c): str(p) for p, cs in parts.items() for c in cs}
    nodes = []
    for n, d in G.nodes(data=True):
        x, y = positions[n]
        node_id = str(n)
        stage = d.get("stage")
        item = {
            "id": node_id,
            "label": _text(d.get("label"), lang) or node_id,
            "labels": _texts(d.get("label")),
            "type": str(d.get("type") or "Other"),
            "stage": None if stage is None else str(stage),
            "stageLabel": None if stage is None else stage_labels.get(str(stage), str(stage)),
            "effort": float(d.get("effort") or 0.0),
            "definition": _texts(d.get("definition")),
            "x": round(x, 1),
            "y": round(y, 1),
            "size": round(sizes[n], 1),
            "step": steps.get(node_id),
            "critical": node_id in critical_set,
            "target": node_id in targets,
        }
        if box is not None:
            item["w"] = round(box.width[n], 1)
            # an open parent shows its own name; folded, the cluster's box says "(+k)"
            item["lines"] = wrap_label(item["label"]) if n in parts else box.lines[n]
            item["lane"] = box.lane.get(n, -1)
            item["band"] = box.band.get(n, 0)
            if n in parts:
                item["block"] = round(box.block[n], 1)
            if node_id in part_of:
                item["partOf"] = part_of[node_id]
        nodes.append(item)
    edges = [
        {
            "id": f"e{i}",
            "from": str(u),
            "to": str(v),
            "kind": str(d.get("kind") or "related"),
            "reason": _text(d.get("reasons"), lang) or _text(d.get("reason"), lang) or None,
        }
        for i, (u, v, d) in enumerate(G.edges(data=True))
    ]
    kinds = {e["kind"] for e in edges}
    types = {n["type"] for n in nodes}
    return {
        "title": title or _default_title(lang, plan),
        "lang": lang,
        "ui": ui,
        "nodes": nodes,
        "edges": edges,
        "types": [
            {"id": t, "name": NODE_STYLES.get(t, _OTHER_NODE)[lang], **_visual(NODE_STYLES, t)}
            for t in [*NODE_STYLES, *sorted(types - set(NODE_STYLES))]
            if t in types
        ],
        "kinds": [
            {"id": k, "name": EDGE_STYLES.get(k, _OTHER_EDGE)[lang], **_visual(EDGE_STYLES, k)}
            for k in sorted(
                kinds, key=lambda k: (list(EDGE_STYLES).index(k) if k in EDGE_STYLES else 99, k)
            )
        ],
        "stages": _stage_list(nodes, ranks),
        "prerequisiteKinds": sorted(PREREQUISITE_KINDS),
        "physics": physics,
        "smooth": G.number_of_edges() <= 1500,
        "plan": _plan_summary(plan, critical, plan_steps, hours_per_week) if plan else None,
        "boxes": boxes,
        "font": FONT,
        "headerFont": HEADER_FONT,
        "headers": [
            {
                "col": int(c),
                "x": round(x, 1),
                "y": round(y, 1),
                "w": round(w, 1),
                "lines": lines,
                "band": box.band.get(("header", c), 0),
            }
            for c, (x, y, w, lines) in (box.headers.items() if box else ())
        ],
        "extent": [round(v, 1) for v in box.extent] if box else None,
        "clusters": [
            {"id": str(p), "parts": [str(c) for c in cs], "lines": _cluster_lines(G, p, cs, lang)}
            for p, cs in parts.items()
        ],
        "hiddenTypes": sorted(hidden_types & types),
        "firstKinds": (
            [k for k in FIRST_EDGE_KINDS if k in kinds] if boxes and not show_all else sorted(kinds)
        ),
        "graphKey": graph_key(G),
    }


def graph_key(G: nx.DiGraph) -> str:
    """A short key of the graph a map was cut from (its progress is stored under it).

    Maps cut from the same graph (a plan map, a role map, the overview) share it.

    >>> G = nx.DiGraph([("a", "b")])
    >>> graph_key(G.subgraph(["a"])) == graph_key(G) != graph_key(nx.DiGraph([("a", "c")]))
    True
    """
    import hashlib

    root = _root(G)
    text = "\n".join(sorted(map(str, root)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _root(G: nx.DiGraph) -> nx.DiGraph:
    """The graph a subgraph view was cut from (``G`` itself otherwise)."""
    while getattr(G, "_graph", None) is not None and G._graph is not G:  # type: ignore[attr-defined]
        G = G._graph  # type: ignore[attr-defined]
    return G


def _collapsible(G: nx.DiGraph, shown: set[Hashable]) -> dict[Hashable, list[Hashable]]:
    """Parents whose parts are all shown: each becomes one box that opens on click."""
    parts: dict[Hashable, list[Hashable]] = {}
    taken: set[Hashable] = set()
    for v in G:
        if v not in shown:
            continue
        cs = sorted((u for u, k in G.pred[v].items() if k.get("kind") == "part"), key=str)
        if cs and all(c in shown and c not in taken and c not in parts for c in cs):
            parts[v] = cs
            taken.update(cs)
    # A part that is itself a parent stays open (one level of folding).
    return {p: cs for p, cs in parts.items() if p not in taken}


def _cluster_lines(G: nx.DiGraph, p: Hashable, cs: list[Hashable], lang: str) -> list[str]:
    return wrap_label(f"{_text(G.nodes[p].get('label'), lang) or p} (+{len(cs)})")


def _box_layout(
    G: nx.DiGraph,
    lang: str,
    plan_steps: list[dict[str, Any]],
    shown: set[Hashable],
    parts: dict[Hashable, list[Hashable]],
    stage_labels: Mapping[str, str],
    D: nx.DiGraph,
    stage_rank: Mapping[Hashable, int],
) -> Any:
    """Columns of boxes: one per stage, or one per plan phase."""
    ui = UI_TEXT[lang]
    column: dict[Hashable, int] = {}
    headers: dict[int, str] = {}
    header_nodes: dict[int, Hashable] = {}
    labels: dict[Hashable, str | list[str]] = {
        n: _text(d.get("label"), lang) or str(n) for n, d in G.nodes(data=True)
    }
    if plan_steps:
        width = len(str(max((s["order"] for s in plan_steps), default=1)))
        for s in plan_steps:
            n = s["id"]
            if n not in G:
                continue
            column[n] = s["phase"] - 1
            lines = wrap_label(f"{'9' * width}. {labels[n]}")
            lines[0] = f"{s['order']}. " + lines[0][width + 2 :]
            if s["effort"]:
                lines.append(f"{s['effort']:g} {ui['hours']}")
            labels[n] = lines
        for c in set(column.values()):
            headers[c] = f"{ui['phase']} {c + 1}\n9999 {ui['hours']} · {ui['weeks']} 999–999"
        _infer_columns(G, D, column, default=0)
    else:
        ranks = {str(k): v for k, v in stage_rank.items()}
        for n, d in G.nodes(data=True):
            if d.get("type") == "Stage":
                if str(n) in ranks:
                    header_nodes[ranks[str(n)]] = n
                continue
            if d.get("stage") is not None and str(d["stage"]) in ranks:
                column[n] = ranks[str(d["stage"])]
        other = len(ranks)
        _infer_columns(
            G, D, column, default=other, skip={n for n in G if n in header_nodes.values()}
        )
        for stage, r in ranks.items():
            if r in column.values():
                headers[r] = stage_labels.get(stage, stage)
        if other in column.values():
            headers[other] = ui["no_stage"]
        for n in G:  # a stage with nothing in it still gets a place
            if n not in column and n not in header_nodes.values():
                column[n] = other
        for p, cs in parts.items():
            labels[p] = wrap_label(f"{labels[p]} (+{len(cs)})")
            for c in cs:
                column[c] = column[p]
    return column_layout(
        G,
        column,
        labels,
        shown=shown,
        parts=parts,
        headers=headers,
        header_nodes=header_nodes,
        order_by={s["id"]: s["order"] for s in plan_steps},
        order=D,
    )


def _infer_columns(
    G: nx.DiGraph,
    D: nx.DiGraph,
    column: dict[Hashable, int],
    *,
    default: int,
    skip: set[Hashable] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Give nodes without a column the column of what leads to them (or what they lead to)."""
    for n in nx.topological_sort(D):
        if n not in column and n not in skip:
            before = [column[p] for p in D.predecessors(n) if p in column]
            if before:
                column[n] = max(before)
    for n in reversed(list(nx.topological_sort(D))):
        if n not in column and n not in skip:
            after = [column[s] for s in D.successors(n) if s in column]
            if after:
                column[n] = min(after)
    for n in G:
        if n not in column and n not in skip:
            near = [column[m] for m in nx.all_neighbors(G, n) if m in column]
            column[n] = min(near) if near else default


def _stage_list(
    nodes: list[dict[str, Any]], ranks: Mapping[Hashable, int] | None = None
) -> list[tuple[str, str]]:
    """The stages named by ``nodes``, in stage order (else left to right), with labels."""
    first: dict[str, tuple[float, str]] = {}
    rank = {str(k): v for k, v in (ranks or {}).items()}
    for n in nodes:
        if n["stage"]:
            x = rank[n["stage"]] if n["stage"] in rank else n["x"]
            x = min(x, first.get(n["stage"], (x, ""))[0])
            first[n["stage"]] = (x, n["stageLabel"])
    return [(s, label) for s, (_, label) in sorted(first.items(), key=lambda i: (i[1][0], i[0]))]


def _visual(table: Mapping[str, Mapping[str, Any]], key: str) -> dict[str, Any]:
    style = table.get(key, _OTHER_EDGE if table is EDGE_STYLES else _OTHER_NODE)
    return {k: v for k, v in style.items() if k not in ("zh", "en")}


def _default_title(lang: str, plan: Mapping[str, Any] | None) -> str:
    if plan:
        return "学习计划" if lang == "zh" else "Learning plan"
    return "AI 工程师技能图谱" if lang == "zh" else "AI engineer skill map"


def _plan_summary(
    plan: Mapping[str, Any],
    critical: list[str],
    steps: list[dict[str, Any]],
    hours_per_week: float | None,
) -> dict[str, Any]:
    total = plan.get("total_effort_hours", plan.get("total_effort", plan.get("total_hours")))
    hpw = hours_per_week or plan.get("hours_per_week")
    return {
        "steps": len(plan.get("steps", [])),
        "total": None if total is None else float(total),
        "critical": critical,
        "targets": sorted(_target_id(t) for t in plan.get("targets", []) or []),
        "items": steps,
        "known": [str(n) for n in plan.get("known", [])],
        "hoursPerWeek": float(hpw) if hpw else None,
    }


@cache
def _asset(name: str) -> str:
    """Read a file from ``render/assets`` (cached: they never change at run time)."""
    return resources.files("aipath_graph.render").joinpath("assets", name).read_text("utf-8")


def _json_for_script(data: Any) -> str:
    """Serialise ``data`` so it can sit inside a ``<script>`` element verbatim.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so no text in the data can close
    the element or open a comment; the JSON still parses to the same values.

    >>> _json_for_script({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def render_html(
    G: nx.DiGraph,
    *,
    lang: Lang = "en",
    layout: LayoutName = "stages",
    title: str | None = None,
    plan: Mapping[str, Any] | Any | None = None,
    size_by: SizeBy = "effort",
    hours_per_week: float | None = None,
    overview: bool = False,
    show_all: bool = False,
) -> str:
    """Render ``G`` as one self-contained HTML page that makes no network request.

    Parameters
    ----------
    G : nx.DiGraph
        A ``relation_graph`` (or a subgraph of it): node attributes ``type``,
        ``label``, ``effort``, ``stage``, ``definition``; edge attributes ``kind``
        and ``reason``.
    lang : {"en", "zh"}
        Language of the labels and of the page.
    layout : {"stages", "hierarchy", "force"}
        ``"stages"``: left to right by stage, then by prerequisite depth (default);
        ``"hierarchy"``: by prerequisite depth only; ``"force"``: a physics layout
        that starts from the stage layout and stops once settled (only up to
        ``FORCE_LIMIT`` nodes; larger graphs keep the stage layout).
    title : str, optional
        Page title; a default naming the map is used otherwise.
    plan : mapping or Plan, optional
        A plan in the planner's JSON shape (``steps`` with ``order`` and ``id``,
        ``critical_path``, optionally ``targets`` and ``total_effort``): steps are
        numbered in order and the critical path is highlighted.
    size_by : {"effort", "unlocks"}
        Node size by effort hours or by how many nodes it leads to (the
        ``"hierarchy"`` and ``"force"`` layouts, whose nodes are dots).
    hours_per_week : float, optional
        Study pace of a plan map: its phase headers carry a scale of weeks.
    overview : bool
        The calm first view of a whole graph: resources, categories, trends, use
        cases, domains, roles and career levels wait behind the type filters.
    show_all : bool
        Show every node and relation at once, parents unfolded.

    The ``"stages"`` layout draws boxes in columns (stages, or a plan's phases),
    labels wrapped, a parent and its parts folded into one box that opens on
    click, and only what-comes-before-what relations at first (the legend turns
    the others on). A plan map numbers its steps, marks the critical path, lets
    the reader tick steps done (kept in the browser, keyed by the graph),
    re-plans what remains, exports the ticked set as a profile YAML, and prints
    as a one-page checklist.

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("x", type="Skill", label={"en": "<script>alert(1)</script>"})
    >>> page = render_html(G)
    >>> "<script>alert(1)" in page
    False
    """
    data = map_data(
        G,
        lang=lang,
        layout=layout,
        title=title,
        plan=plan,
        size_by=size_by,
        hours_per_week=hours_per_week,
        overview=overview,
        show_all=show_all,
    )
    page = _asset("map.html")
    parts = {
        "@@LANG@@": html_lib.escape(lang),
        "@@TITLE@@": html_lib.escape(data["title"]),
        "/*@@VIS_CSS@@*/": _asset("vendor/vis-network.css"),
        "/*@@MAP_CSS@@*/": _asset("map.css"),
        "@@DATA@@": _json_for_script(data),
        "/*@@VIS_JS@@*/": _asset("vendor/vis-network.min.js"),
        "/*@@MAP_JS@@*/": _asset("map.js"),
    }
    for marker, value in parts.items():
        head, sep, tail = page.partition(marker)
        page = head + value + tail if sep else page
    return page


def write_html(page: str, path: str | os.PathLike[str]) -> Path:
    """Write ``page`` to ``path`` atomically (temporary file, then rename).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_html("<p>hi</p>", pathlib.Path(d) / "map.html")
    ...     p.read_text(encoding="utf-8")
    '<p>hi</p>'
    """
    from aipath_graph.io import atomic_write_text

    target = Path(path)
    atomic_write_text(target, page)
    return target


@dataclass(frozen=True)
class RenderedMap:
    """A rendered map: ``str(m)`` is the page, ``m.save(path)`` writes it, Jupyter shows it.

    Examples
    --------
    >>> m = RenderedMap("<p>map</p>", height=300)
    >>> 'srcdoc="&lt;p&gt;map&lt;/p&gt;"' in m._repr_html_()
    True
    """

    html: str
    height: int = 640

    def __str__(self) -> str:
        return self.html

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` atomically and return the path."""
        return write_html(self.html, path)

    def _repr_html_(self) -> str:
        # An iframe keeps the page's script and styles apart from the notebook's.
        return (
            f'<iframe srcdoc="{html_lib.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )


def render_map(G: nx.DiGraph, *, height: int = 640, **options: Any) -> RenderedMap:
    """Like :func:`render_html`, but return a :class:`RenderedMap` (shown inline by Jupyter).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("a", type="Skill", label={"en": "A"})
    >>> render_map(G, lang="en").html.startswith("<!DOCTYPE html>")
    True
    """
    return RenderedMap(render_html(G, **options), height=height)


def to_network(
    G: nx.DiGraph,
    *,
    lang: Lang = "en",
    layout: LayoutName = "stages",
    plan: Mapping[str, Any] | Any | None = None,
    size_by: SizeBy = "effort",
) -> Network:
    """Return a pyvis ``Network`` with the same nodes, edges, styles and positions.

    For further work in pyvis. Its own ``write_html``/``show`` use pyvis's
    template (which links resources online); use :func:`render_html` for an
    offline page. Titles are plain text (vis-network 9 shows them as text).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("a", type="Skill", label={"en": "A"}, effort=4.0)
    >>> G.add_node("b", type="Tool", label={"en": "B"}, effort=9.0)
    >>> G.add_edge("a", "b", kind="requires")
    >>> net = to_network(G)
    >>> len(net.nodes), len(net.edges), net.nodes[0]["physics"]
    (2, 1, False)
    """
    from pyvis.network import Network

    data = map_data(G, lang=lang, layout=layout, plan=plan, size_by=size_by)
    types = {t["id"]: t for t in data["types"]}
    kinds = {k["id"]: k for k in data["kinds"]}
    net = Network(directed=True, height="800px", width="100%", cdn_resources="remote")
    net.toggle_physics(data["physics"])
    for n in data["nodes"]:
        style = types.get(n["type"], _OTHER_NODE)
        label = f"{n['step']}. {n['label']}" if n["step"] is not None else n["label"]
        net.add_node(
            n["id"],
            label=label,
            title=_tooltip(n, data["ui"]),
            color=style["color"],
            shape=style["shape"],
            size=n["size"],
            x=n["x"],
            y=n["y"],
            physics=data["physics"],
            borderWidth=4 if n["critical"] else 1,
        )
    for e in data["edges"]:
        style = kinds.get(e["kind"], _OTHER_EDGE)
        net.add_edge(
            e["from"],
            e["to"],
            title=e["reason"] or style["name"],
            color=style["color"],
            dashes=style["dashes"],
            width=style["width"],
            arrows={"to": {"enabled": True, "type": style["arrow"]}},
        )
    return net


def _tooltip(node: Mapping[str, Any], ui: Mapping[str, str]) -> str:
    lines = [node["label"]]
    if node["effort"]:
        lines.append(f"{ui['effort']}: {node['effort']:g} {ui['hours']}")
    return "\n".join(lines)


def select_subgraph(
    G: nx.DiGraph,
    *,
    focus: Iterable[Hashable] = (),
    depth: int | None = None,
    role: Hashable | None = None,
) -> nx.DiGraph:
    """Cut out the part of ``G`` a map should show.

    Parameters
    ----------
    G : nx.DiGraph
        The relation graph.
    focus : iterable of node ids
        Keep these nodes, what they need and what they unlock, up to ``depth``
        prerequisite steps each way (all of it when ``depth`` is None), plus the
        tools, resources and other nodes directly related to them.
    depth : int, optional
        Hop limit for ``focus``.
    role : node id, optional
        Keep this role (or career level) and everything it needs.

    Returns
    -------
    nx.DiGraph
        A subgraph view of ``G`` (``G`` itself when nothing is selected).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("c", "d")], kind="requires")
    >>> sorted(select_subgraph(G, focus=["b"], depth=1))
    ['a', 'b', 'c']
    >>> sorted(select_subgraph(G, role="c"))
    ['a', 'b', 'c']
    """
    focus = list(focus)
    for n in [*focus, *([] if role is None else [role])]:
        if n not in G:
            raise nx.NodeNotFound(f"node {n!r} is not in the graph")
    if depth is not None and depth < 0:
        raise ValueError("depth must be 0 or more")
    if not focus and role is None:
        return G
    prereq = nx.subgraph_view(
        G, filter_edge=lambda u, v: G.edges[u, v].get("kind") in PREREQUISITE_KINDS
    )
    keep: set[Hashable] = set()
    for n in focus:
        keep.update(nx.single_source_shortest_path_length(prereq, n, cutoff=depth))
        keep.update(
            nx.single_source_shortest_path_length(prereq.reverse(copy=False), n, cutoff=depth)
        )
        keep.update(m for m in nx.all_neighbors(G, n) if G.nodes[m].get("type") != "Category")
    if role is not None:
        keep.add(role)
        keep.update(nx.ancestors(prereq, role))
    return G.subgraph(keep)
