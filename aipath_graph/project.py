"""Project the RDF graph onto networkx graphs for the algorithms and the maps.

Edges point from what comes first to what needs it (``u → v``: v needs u), and
carry ``kind`` and ``reason``. :func:`prerequisite_graph` keeps the relations a
learning plan follows and must be acyclic; :func:`relation_graph` adds the
relations that are shown but not followed (a tool serves a skill, a resource
teaches one, …). Both read the store in one pass per predicate, never a query
per node.

Node ids are slugs for nodes of the instance namespace and full IRIs otherwise.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> G = prerequisite_graph(load_graph())
>>> G.edges["calculus", "backpropagation"]["kind"]
'requires'
>>> G.nodes["backpropagation"]["label"]["zh"]
'反向传播算法'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import networkx as nx

from . import kinds
from .errors import CycleError
from .facts import AIP, RDF, SKOS, Facts, Text, is_iri
from .i18n import DEFAULT_LANG
from .i18n import pick as _pick
from .ids import LEARNABLE_TYPES, NODE_TYPES, node_id
from .ids import node_iri as _node_iri

if TYPE_CHECKING:
    from rdflib import URIRef


def _term(name: str) -> str:
    return SKOS + "broader" if name == "skos:broader" else AIP + name


#: The relations of :mod:`aipath_graph.kinds` with the ontology's IRIs.
PREREQUISITE_RELATIONS: tuple[tuple[str, str, bool], ...] = tuple(
    (_term(p), kind, rev) for p, kind, rev in kinds.PREREQUISITE_RELATIONS
)
DISPLAY_RELATIONS: tuple[tuple[str, str], ...] = tuple(
    (_term(p), kind) for p, kind in kinds.DISPLAY_RELATIONS
)
PREREQUISITE_KINDS = kinds.PREREQUISITE_KINDS
DISPLAY_KINDS = kinds.DISPLAY_KINDS
_TYPE_IRIS = {AIP + t: t for t in NODE_TYPES}


class _NoTexts(dict[str, str]):
    """An empty, unwritable dict: the one value of every missing ``reasons``/``definition``.

    A big graph has a million of them; one shared object keeps the views (and
    their cache entry) smaller and quicker to pickle.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the views' empty texts are shared; assign a new dict instead")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _refuse  # type: ignore[assignment]


#: The shared empty texts (see :class:`_NoTexts`).
NO_TEXTS: dict[str, str] = _NoTexts()
_RDF_TYPE = RDF + "type"


def node_iri(node: str) -> URIRef:
    """The IRI of a node id, as an rdflib term (the inverse of :func:`node_id`).

    >>> str(node_iri("git")), node_id("https://w3id.org/aipath/id/git")
    ('https://w3id.org/aipath/id/git', 'git')
    """
    from rdflib import URIRef

    return URIRef(_node_iri(node))


def typed_nodes(F: Facts) -> dict[str, list[str]]:
    """The IRIs of the nodes of each type of :data:`NODE_TYPES`, in that order (read once)."""
    if F.typed is None:
        by_type: dict[str, list[str]] = {t: [] for t in NODE_TYPES}
        for s, o in F[_RDF_TYPE]:
            name = _TYPE_IRIS.get(o) if type(o) is str else None
            if name is not None and is_iri(s):
                by_type[name].append(s)
        F.typed = by_type
    return F.typed


