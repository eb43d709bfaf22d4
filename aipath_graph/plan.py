"""Learning-plan algorithms over the prerequisite graph: closure, plan, path, next, gap.

Plain functions in the networkx manner: the graph first (the ``nx.DiGraph`` of
:func:`aipath_graph.project.prerequisite_graph`, edges "u before v" with a ``kind``),
options keyword-only, a precise :class:`~aipath_graph.errors.AipathError` on bad input.
The meaning of each edge kind and the OR-group optimiser are in
:mod:`aipath_graph.choose`.

Knowing a node implies knowing its prerequisites unless ``assume_prerequisites=False``;
known ids that are not nodes of the graph are ignored and reported (``Plan.ignored``).

Work is linear in the size of what a plan visits, not of the graph. Each call reads
a node's prerequisites once (:class:`~aipath_graph.choose.GraphIndex`); a frozen
graph (:func:`networkx.freeze`) keeps that index between calls. On a large graph an
application can also call :func:`gc.freeze` once the graph is loaded, so the cyclic
collector stops rescanning it during a plan (``benchmarks/bench_scale.py``).

Examples
--------
>>> G = nx.DiGraph()
>>> G.add_nodes_from([("algebra", {"effort": 30}), ("calculus", {"effort": 40}),
...                   ("python", {"effort": 20}), ("backprop", {"effort": 5})])
>>> G.add_edges_from([("algebra", "calculus"), ("calculus", "backprop"),
...                   ("python", "backprop")], kind="requires")
>>> p = plan(G, ["backprop"])
>>> [(s.id, s.phase) for s in p.steps]
[('algebra', 1), ('python', 1), ('calculus', 2), ('backprop', 3)]
>>> p.total_effort, p.critical_path, p.critical_path_effort
(95.0, ['algebra', 'calculus', 'backprop'], 75.0)
>>> [s.id for s in plan(G, ["backprop"], known=["calculus"]).steps]
['python', 'backprop']
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from aipath_graph.choose import (
    MAX_COMBINATIONS,
    Choice,
    GraphIndex,
    choose,
    choose_indexed,
    expand_known,
    expand_known_indexed,
    follows,
    graph_index,
    is_group,
    options,
    prerequisites,
)
from aipath_graph.errors import CycleError, NodeNotFound, NoPathError, UsageError

__all__ = [
    "Gap",
    "NextItem",
    "Path",
    "Plan",
    "Step",
    "Transition",
    "closure",
    "frontier",
    "gap",
    "path",
    "plan",
    "transition",
]

Node = Hashable

#: Node types a plan can aim at.
PLANNABLE = frozenset(
    {"Skill", "Tool", "Project", "Role", "CareerLevel", "Stage", "UseCase", "AnyOf"}
)
_LEARNABLE = frozenset({"Skill", "Tool", "Project"})


@dataclass(frozen=True)
class Step:
    """One item of a plan, after every step it ``requires``."""

    order: int
    id: Node
    type: str
    effort: float
    phase: int
    stage: str | None
    requires: tuple[Node, ...]
    label: dict[str, str] = field(default_factory=dict)
    iri: str = ""


@dataclass
class Plan:
    """A learning plan: ordered steps, their total effort and critical path.

    ``critical_path`` is the chain of steps whose efforts add up to the most: the
    least calendar time if independent steps are learned in parallel.
    ``method`` is ``"exact"`` when the options of the OR groups were chosen by the
    exact search, ``"heuristic"`` beyond its bound (see :mod:`aipath_graph.choose`).
    """

    targets: list[Node]
    steps: list[Step]
    total_effort: float
    critical_path: list[Node]
    critical_path_effort: float
    choices: list[Choice]
    method: str
    known: frozenset[Node] = frozenset()
    ignored: list[Any] = field(default_factory=list)

    @property
    def ids(self) -> list[Node]:
        """The step ids in plan order."""
        return [s.id for s in self.steps]

    def weeks(self, hours_per_week: float) -> float:
        """Calendar weeks for the whole plan at ``hours_per_week``, one step at a time.

        Examples
        --------
        >>> G = nx.DiGraph()
        >>> G.add_node("python", effort=45)
        >>> plan(G, ["python"]).weeks(10)
        4.5
        """
        if hours_per_week <= 0:
            raise UsageError("hours per week must be a positive number")
        return self.total_effort / hours_per_week

    def critical_weeks(self, hours_per_week: float) -> float:
        """Calendar weeks of the critical path at ``hours_per_week``."""
        if hours_per_week <= 0:
            raise UsageError("hours per week must be a positive number")
        return self.critical_path_effort / hours_per_week

    def phases(self) -> dict[int, list[Step]]:
        """The steps grouped by phase (phase 1 needs nothing that is not known)."""
        out: dict[int, list[Step]] = {}
        for s in self.steps:
            out.setdefault(s.phase, []).append(s)
        return out


def _check_nodes(G: nx.DiGraph, nodes: Iterable[Node], what: str) -> list[Node]:
    nodes = list(dict.fromkeys(nodes))
    for n in nodes:
        if n not in G:
            raise NodeNotFound(f"{what} {n!r} is not in the prerequisite graph")
    return nodes


def _label(G: nx.DiGraph, n: Node) -> dict[str, str]:
    label = G.nodes[n].get("label")
    if isinstance(label, dict):
        return dict(label)
    return {"en": str(label if label is not None else n)}


def closure(
    G: nx.DiGraph,
    targets: Iterable[Node],
    *,
    known: Iterable[Node] = (),
    include_optional: bool = False,
    assume_prerequisites: bool = True,
    max_combinations: int = MAX_COMBINATIONS,
) -> set[Node]:
    """Return every prerequisite the targets need, transitively, beyond ``known``.

    AND prerequisites are all included; of each OR group, the option a plan would
    choose (least total effort). The targets themselves and the group nodes are not
    included, as with :func:`networkx.ancestors`.

    Raises
    ------
    NodeNotFound
        A target is not a node of ``G``.

    Examples
    --------
    >>> G = nx.DiGraph([("python", "pytorch"), ("pytorch", "fine-tuning"),
    ...                 ("dl-basics", "fine-tuning")])
    >>> sorted(closure(G, ["fine-tuning"]))
    ['dl-basics', 'python', 'pytorch']
    """
    targets = _check_nodes(G, targets, "target")
    k = expand_known(G, known, assume_prerequisites=assume_prerequisites)
    sel = choose(
        G, targets, known=k, include_optional=include_optional, max_combinations=max_combinations
    )
    return {n for n in sel.needed if n not in targets and not is_group(G, n)}


def plan(
    G: nx.DiGraph,
    targets: Iterable[Node],
    *,
    known: Iterable[Node] = (),
    include_optional: bool = False,
    assume_prerequisites: bool = True,
    max_combinations: int = MAX_COMBINATIONS,
) -> Plan:
    """Plan how to learn the targets from what is known.

    Every node the targets need (including the targets) that is not known becomes a
    step, ordered after all its prerequisites. Steps are grouped into phases, the
    topological generations of the plan (phase 1 needs nothing unknown). Where an OR
    group is needed, the plan takes the options that minimise the total effort.
    A target may be any node: a skill, tool or project; a role or career level (its
    essential skills, and its optional ones with ``include_optional``); a stage (what
    it covers); a use case; an AnyOf group (one of its options).

    Parameters
    ----------
    G : nx.DiGraph
        The prerequisite graph (edges "u before v", node attribute ``effort``).
    targets : iterable of node ids
    known : iterable of node ids, optional
        What the learner knows. Ids not in ``G`` are ignored and listed in
        ``Plan.ignored``.
    include_optional : bool, default False
        Also plan the optional skills of roles and career levels.
    assume_prerequisites : bool, default True
        Knowing a node implies knowing its prerequisites.
    max_combinations : int, default 2**16
        Bound of the exact OR-group search (see :mod:`aipath_graph.choose`).

    Returns
    -------
    Plan

    Raises
    ------
    NodeNotFound
        A target is not a node of ``G``.
    UsageError
        A target is of a kind no plan can reach (a domain, a resource …).
    CycleError
        The prerequisites the plan needs form a cycle.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("python", {"effort": 40}), ("pytorch", {"effort": 30}),
    ...                   ("keras", {"effort": 25}), ("tf", {"effort": 20}),
    ...                   ("fine-tuning", {"effort": 20}), ("fw", {"type": "AnyOf"})])
    >>> G.add_edges_from([("python", "pytorch"), ("python", "fine-tuning"),
    ...                   ("keras", "tf")], kind="requires")
    >>> G.add_edges_from([("pytorch", "fw"), ("tf", "fw")], kind="option")
    >>> G.add_edge("fw", "fine-tuning", kind="any")
    >>> p = plan(G, ["fine-tuning"])
    >>> p.ids, p.total_effort, [(c.group, c.chosen) for c in p.choices], p.method
    (['python', 'pytorch', 'fine-tuning'], 90.0, [('fw', 'pytorch')], 'exact')
    >>> plan(G, ["fine-tuning"], known=["tf"]).ids
    ['python', 'fine-tuning']
    """
    targets = _check_nodes(G, targets, "target")
    for t in targets:
        kind = G.nodes[t].get("type", "Skill")
        if kind not in PLANNABLE:
            raise UsageError(
                f"{t!r} is a {kind}; a plan can aim at a skill, tool, project, role, "
                "career level, stage, use case or any-of group"
            )
    known = list(known)
    ignored = [n for n in known if n not in G]
    ix = graph_index(G, include_optional=include_optional)
    ix0 = graph_index(G) if include_optional else ix
    k = expand_known_indexed(ix0, known, assume_prerequisites)
    sel = choose_indexed(ix, targets, k, max_combinations)
    nodes, preds = _plan_dag(ix, sel.needed, sel.chosen)
    attrs, effort = G._node, {n: ix.effort(n) for n in nodes}
    generations, cp = _order(nodes, preds, effort)
    # Steps in (phase, id) order; a step's requires in the same order, by its rank.
    rank: dict[Node, int] = {}
    by_rank = rank.__getitem__
    steps = []
    total = 0.0
    for p, gen in enumerate(generations, 1):
        for n in sorted(gen, key=str):
            d = attrs[n]
            label = d.get("label")
            ps = preds[n]
            order = rank[n] = len(rank) + 1
            e = effort[n]
            total += e
            steps.append(
                Step(  # order, id, type, effort, phase, stage, requires …
                    order,
                    n,
                    d.get("type", "Skill"),
                    e,
                    p,
                    d.get("stage"),
                    tuple(sorted(ps, key=by_rank) if len(ps) > 1 else ps),
                    dict(label) if isinstance(label, dict) else _label(G, n),
                    str(d.get("iri", "")),
                )
            )
    return Plan(
        targets=targets,
        steps=steps,
        total_effort=float(total),
        critical_path=cp,
        critical_path_effort=float(sum(effort[n] for n in cp)),
        choices=sel.choices,
        method=sel.method,
        known=frozenset(k),
        ignored=ignored,
    )


def _plan_dag(
    ix: GraphIndex, needed: set[Node], chosen: dict[Node, Node]
) -> tuple[list[Node], dict[Node, list[Node]]]:
    """The steps, in id order, and their direct prerequisites among the steps.

    A group stands for its chosen option. Prerequisites keep the order of
    :func:`~aipath_graph.choose.prerequisites`, without repeats.
    """
    memo = ix.prereqs
    steps = needed - ix.groups
    nodes = sorted(steps, key=str)  # a fixed node order: ties break the same way
    preds: dict[Node, list[Node]] = {}
    for v in nodes:
        pre = memo.get(v)
        if pre is None:
            pre = ix.pre(v)
        if chosen:
            ps: list[Node] = []
            for u in pre:
                while u in chosen:
                    u = chosen[u]
                if u in steps and u not in ps:
                    ps.append(u)
        else:
            ps = [u for u in pre if u in steps]
        preds[v] = ps
    return nodes, preds


def _order(
    nodes: list[Node], preds: dict[Node, list[Node]], effort: dict[Node, float]
) -> tuple[list[list[Node]], list[Node]]:
    """Topological generations and critical path of the plan DAG, in one pass.

    The generations are those of :func:`networkx.topological_generations`, in the
    same order, on a DiGraph built with ``nodes`` in order and each node's ``preds``
    in order (without building it). The critical path is the chain heaviest in
    effort: a dynamic programme over that topological order; among equally heavy
    chains the one with more steps wins (so a zero-effort target such as a role
    ends it), then the first in topological order; a node's chain continues from
    its first heaviest prerequisite.

    Raises
    ------
    CycleError
        The steps form a cycle (named as :func:`networkx.find_cycle` finds it).
    """
    succ: dict[Node, list[Node]] = {v: [] for v in nodes}
    indegree: dict[Node, int] = {}
    for v in nodes:
        ps = preds[v]
        if ps:
            indegree[v] = len(ps)
            for u in ps:
                succ[u].append(v)
    best: dict[Node, tuple[float, int]] = {}
    back: dict[Node, Node | None] = {}
    key = best.__getitem__
    zero = [v for v in nodes if v not in indegree]
    generations = []
    while zero:
        generations.append(zero)
        this, zero = zero, []
        for u in this:
            ps = preds[u]
            if not ps:
                best[u] = (effort[u], 1)
                back[u] = None
            else:
                prev = max(ps, key=key) if len(ps) > 1 else ps[0]
                w, hops = best[prev]
                best[u] = (w + effort[u], hops + 1)
                back[u] = prev
            for v in succ[u]:
                n = indegree[v] - 1
                if n:
                    indegree[v] = n
                else:
                    zero.append(v)
                    del indegree[v]
    if indegree:
        H = nx.DiGraph()
        H.add_nodes_from(nodes)
        H.add_edges_from((u, v) for v in nodes for u in preds[v])
        cycle = [u for u, _ in nx.find_cycle(H)]
        raise CycleError([str(n) for n in cycle])
    if not best:
        return generations, []
    chain = [max(best, key=key)]
    while (prev := back[chain[-1]]) is not None:
        chain.append(prev)
    return generations, chain[::-1]


@dataclass
class Path:
    """A prerequisite chain from ``nodes[0]`` up to ``nodes[-1]``.

    ``effort`` is what the chain costs after its start (the start is known).
    """

    nodes: list[Node]
    effort: float
    by: str

    @property
    def hops(self) -> int:
        """Number of edges of the chain."""
        return len(self.nodes) - 1


def path(
    G: nx.DiGraph,
    source: Node,
    target: Node,
    *,
    by: str = "effort",
    include_optional: bool = False,
) -> Path:
    """Return the cheapest prerequisite chain from ``source`` up to ``target``.

    Parameters
    ----------
    by : {"effort", "hops"}
        ``"effort"`` minimises the summed effort of the nodes after ``source``
        (Dijkstra); ``"hops"`` the number of edges.
    include_optional : bool, default False
        Also walk "optional skill of a role" edges.

    Raises
    ------
    NodeNotFound
        ``source`` or ``target`` is not a node of ``G``.
    NoPathError
        ``source`` is not a prerequisite of ``target``; the message says whether
        ``target`` is a prerequisite of ``source`` instead.

    Examples
    --------
    >>> G = nx.DiGraph([("algebra", "calculus"), ("calculus", "backprop"),
    ...                 ("algebra", "stats"), ("stats", "ml"), ("backprop", "ml")])
    >>> nx.set_node_attributes(G, {"calculus": 40, "backprop": 5, "stats": 60, "ml": 50},
    ...                        "effort")
    >>> path(G, "algebra", "ml").nodes
    ['algebra', 'calculus', 'backprop', 'ml']
    >>> path(G, "algebra", "ml", by="hops").nodes
    ['algebra', 'stats', 'ml']
    >>> try:
    ...     path(G, "ml", "algebra")
    ... except NoPathError as err:
    ...     print(err)
    'ml' is not a prerequisite of 'algebra' ('algebra' is a prerequisite of 'ml': swap them)
    """
    if by not in ("effort", "hops"):
        raise UsageError(key="bad_by", value=by)
    _check_nodes(G, [source, target], "node")

    def walkable(u: Node, v: Node) -> bool:
        kind = G.edges[u, v].get("kind", "requires")
        return kind == "option" or follows(kind, include_optional)

    view = nx.subgraph_view(G, filter_edge=walkable)

    def cost(u: Node, v: Node, d: dict) -> float:
        return float(G.nodes[v].get("effort", 0.0) or 0.0)

    try:
        if by == "hops":
            nodes = nx.shortest_path(view, source, target)
        else:
            nodes = nx.dijkstra_path(view, source, target, weight=cost)
    except nx.NetworkXNoPath:
        key = "no_path_swap" if nx.has_path(view, target, source) else "no_path"
        raise NoPathError(key=key, source=source, target=target) from None
    effort = float(sum(G.nodes[n].get("effort", 0.0) or 0.0 for n in nodes[1:]))
    return Path(nodes=list(nodes), effort=effort, by=by)


@dataclass(frozen=True)
class NextItem:
    """A node whose prerequisites are all known: it can be learned next.

    ``unlocks`` lists the nodes whose last missing prerequisite it is.
    """

    id: Node
    effort: float
    unlocks: tuple[Node, ...]
    type: str = "Skill"
    stage: str | None = None


def _satisfied(G: nx.DiGraph, u: Node, known: set[Node]) -> bool:
    if u in known:
        return True
    return is_group(G, u) and any(o in known for o in options(G, u))


def _missing(G: nx.DiGraph, v: Node, known: set[Node]) -> list[Node]:
    return [u for u in prerequisites(G, v) if not _satisfied(G, u, known)]


def frontier(
    G: nx.DiGraph,
    known: Iterable[Node] = (),
    *,
    within: Iterable[Node] | None = None,
    assume_prerequisites: bool = True,
) -> list[NextItem]:
    """What can be learned next: learnable nodes whose prerequisites are all known.

    Sorted most unlocking first (how many nodes it is the last missing
    prerequisite of), then by effort, then by id.

    Parameters
    ----------
    known : iterable of node ids
        Ids not in ``G`` are ignored.
    within : iterable of node ids, optional
        Keep only these nodes (e.g. the steps of a plan).
    assume_prerequisites : bool, default True
        Knowing a node implies knowing its prerequisites.

    Examples
    --------
    >>> G = nx.DiGraph([("algebra", "calculus"), ("calculus", "backprop"),
    ...                 ("python", "backprop"), ("python", "numpy")])
    >>> [(n.id, n.unlocks) for n in frontier(G, ["algebra"])]
    [('python', ('numpy',)), ('calculus', ())]
    >>> [n.id for n in frontier(G, ["calculus", "python"])]
    ['backprop', 'numpy']
    """
    k = expand_known(G, known, assume_prerequisites=assume_prerequisites)
    keep = None if within is None else set(within)
    items = []
    for v in G:
        kind = G.nodes[v].get("type", "Skill")
        if v in k or kind not in _LEARNABLE or (keep is not None and v not in keep):
            continue
        if _missing(G, v, k):
            continue
        after = k | {v}
        unlocked: dict[Node, None] = {}
        for w in G.succ[v]:
            targets = G.succ[w] if is_group(G, w) else [w]
            for x in targets:
                if (
                    x not in k
                    and G.nodes[x].get("type", "Skill") in _LEARNABLE
                    and not _missing(G, x, after)
                ):
                    unlocked[x] = None
        items.append(
            NextItem(
                id=v,
                effort=float(G.nodes[v].get("effort", 0.0) or 0.0),
                unlocks=tuple(sorted(unlocked, key=str)),
                type=kind,
                stage=G.nodes[v].get("stage"),
            )
        )
    items.sort(key=lambda n: (-len(n.unlocks), n.effort, str(n.id)))
    return items


@dataclass
class Gap:
    """What separates a person from a role (or career level)."""

    role: Node
    have: list[Node]
    missing: list[Node]
    optional_missing: list[Node]
    plan: Plan


def _direct(G: nx.DiGraph, role: Node, kind: str) -> list[Node]:
    return sorted((u for u, d in G.pred[role].items() if d.get("kind") == kind), key=str)


def gap(
    G: nx.DiGraph,
    role: Node,
    known: Iterable[Node] = (),
    *,
    include_optional: bool = False,
    assume_prerequisites: bool = True,
) -> Gap:
    """Compare what a person knows with what a role needs.

    Returns the role's essential skills the person has and lacks, the optional ones
    they lack, and the plan that closes the gap.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("python", "ml", kind="requires")
    >>> G.add_edges_from([("ml", "mle"), ("sql", "mle")], kind="essential")
    >>> G.add_edge("spark", "mle", kind="optional")
    >>> G.nodes["mle"]["type"] = "Role"
    >>> g = gap(G, "mle", ["python", "sql"])
    >>> g.have, g.missing, g.optional_missing, g.plan.ids
    (['sql'], ['ml'], ['spark'], ['ml', 'mle'])
    """
    (role,) = _check_nodes(G, [role], "role")
    p = plan(
        G,
        [role],
        known=known,
        include_optional=include_optional,
        assume_prerequisites=assume_prerequisites,
    )
    essential = _direct(G, role, "essential") + _direct(G, role, "level")
    have = [n for n in essential if _satisfied(G, n, set(p.known))]
    missing = [n for n in essential if n not in have]
    optional = [n for n in _direct(G, role, "optional") if not _satisfied(G, n, set(p.known))]
    return Gap(role=role, have=have, missing=missing, optional_missing=optional, plan=p)


@dataclass
class Transition:
    """Moving from one role to another: shared and separate requirements, and a plan."""

    source: Node
    target: Node
    shared: list[Node]
    only_source: list[Node]
    only_target: list[Node]
    plan: Plan


def transition(
    G: nx.DiGraph,
    source: Node,
    target: Node,
    *,
    include_optional: bool = False,
) -> Transition:
    """What someone in role ``source`` must learn for role ``target``.

    Someone in a role is taken to know its essential skills and their prerequisites.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("python", "ds"), ("stats", "ds"), ("python", "mle"),
    ...                   ("mlops", "mle")], kind="essential")
    >>> G.add_nodes_from(["ds", "mle"], type="Role")
    >>> t = transition(G, "ds", "mle")
    >>> t.shared, t.only_source, t.only_target, t.plan.ids
    (['python'], ['stats'], ['mlops'], ['mlops', 'mle'])
    """
    _check_nodes(G, [source, target], "role")
    a = set(_direct(G, source, "essential"))
    b = set(_direct(G, target, "essential"))
    p = plan(G, [target], known=[source], include_optional=include_optional)
    return Transition(
        source=source,
        target=target,
        shared=sorted(a & b, key=str),
        only_source=sorted(a - b, key=str),
        only_target=sorted(b - a, key=str),
        plan=p,
    )
