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

from collections.abc import Iterator
from decimal import Decimal

import networkx as nx
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from . import kinds
from .errors import CycleError
from .i18n import pick as _pick
from .ids import LEARNABLE_TYPES, NODE_TYPES, node_id
from .ids import node_iri as _node_iri
from .namespaces import AIP


def _term(name: str) -> URIRef:
    return SKOS.broader if name == "skos:broader" else AIP[name]


#: The relations of :mod:`aipath_graph.kinds` with the ontology's IRIs.
PREREQUISITE_RELATIONS: tuple[tuple[URIRef, str, bool], ...] = tuple(
    (_term(p), kind, rev) for p, kind, rev in kinds.PREREQUISITE_RELATIONS
)
DISPLAY_RELATIONS: tuple[tuple[URIRef, str], ...] = tuple(
    (_term(p), kind) for p, kind in kinds.DISPLAY_RELATIONS
)
PREREQUISITE_KINDS = kinds.PREREQUISITE_KINDS
DISPLAY_KINDS = kinds.DISPLAY_KINDS
_TYPE_IRIS = {AIP[t]: t for t in NODE_TYPES}


def node_iri(node: str) -> URIRef:
    """The IRI of a node id, as an rdflib term (the inverse of :func:`node_id`).

    >>> str(node_iri("git")), node_id("https://w3id.org/aipath/id/git")
    ('https://w3id.org/aipath/id/git', 'git')
    """
    return URIRef(_node_iri(node))


def _texts(g: Graph, pred: URIRef) -> dict[URIRef, dict[str, str]]:
    out: dict[URIRef, dict[str, str]] = {}
    for s, o in g.subject_objects(pred):
        if isinstance(o, Literal) and isinstance(s, URIRef):
            lang = o.language or ""
            slot = out.setdefault(s, {})
            if lang not in slot or str(o) < slot[lang]:
                slot[lang] = str(o)
    return {s: dict(sorted(texts.items())) for s, texts in out.items()}


def _reasons(g: Graph) -> dict[tuple[URIRef, URIRef, URIRef], dict[str, str]]:
    out: dict[tuple[URIRef, URIRef, URIRef], dict[str, str]] = {}
    for stmt, reason in g.subject_objects(AIP.reason):
        s = g.value(stmt, RDF.subject)
        p = g.value(stmt, RDF.predicate)
        o = g.value(stmt, RDF.object)
        if (
            isinstance(s, URIRef)
            and isinstance(p, URIRef)
            and isinstance(o, URIRef)
            and isinstance(reason, Literal)
        ):
            out.setdefault((s, p, o), {})[reason.language or ""] = str(reason)
    return out


def _add_nodes(g: Graph, G: nx.DiGraph) -> None:
    labels = _texts(g, SKOS.prefLabel)
    definitions = _texts(g, SKOS.definition)
    effort = {
        s: float(Decimal(str(o)))
        for s, o in g.subject_objects(AIP.effortHours)
        if isinstance(o, Literal) and _is_number(o)
    }
    stage = dict(g.subject_objects(AIP.introducedIn))
    category = dict(g.subject_objects(AIP.inCategory))
    for cls_iri, type_name in _TYPE_IRIS.items():
        for s in g.subjects(RDF.type, cls_iri):
            if not isinstance(s, URIRef):
                continue
            n = node_id(s)
            G.add_node(
                n,
                iri=str(s),
                type=type_name,
                label=labels.get(s, {}) or {"en": n},
                definition=definitions.get(s, {}),
                effort=effort.get(s, 0.0),
                stage=node_id(str(stage[s])) if s in stage else None,
                category=node_id(str(category[s])) if s in category else None,
                learnable=type_name in LEARNABLE_TYPES,
            )
    G.graph["stage_labels"] = {n: d["label"] for n, d in G.nodes(data=True) if d["type"] == "Stage"}


def _is_number(o: Literal) -> bool:
    try:
        Decimal(str(o))
    except ArithmeticError:
        return False
    return True


def _edges(g: Graph, G: nx.DiGraph, lang: str) -> Iterator[tuple[str, str, dict]]:
    reasons = _reasons(g)
    for pred, kind, reverse in PREREQUISITE_RELATIONS:
        for s, o in g.subject_objects(pred):
            if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
                continue
            reason = reasons.get((s, pred, o))
            u, v = (node_id(s), node_id(o)) if reverse else (node_id(o), node_id(s))
            yield u, v, {"kind": kind, "reason": _pick(reason, lang), "reasons": reason or {}}
    for s, o in g.subject_objects(AIP.nextLevel):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            yield node_id(s), node_id(o), {"kind": kinds.LEVEL_KIND, "reason": None, "reasons": {}}


def prerequisite_graph(g: Graph, *, lang: str = "en", check: bool = True) -> nx.DiGraph:
    """Return the prerequisite DiGraph of ``g`` (see the module docstring).

    Parameters
    ----------
    g : rdflib.Graph
        A graph in the aipath ontology.
    lang : str
        Language of the ``reason`` edge attribute (all languages are in ``reasons``).
    check : bool
        Raise :class:`~aipath_graph.errors.CycleError` when the prerequisites form a cycle.
    """
    G = nx.DiGraph()
    _add_nodes(g, G)
    for u, v, data in _edges(g, G, lang):
        for n in (u, v):
            if n not in G:  # a referenced node with no type: keep it, typed Unknown
                G.add_node(
                    n,
                    iri=str(node_iri(n)),
                    type="Unknown",
                    label={"en": n},
                    definition={},
                    effort=0.0,
                    stage=None,
                    category=None,
                    learnable=False,
                )
        G.add_edge(u, v, **data)
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
    g: Graph, *, lang: str = "en", prerequisites: nx.DiGraph | None = None
) -> nx.DiGraph:
    """Return every relation of ``g`` as a DiGraph: prerequisites plus display relations.

    It may contain cycles (a tool serves a skill that needs the tool); use
    :func:`prerequisite_graph` for algorithms. ``prerequisites``, when given, is
    that graph of ``g`` already projected (copied, not projected again).
    """
    if prerequisites is not None:
        G = prerequisites.copy()
    else:
        G = prerequisite_graph(g, lang=lang, check=False)
    for pred, kind in DISPLAY_RELATIONS:
        for s, o in g.subject_objects(pred):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                u, v = node_id(s), node_id(o)
                if u in G and v in G and not G.has_edge(u, v):
                    G.add_edge(u, v, kind=kind, reason=None, reasons={})
    for s, o in g.subject_objects(AIP.introducedIn):
        if (s, RDF.type, AIP.Project) in g:
            u, v = node_id(str(s)), node_id(str(o))
            if u in G and v in G and not G.has_edge(u, v):
                G.add_edge(u, v, kind=kinds.IN_STAGE_KIND, reason=None, reasons={})
    return G