def _texts(F: Facts, pred: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for s, o in F[pred]:
        if type(o) is Text and is_iri(s):
            slot = out.setdefault(s, {})
            if o.lang not in slot or o.value < slot[o.lang]:
                slot[o.lang] = o.value
    return {s: dict(sorted(texts.items())) for s, texts in out.items()}


def _plain(term: Any) -> str:
    return term.value if type(term) is Text else str(term)


def _reasons(F: Facts) -> dict[tuple[str, str, str], dict[str, str]]:
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    reasons = F[AIP + "reason"]
    if not reasons:
        return out
    subject, predicate, obj = (dict(F[RDF + name]) for name in ("subject", "predicate", "object"))
    for stmt, reason in reasons:
        s, p, o = subject.get(stmt), predicate.get(stmt), obj.get(stmt)
        if is_iri(s) and is_iri(p) and is_iri(o) and type(reason) is Text:
            out.setdefault((s, p, o), {})[reason.lang] = reason.value
    return out


def _add_nodes(F: Facts, G: nx.DiGraph, ids: dict[str, str]) -> None:
    labels = _texts(F, SKOS + "prefLabel")
    definitions = _texts(F, SKOS + "definition")
    effort: dict[str, float] = {}
    for s, o in F[AIP + "effortHours"]:
        if type(o) is Text:
            with contextlib.suppress(ArithmeticError):  # not a number: no effort
                effort[s] = float(Decimal(o.value))
    stage = dict(F[AIP + "introducedIn"])
    category = dict(F[AIP + "inCategory"])
    nodes: dict[str, dict[str, Any]] = {}
    for type_name, subjects in typed_nodes(F).items():  # a node typed twice keeps the last
        learnable = type_name in LEARNABLE_TYPES
        for s in subjects:
            n = ids[s] = node_id(s)
            nodes[n] = {
                "iri": s,
                "type": type_name,
                "label": labels.get(s, {}) or {"en": n},
                "definition": definitions.get(s, NO_TEXTS),
                "effort": effort.get(s, 0.0),
                "stage": node_id(_plain(stage[s])) if s in stage else None,
                "category": node_id(_plain(category[s])) if s in category else None,
                "learnable": learnable,
            }
    G.add_nodes_from(nodes.items())
    G.graph["stage_labels"] = {n: d["label"] for n, d in nodes.items() if d["type"] == "Stage"}


def _edges(F: Facts, ids: dict[str, str], lang: str) -> Iterator[tuple[str, str, dict]]:
    reasons = _reasons(F)

    def nid(iri: str) -> str:
        n = ids.get(iri)
        if n is None:
            n = ids[iri] = node_id(iri)
        return n

    for pred, kind, reverse in PREREQUISITE_RELATIONS:
        for s, o in F[pred]:
            if not (is_iri(s) and is_iri(o)):
                continue
            reason = reasons.get((s, pred, o)) if reasons else None
            u, v = (nid(s), nid(o)) if reverse else (nid(o), nid(s))
            yield u, v, {"kind": kind, "reason": _pick(reason, lang), "reasons": reason or NO_TEXTS}
    for s, o in F[AIP + "nextLevel"]:
        if is_iri(s) and is_iri(o):
            yield nid(s), nid(o), {"kind": kinds.LEVEL_KIND, "reason": None, "reasons": NO_TEXTS}


def prerequisite_graph(g: Any, *, lang: str = DEFAULT_LANG, check: bool = True) -> nx.DiGraph:
    """Return the prerequisite DiGraph of ``g`` (see the module docstring).

    Parameters
    ----------
    g : rdflib.Graph or Facts
        A graph in the aipath ontology, or its :class:`~aipath_graph.facts.Facts`.
    lang : str
        Language of the ``reason`` edge attribute (all languages are in ``reasons``).
    check : bool
        Raise :class:`~aipath_graph.errors.CycleError` when the prerequisites form a cycle.
    """
    F = Facts.of(g)
    G = nx.DiGraph()
    ids: dict[str, str] = {}
    _add_nodes(F, G, ids)
    edges = list(_edges(F, ids, lang))
    for u, v, _ in edges:
        for n in (u, v):
            if n not in G:  # a referenced node with no type: keep it, typed Unknown
                G.add_node(
                    n,
                    iri=_node_iri(n),
                    type="Unknown",
                    label={"en": n},
                    definition=NO_TEXTS,
                    effort=0.0,
                    stage=None,
                    category=None,
                    learnable=False,
                )
    G.add_edges_from(edges)
    if check:
        cycle = find_cycle(G)
        if cycle:
            raise CycleError(cycle)
    return G


def find_cycle(G: nx.DiGraph) -> list[str]:
    """Return the nodes of one cycle of ``G`` in order, or ``[]`` when acyclic.

    Linear: a topological sort decides; the cycle is searched only when one
    exists (``networkx.find_cycle`` alone revisits edges on a large DAG).

    >>> find_cycle(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))
    ['a', 'b', 'c']
    >>> find_cycle(nx.DiGraph([("a", "b"), ("a", "c"), ("b", "c")]))
    []
    """
    if nx.is_directed_acyclic_graph(G):
        return []
    try:
        edges = nx.find_cycle(G)
    except nx.NetworkXNoCycle:
        return []
    return [u for u, _ in edges]


def relation_graph(
    g: Any, *, lang: str = DEFAULT_LANG, prerequisites: nx.DiGraph | None = None
) -> nx.DiGraph:
    """Return every relation of ``g`` as a DiGraph: prerequisites plus display relations.

    It may contain cycles (a tool serves a skill that needs the tool); use
    :func:`prerequisite_graph` for algorithms. ``prerequisites``, when given, is
    that graph of ``g`` already projected (copied, not projected again).
    """
    F = Facts.of(g)
    if prerequisites is not None:
        G = prerequisites.copy()
    else:
        G = prerequisite_graph(F, lang=lang, check=False)
    extra: list[tuple[str, str, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()

    def add(u: str, v: str, kind: str) -> None:
        if u in G and v in G and not G.has_edge(u, v) and (u, v) not in seen:
            seen.add((u, v))
            extra.append((u, v, {"kind": kind, "reason": None, "reasons": NO_TEXTS}))

    for pred, kind in DISPLAY_RELATIONS:
        for s, o in F[pred]:
            if is_iri(s) and is_iri(o):
                add(node_id(s), node_id(o), kind)
    projects = set(typed_nodes(F)["Project"])
    for s, o in F[AIP + "introducedIn"]:
        if s in projects:
            add(node_id(s), node_id(_plain(o)), kinds.IN_STAGE_KIND)
    G.add_edges_from(extra)
    return G


def views(g: Any) -> dict[str, Any]:
    """The views of ``g`` (an rdflib graph or its Facts, which this empties), read once.

    ``{"prerequisites": prerequisite_graph, "relations": relation_graph,
    "index": name index}`` (:func:`aipath_graph.resolve.build_index`). The
    facts of a predicate are dropped once no view needs them, so a big graph's
    facts and views are not held in full at the same time.

    >>> from aipath_graph.graph import load_graph
    >>> sorted(views(load_graph()))
    ['index', 'prerequisites', 'relations']
    """
    from .bulk import paused_gc
    from .resolve import build_index

    with paused_gc():
        F = Facts.of(g)
        index = build_index(F)
        F.drop(SKOS + "altLabel")
        prerequisites = prerequisite_graph(F)
        still = {_RDF_TYPE, AIP + "introducedIn", *(p for p, _ in DISPLAY_RELATIONS)}
        F.drop(*(p for p in list(F.pairs) if p not in still))
        relations = relation_graph(F, prerequisites=prerequisites)
        F.drop(*list(F.pairs))
        return {"prerequisites": prerequisites, "relations": relations, "index": index}
