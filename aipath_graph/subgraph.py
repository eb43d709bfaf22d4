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

from collections.abc import Iterable

from rdflib import Graph

from .errors import NodeNotFound
from .project import prerequisite_graph, relation_graph


def focus_nodes(
    g: Graph, focus: Iterable[str] = (), *, depth: int | None = None, role: str | None = None
) -> set[str]:
    """Node ids around ``focus`` (up to ``depth`` prerequisite steps each way) or a role.

    Raises
    ------
    NodeNotFound
        A focus node or the role is not in the graph.
    """
    import networkx as nx

    from .render import select_subgraph

    G = relation_graph(g)
    try:
        return {str(n) for n in select_subgraph(G, focus=list(focus), depth=depth, role=role)}
    except nx.NodeNotFound as exc:
        raise NodeNotFound(str(exc)) from None


def plan_nodes(g: Graph, targets: Iterable[str], *, known: Iterable[str] = ()) -> set[str]:
    """Node ids of the plan to ``targets``: its steps, the targets and the OR groups used."""
    from .plan import plan

    P = prerequisite_graph(g)
    p = plan(P, list(targets), known=list(known))
    ids = {str(s.id) for s in p.steps} | {str(t) for t in p.targets}
    groups = {
        n
        for n in P
        if P.nodes[n].get("type") == "AnyOf"
        and any(v in ids for v in P.successors(n))
        and any(u in ids for u in P.predecessors(n))
    }
    return ids | groups


__all__ = ["focus_nodes", "plan_nodes"]
