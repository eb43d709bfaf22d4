"""Summary figures of a graph: what ``aipath stats`` prints.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> s = graph_stats(load_graph())
>>> s["nodes"]["Skill"] > 50 and s["dag_depth"] > 3
True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx
from rdflib import SKOS, Graph, Literal, URIRef

from .namespaces import AIP
from .project import NODE_TYPES, prerequisite_graph, relation_graph

WEEKS_PER_MONTH = 52 / 12
#: A realistic part-time pace, hours a week (DESIGN.md).
PACE = (10.0, 15.0)
#: Above this many hours a week a stage is too much for a part-time learner.
TIGHT = 18.0


def stage_fit(g: Graph, G: nx.DiGraph | None = None) -> list[dict[str, Any]]:
    """Hours each stage asks of a learner who follows the path, against its months.

    The stages are planned in order: stage *k*'s plan targets what the stage
    covers and its practice projects, knowing everything planned for the stages
    before it (so OR groups count one option, and shared prerequisites count
    once). ``hours_per_week`` spreads those hours over the stage's months;
    ``verdict`` is ``fits`` within the 10–15 h a week of a part-time learner,
    ``tight`` up to 18 h and ``too much`` beyond.
    """
    from .plan import plan

    G = G if G is not None else prerequisite_graph(g)
    stages = []
    for n, data in G.nodes(data=True):
        if data["type"] != "Stage":
            continue
        iri = URIRef(data["iri"])
        values = [g.value(iri, p) for p in (AIP.order, AIP.monthsFrom, AIP.monthsTo)]
        order, start, end = (int(v.toPython()) if isinstance(v, Literal) else None for v in values)
        stages.append((order if order is not None else 99, n, data, start, end))
    rows: list[dict[str, Any]] = []
    known: set[str] = set()
    for order, n, data, start, end in sorted(stages, key=lambda s: (s[0], str(s[1]))):
        projects = [p for p, d in G.nodes(data=True) if d["type"] == "Project" and d["stage"] == n]
        staged = plan(G, [n, *projects], known=known)
        known |= {str(x) for x in staged.ids}
        hours = staged.total_effort
        row: dict[str, Any] = {
            "stage": n,
            "label": data["label"],
            "order": order,
            "months_from": start,
            "months_to": end,
            "effort_hours": round(hours, 1),
            "steps": len(staged.steps),
            "hours_per_week": None,
            "verdict": "open-ended",
        }
        if start is not None and end is not None and end > start:
            per_week = hours / ((end - start) * WEEKS_PER_MONTH)
            row["hours_per_week"] = round(per_week, 1)
            row["verdict"] = (
                "fits" if per_week <= PACE[1] else "tight" if per_week <= TIGHT else "too much"
            )
        rows.append(row)
    return rows


def graph_stats(g: Graph) -> dict[str, Any]:
    """Nodes per class, edges per relation, label coverage per language, DAG depth, stage fit."""
    P = prerequisite_graph(g)
    R = relation_graph(g)
    nodes = Counter(d["type"] for _, d in R.nodes(data=True))
    edges = Counter(d["kind"] for _, _, d in R.edges(data=True))
    coverage: dict[str, dict[str, int]] = {}
    labelled: dict[str, set[str]] = {}
    for s, o in g.subject_objects(SKOS.prefLabel):
        if isinstance(o, Literal) and o.language:
            labelled.setdefault(o.language, set()).add(str(s))
    total = sum(nodes[t] for t in NODE_TYPES)
    for lang in sorted(labelled):
        have = sum(1 for _, d in R.nodes(data=True) if d["iri"] in labelled[lang])
        coverage[lang] = {"labelled": have, "total": total}
    depth = nx.dag_longest_path_length(P)
    learn = [d["effort"] for _, d in P.nodes(data=True) if d["learnable"]]
    return {
        "triples": len(g),
        "nodes": {t: nodes[t] for t in NODE_TYPES if nodes[t]},
        "edges": dict(sorted(edges.items())),
        "labels": coverage,
        "dag_depth": depth,
        "effort_hours": round(sum(learn), 1),
        "stages": stage_fit(g, P),
    }
