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
from rdflib import SKOS, Graph, Literal

from .namespaces import AIP
from .project import NODE_TYPES, prerequisite_graph, relation_graph

WEEKS_PER_MONTH = 52 / 12
#: A realistic part-time pace, hours a week (DESIGN.md).
PACE = (10.0, 15.0)


def stage_fit(g: Graph, G: nx.DiGraph | None = None) -> list[dict[str, Any]]:
    """Hours each stage introduces against its months at 10–15 h a week.

    ``hours_per_week`` is what the stage's content needs over its months;
    ``fits`` is true when that is within the realistic pace.
    """
    G = G if G is not None else prerequisite_graph(g, check=False)
    rows = []
    for n, data in sorted(G.nodes(data=True), key=lambda kv: str(kv[0])):
        if data["type"] != "Stage":
            continue
        iri = data["iri"]
        from rdflib import URIRef

        start = g.value(URIRef(iri), AIP.monthsFrom)
        end = g.value(URIRef(iri), AIP.monthsTo)
        order = g.value(URIRef(iri), AIP.order)
        hours = sum(d["effort"] for _, d in G.nodes(data=True) if d.get("stage") == n)
        row: dict[str, Any] = {
            "stage": n,
            "label": data["label"],
            "order": int(order) if order is not None else None,
            "months_from": int(start) if start is not None else None,
            "months_to": int(end) if end is not None else None,
            "effort_hours": round(hours, 1),
        }
        if start is not None and end is not None and int(end) > int(start):
            weeks = (int(end) - int(start)) * WEEKS_PER_MONTH
            row["hours_per_week"] = round(hours / weeks, 1)
            row["fits"] = row["hours_per_week"] <= PACE[1]
        else:
            row["hours_per_week"] = None
            row["fits"] = None
        rows.append(row)
    rows.sort(key=lambda r: (r["order"] is None, r["order"] or 0))
    return rows


def graph_stats(g: Graph) -> dict[str, Any]:
    """Nodes per class, edges per relation, label coverage per language, DAG depth, stage fit."""
    P = prerequisite_graph(g, check=False)
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
    depth = nx.dag_longest_path_length(P) if nx.is_directed_acyclic_graph(P) else None
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
