"""Prerequisite semantics and the OR-group optimiser behind :mod:`aipath_graph.plan`.

The graph is the networkx projection of :func:`aipath_graph.project.prerequisite_graph`:
an edge ``u → v`` means "u comes before v", its ``kind`` says how. Every kind is an
AND prerequisite except

* ``"option"`` (option → ``AnyOf`` group): the group needs **any one** option;
* ``"optional"`` (skill → role or level): followed only with ``include_optional``;
* display kinds of the relation graph (``serves``, ``teaches`` …), never followed.

An edge without a ``kind`` counts as ``"requires"``, so a bare ``nx.DiGraph`` works.

Choosing options
----------------
Which option each reachable group takes changes what else is needed (an option has
prerequisites of its own, and may open further groups). :func:`choose` picks the
options that minimise the total effort of everything needed, counting a shared
prerequisite once:

* **exact** — a depth-first branch and bound over the groups reachable from the
  targets, options tried cheapest-marginal-first; a branch is cut as soon as its
  partial effort reaches the best complete plan found (efforts are non-negative, so
  that partial effort is a lower bound). A group one of whose options is already
  needed takes it at no cost (any other choice needs a superset). Used when the
  product of the option counts of the reachable groups is at most
  ``max_combinations`` (default :data:`MAX_COMBINATIONS`, 2**16).
* **heuristic** — beyond that bound, the same search keeps only its first branch:
  groups in the order they are reached, each taking the option whose not-yet-needed
  prerequisites cost least (greedy on marginal closure cost). Linear in the size of
  the closure; not always optimal.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from aipath_graph.errors import InvalidGraphError
from aipath_graph.kinds import DISPLAY_KINDS

__all__ = [
    "MAX_COMBINATIONS",
    "Choice",
    "GraphIndex",
    "Selection",
    "choose",
    "expand_known",
    "follows",
    "gather",
    "graph_index",
    "is_group",
    "options",
    "prerequisites",
]

#: Largest number of option combinations the exact search takes on (2**16).
MAX_COMBINATIONS = 2**16


Node = Hashable


def is_group(G: nx.DiGraph, n: Node) -> bool:
    """Return True when ``n`` is an ``AnyOf`` group (satisfied by any one option).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("fw", type="AnyOf")
    >>> is_group(G, "fw"), is_group(G, "pytorch")
    (True, False)
    """
    return G.nodes[n].get("type") == "AnyOf" if n in G else False


def options(G: nx.DiGraph, group: Node) -> list[Node]:
    """Return the options of an ``AnyOf`` group, sorted by id (ties break the same way).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("fw", type="AnyOf")
    >>> G.add_edge("pytorch", "fw", kind="option")
    >>> G.add_edge("tensorflow", "fw", kind="option")
    >>> options(G, "fw")
    ['pytorch', 'tensorflow']
    """
    return sorted((u for u, d in G.pred[group].items() if d.get("kind") == "option"), key=str)


def follows(kind: str, include_optional: bool = False) -> bool:
    """Return True when an edge of this kind is an AND prerequisite to follow.

    Examples
    --------
    >>> follows("requires"), follows("option"), follows("optional", True)
    (True, False, True)
    """
    if kind == "optional":
        return include_optional
    return kind != "option" and kind not in DISPLAY_KINDS


def prerequisites(G: nx.DiGraph, n: Node, *, include_optional: bool = False) -> list[Node]:
    """Return the direct prerequisites of ``n`` that are all needed (AND), sorted by id.

    An ``AnyOf`` group among them stands for "any one of its options". For a group
    itself this is empty: use :func:`options`.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("python", "ml", kind="requires")
    >>> G.add_edge("ml", "ai-engineer", kind="essential")
    >>> G.add_edge("docker", "ai-engineer", kind="optional")
    >>> prerequisites(G, "ai-engineer")
    ['ml']
    >>> prerequisites(G, "ai-engineer", include_optional=True)
    ['docker', 'ml']
    """
    return sorted(
        (u for u, d in G.pred[n].items() if follows(d.get("kind", "requires"), include_optional)),
        key=str,
    )


class GraphIndex:
    """Memoised prerequisite lists, options, group flags and efforts of one graph.

    The planner visits every node of a closure several times; this computes what it
    needs of each node once, on first use (sorted lists, read straight from the
    adjacency dicts). One index serves one ``include_optional`` setting.
    :func:`graph_index` keeps it between calls for a frozen graph.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("python", "ml"), ("algebra", "ml")], kind="requires")
    >>> G.add_edge("docker", "ml", kind="optional")
    >>> ix = GraphIndex(G)
    >>> ix.pre("ml"), ix.is_group("ml"), ix.effort("ml")
    (('algebra', 'python'), False, 0.0)
    >>> GraphIndex(G, include_optional=True).pre("ml")
    ('algebra', 'docker', 'python')
    """

    __slots__ = (
        "G",
        "_effort",
        "_node",
        "_opts",
        "_pred",
        "_skip",
        "groups",
        "include_optional",
        "prereqs",
    )

    def __init__(self, G: nx.DiGraph, *, include_optional: bool = False) -> None:
        self.G = G
        self.include_optional = include_optional
        # Plain dicts for a graph, filtered mappings for a view: both read the same.
        self._node = G._node
        self._pred = G._pred
        self._skip = (
            DISPLAY_KINDS | {"option"} | (frozenset() if include_optional else {"optional"})
        )
        #: The ``AnyOf`` nodes (one pass over the nodes).
        self.groups = frozenset(n for n, d in self._node.items() if d.get("type") == "AnyOf")
        #: Memo of :meth:`pre`: read it directly in a hot loop, call pre on a miss.
        self.prereqs: dict[Node, tuple[Node, ...]] = {}
        self._opts: dict[Node, tuple[Node, ...]] = {}
        self._effort: dict[Node, float] = {}

    def __reduce__(self) -> tuple:
        # Pickled with its graph (it lives in G.graph), it comes back as None, to be
        # rebuilt on first use: the graph is not whole yet while it is unpickled.
        return (_dropped, ())

    def pre(self, n: Node) -> tuple[Node, ...]:
        """:func:`prerequisites` of ``n``, sorted by id."""
        p = self.prereqs.get(n)
        if p is None:
            skip = self._skip
            found = [u for u, d in self._pred[n].items() if d.get("kind", "requires") not in skip]
            p = self.prereqs[n] = tuple(sorted(found, key=str) if len(found) > 1 else found)
        return p

    def opts(self, g: Node) -> tuple[Node, ...]:
        """:func:`options` of group ``g``, sorted by id."""
        o = self._opts.get(g)
        if o is None:
            o = tuple(
                sorted(
                    (u for u, d in self._pred[g].items() if d.get("kind") == "option"),
                    key=str,
                )
            )
            self._opts[g] = o
        return o

    def is_group(self, n: Node) -> bool:
        """:func:`is_group` of ``n``."""
        return n in self.groups

    def effort(self, n: Node) -> float:
        """The ``effort`` attribute of ``n`` as a float (0.0 when missing)."""
        e = self._effort.get(n)
        if e is None:
            e = self._effort[n] = float(self._node[n].get("effort", 0.0) or 0.0)
        return e


def _dropped() -> None:
    return None


_INDEX_KEY = "_aipath_index"


def graph_index(G: nx.DiGraph, *, include_optional: bool = False) -> GraphIndex:
    """Return a :class:`GraphIndex` of ``G``, kept in ``G.graph`` when ``G`` is frozen.

    A frozen graph (:func:`networkx.freeze`) cannot change shape, so its index is
    built up across calls; it is taken to be immutable attributes included (edit a
    copy, not a frozen graph's attributes). Any other graph gets a fresh index, as
    it may change between calls.

    Examples
    --------
    >>> G = nx.freeze(nx.DiGraph([("python", "ml")]))
    >>> graph_index(G) is graph_index(G), graph_index(G) is graph_index(G, include_optional=True)
    (True, False)
    >>> H = nx.DiGraph([("python", "ml")])
    >>> graph_index(H) is graph_index(H), graph_index(G.subgraph(["ml"])) is graph_index(G)
    (False, False)
    """
    # A view (subgraph, reversed …) is frozen but follows a graph that may change.
    if not nx.is_frozen(G) or hasattr(G, "_graph"):
        return GraphIndex(G, include_optional=include_optional)
    cache = G.graph.get(_INDEX_KEY)
    if not isinstance(cache, dict) or cache.get("graph") is not G:
        # none yet, or one a copy inherited through the shared ``graph`` dict
        cache = G.graph[_INDEX_KEY] = {"graph": G}
    ix = cache.get(include_optional)
    if ix is None:
        ix = cache[include_optional] = GraphIndex(G, include_optional=include_optional)
    return ix


def expand_known(
    G: nx.DiGraph, known: Iterable[Node], *, assume_prerequisites: bool = True
) -> set[Node]:
    """Return every node counted as known, given the nodes a person knows.

    With ``assume_prerequisites`` (the default) knowing a node implies knowing its
    AND prerequisites, transitively (knowing a role implies its essential skills);
    an ``AnyOf`` group it needs counts as satisfied, though which option was learned
    is not known. In every case a group with a known option is satisfied, and a
    parent skill all of whose parts (``"part"`` edges) are known is known. Nodes not
    in ``G`` are ignored.

    Examples
    --------
    >>> G = nx.DiGraph([("algebra", "calculus"), ("calculus", "backprop")])
    >>> sorted(expand_known(G, ["calculus", "not-in-graph"]))
    ['algebra', 'calculus']
    >>> sorted(expand_known(G, ["calculus"], assume_prerequisites=False))
    ['calculus']
    >>> P = nx.DiGraph([("algebra", "math"), ("calculus", "math")], kind="part")
    >>> nx.set_edge_attributes(P, "part", "kind")
    >>> sorted(expand_known(P, ["algebra", "calculus"]))
    ['algebra', 'calculus', 'math']
    """
    return expand_known_indexed(graph_index(G), known, assume_prerequisites)


def expand_known_indexed(
    ix: GraphIndex, known: Iterable[Node], assume_prerequisites: bool
) -> set[Node]:
    """:func:`expand_known` over an index (its ``include_optional`` is not used)."""
    G = ix.G
    result: set[Node] = set()
    stack = [n for n in known if n in G]
    if assume_prerequisites:
        while stack:
            v = stack.pop()
            if v in result:
                continue
            result.add(v)
            if not ix.is_group(v):
                # the index may follow optional edges; knowing never implies those
                pre = ix.pre(v) if not ix.include_optional else prerequisites(G, v)
                stack.extend(pre)
    else:
        result.update(stack)
    # A parent skill is learned when all its parts are (DESIGN.md).
    succ, pred = G._succ, G._pred
    pending = list(result)
    while pending:
        v = pending.pop()
        for w, d in succ[v].items():
            if d.get("kind") != "part" or w in result:
                continue
            parts = [u for u, e in pred[w].items() if e.get("kind") == "part"]
            if all(u in result for u in parts):
                result.add(w)
                pending.append(w)
    for v in list(result):
        for w, d in succ[v].items():
            if d.get("kind") == "option":
                result.add(w)
    return result


def gather(
    G: nx.DiGraph,
    start: Iterable[Node],
    *,
    known: Collection[Node],
    needed: Collection[Node] = (),
    chosen: dict[Node, Node] | None = None,
    include_optional: bool = False,
) -> tuple[list[Node], list[Node]]:
    """Collect what ``start`` needs beyond ``known`` and ``needed``.

    Walks prerequisites backwards from ``start``; a group with an entry in
    ``chosen`` continues into that option, any other group is returned as open.

    Returns
    -------
    new : list
        Nodes needed and not yet in ``needed`` (``start`` included, groups too).
    open_groups : list
        Groups among ``new`` that have no option chosen, in the order reached.

    Examples
    --------
    >>> G = nx.DiGraph([("python", "pytorch"), ("pytorch", "fw"), ("tf", "fw")])
    >>> G.add_node("fw", type="AnyOf")
    >>> for u in ("pytorch", "tf"):
    ...     G.edges[u, "fw"]["kind"] = "option"
    >>> G.add_edge("fw", "fine-tuning", kind="any")
    >>> gather(G, ["fine-tuning"], known=set())
    (['fine-tuning', 'fw'], ['fw'])
    >>> gather(G, ["fine-tuning"], known=set(), chosen={"fw": "pytorch"})[0]
    ['fine-tuning', 'fw', 'pytorch', 'python']
    """
    ix = graph_index(G, include_optional=include_optional)
    return _gather(ix, start, known, needed, chosen or {})


def _gather(
    ix: GraphIndex,
    start: Iterable[Node],
    known: Collection[Node],
    needed: Collection[Node],
    chosen: dict[Node, Node],
) -> tuple[list[Node], list[Node]]:
    """:func:`gather` over an index: a depth-first walk, prerequisites in id order."""
    memo, groups = ix.prereqs, ix.groups
    new: list[Node] = []
    seen: set[Node] = set()
    open_groups: list[Node] = []
    stack = list(start)
    stack.reverse()
    pop, push, extend = stack.pop, new.append, stack.extend
    while stack:
        v = pop()
        if v in seen or v in known or v in needed:
            continue
        seen.add(v)
        push(v)
        if v in groups:
            if v in chosen:
                stack.append(chosen[v])
            else:
                open_groups.append(v)
            continue
        p = memo.get(v)
        extend(reversed(p if p is not None else ix.pre(v)))
    return new, open_groups


@dataclass(frozen=True)
class Choice:
    """The option a plan takes for an ``AnyOf`` group."""

    group: Node
    chosen: Node
    options: tuple[Node, ...]
    known: bool = False  # satisfied by an option the learner already knows


@dataclass
class Selection:
    """What a set of targets needs: the nodes, the options taken, and how."""

    needed: set[Node]
    chosen: dict[Node, Node]
    effort: float
    method: str  # "exact" or "heuristic"
    combinations: int = 0
    choices: list[Choice] = field(default_factory=list)


def _effort(ix: GraphIndex, nodes: Iterable[Node]) -> float:
    return float(sum(map(ix.effort, nodes)))


def _reachable_groups(ix: GraphIndex, targets: list[Node], known: set[Node]) -> list[Node]:
    """Groups reachable from the targets through any option (an upper bound)."""
    memo, all_groups = ix.prereqs, ix.groups
    seen: set[Node] = set()
    groups: list[Node] = []
    stack = list(targets)
    pop, extend = stack.pop, stack.extend
    while stack:
        v = pop()
        if v in seen or v in known:
            continue
        seen.add(v)
        if v in all_groups:
            groups.append(v)
            extend(ix.opts(v))
        else:
            p = memo.get(v)
            extend(p if p is not None else ix.pre(v))
    return groups


def choose(
    G: nx.DiGraph,
    targets: Iterable[Node],
    *,
    known: Collection[Node] = frozenset(),
    include_optional: bool = False,
    max_combinations: int = MAX_COMBINATIONS,
) -> Selection:
    """Pick an option for each reachable ``AnyOf`` group, minimising total effort.

    ``known`` must already be expanded (see :func:`expand_known`). See the module
    docstring for the exact search and the heuristic.

    Raises
    ------
    InvalidGraphError
        A group the targets need has no options.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("python", {"effort": 40}), ("pytorch", {"effort": 30}),
    ...                   ("tf", {"effort": 20}), ("keras", {"effort": 50}),
    ...                   ("fine-tuning", {"effort": 20}), ("fw", {"type": "AnyOf"})])
    >>> G.add_edges_from([("python", "pytorch"), ("keras", "tf")], kind="requires")
    >>> G.add_edges_from([("pytorch", "fw"), ("tf", "fw")], kind="option")
    >>> G.add_edge("fw", "fine-tuning", kind="any")
    >>> G.add_edge("python", "fine-tuning", kind="requires")
    >>> sel = choose(G, ["fine-tuning"])
    >>> sel.chosen, sel.effort, sel.method
    ({'fw': 'pytorch'}, 90.0, 'exact')
    """
    ix = graph_index(G, include_optional=include_optional)
    return choose_indexed(ix, targets, set(known), max_combinations)


def choose_indexed(
    ix: GraphIndex, targets: Iterable[Node], known: set[Node], max_combinations: int
) -> Selection:
    """:func:`choose` over an index; ``known`` is expanded already."""
    targets = list(dict.fromkeys(targets))
    opts_of = ix.opts
    groups = _reachable_groups(ix, targets, known)
    for g in groups:
        if not opts_of(g):
            raise InvalidGraphError([f"any-of group {g!r} has no options"])
    combos = math.prod(len(opts_of(g)) for g in groups)
    exact = not groups or combos <= max_combinations

    needed: set[Node] = set()
    chosen: dict[Node, Node] = {}
    start, pending = _gather(ix, targets, known, needed, chosen)
    needed.update(start)
    base = _effort(ix, start)
    best: list = [math.inf, None, None]

    def search(cost: float, pending: list[Node]) -> None:
        # Forced moves need no branching: a group already covered, or one option.
        pending = list(pending)
        added: list[tuple[list[Node], Node]] = []
        while pending:
            g = pending.pop(0)
            opts = opts_of(g)
            hit = next((o for o in opts if o in needed), None)
            if hit is not None or len(opts) == 1:
                o = hit if hit is not None else opts[0]
                chosen[g] = o
                new, more = _gather(ix, [o], known, needed, {})
                needed.update(new)
                cost += _effort(ix, new)
                pending.extend(more)
                added.append((new, g))
                continue
            if cost < best[0]:
                scored: list[Any] = []
                for o in opts:
                    new, more = _gather(ix, [o], known, needed, {})
                    scored.append((_effort(ix, new), len(scored), o, new, more))
                scored.sort(key=lambda s: (s[0], s[1]))
                for delta, _, o, new, more in scored:
                    if cost + delta >= best[0]:
                        break
                    chosen[g] = o
                    needed.update(new)
                    search(cost + delta, pending + more)
                    needed.difference_update(new)
                    del chosen[g]
            break
        else:
            if cost < best[0]:
                best[:] = [cost, set(needed), dict(chosen)]
        for new, g in reversed(added):
            needed.difference_update(new)
            del chosen[g]

    if exact:
        search(base, pending)
    else:
        best[:] = _greedy(ix, needed, chosen, base, pending, known)
    if best[1] is None:  # only reachable with an infinite effort somewhere
        raise InvalidGraphError(["no finite plan: check the effort values"])
    cost, needed_best, chosen_best = best
    choices = [Choice(g, o, opts_of(g)) for g, o in chosen_best.items()]
    for g in _satisfied_groups(ix, needed_best, known):
        o = next(o for o in opts_of(g) if o in known)
        choices.append(Choice(g, o, opts_of(g), known=True))
    return Selection(
        needed=needed_best,
        chosen=chosen_best,
        effort=float(cost),
        method="exact" if exact else "heuristic",
        combinations=combos,
        choices=choices,
    )


def _greedy(
    ix: GraphIndex,
    needed: set[Node],
    chosen: dict[Node, Node],
    cost: float,
    pending: list[Node],
    known: set[Node],
) -> list:
    """The heuristic: each group, in the order reached, takes its cheapest option."""
    queue = deque(pending)
    while queue:
        g = queue.popleft()
        opts = ix.opts(g)
        o = next((o for o in opts if o in needed), None)
        if o is None:
            scored = []
            for i, o in enumerate(opts):
                new, more = _gather(ix, [o], known, needed, {})
                scored.append((_effort(ix, new), i, new, more))
            _, i, new, more = min(scored, key=lambda s: (s[0], s[1]))
            o = opts[i]
            needed.update(new)
            cost += _effort(ix, new)
            queue.extend(more)
        chosen[g] = o
    return [cost, needed, chosen]


def _satisfied_groups(ix: GraphIndex, needed: set[Node], known: set[Node]) -> list[Node]:
    """Groups a needed node depends on that a known option already satisfies."""
    if not known:
        return []
    pre, is_group_ = ix.pre, ix.is_group
    out: dict[Node, None] = {}
    for v in needed:
        if is_group_(v):
            continue
        for u in pre(v):
            if u in known and is_group_(u) and any(o in known for o in ix.opts(u)):
                out[u] = None
    return sorted(out, key=str)
