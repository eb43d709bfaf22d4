"""Pick the part of the graph a view or an export should cover.

``focus_nodes`` keeps some nodes, what they need and what they unlock (it is
:func:`aipath_graph.render.select_subgraph`, shared with ``aipath render``);
``plan_nodes`` keeps the steps and targets of a learning plan and the OR
groups between them.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> g = load_graph()
>>> nodes = plan_nodes(g, ["backpropagation"], known=["calculus"])
>>> "backpropagation" in nodes, "calculus" in nodes
(True, False)
>>> "linear-algebra" in focus_nodes(g, ["backpropagation"], depth=1)
True
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

import networkx as nx

from .errors import NodeNotFound

if TYPE_CHECKING:
    from rdflib import Graph


def with_groups(G: nx.DiGraph, ids: Collection[str]) -> set[str]:
    """``ids`` plus the OR groups of ``G`` that sit between two of them (a plan's choices).

    >>> G = nx.DiGraph([("pytorch", "any-fw"), ("any-fw", "fine-tuning"), ("jax", "any-fw")])
    >>> G.nodes["any-fw"]["type"] = "AnyOf"
    >>> sorted(with_groups(G, {"pytorch", "fine-tuning"}))
    ['any-fw', 'fine-tuning', 'pytorch']
    """
    groups = {
        n
        for n in G
        if G.nodes[n].get("type") == "AnyOf"
        and any(v in ids for v in G.successors(n))
        and any(u in ids for u in G.predecessors(n))
    }
    return set(ids) | groups


def focus_nodes(
    g: Graph, focus: Iterable[str] = (), *, depth: int | None = None, role: str | None = None
) -> set[str]:
    """Node ids around ``focus`` (up to ``depth`` prerequisite steps each way) or a role.

    Raises
    ------
    NodeNotFound
        A focus node or the role is not in the graph.
    """
    from .project import relation_graph
    from .render import select_subgraph

    G = relation_graph(g)
    try:
        return {str(n) for n in select_subgraph(G, focus=list(focus), depth=depth, role=role)}
    except nx.NodeNotFound as exc:
        raise NodeNotFound(str(exc)) from None


def plan_nodes(g: Graph, targets: Iterable[str], *, known: Iterable[str] = ()) -> set[str]:
    """Node ids of the plan to ``targets``: its steps, the targets and the OR groups used."""
    from .plan import plan
    from .project import prerequisite_graph

    P = prerequisite_graph(g)
    p = plan(P, list(targets), known=list(known))
    return with_groups(P, {str(s.id) for s in p.steps} | {str(t) for t in p.targets})


__all__ = ["focus_nodes", "plan_nodes", "with_groups"]
