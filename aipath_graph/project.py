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

from .errors import CycleError
from .ids import NODE_TYPES, node_id
from .ids import node_iri as _node_iri
from .namespaces import AIP

#: Relations a learning plan follows: (predicate, kind, reversed?). Not reversed means
#: ``subject predicate object`` gives the edge ``object → subject`` (subject needs object).
PREREQUISITE_RELATIONS: tuple[tuple[URIRef, str, bool], ...] = (
    (AIP.requires, "requires", False),
    (SKOS.broader, "part", True),  # part skos:broader parent → edge part → parent
    (AIP.option, "option", False),  # group aip:option x → edge x → group
    (AIP.requiresAnyOf, "any", False),
    (AIP.essentialSkill, "essential", False),
    (AIP.optionalSkill, "optional", False),
    (AIP.practises, "practises", False),
    (AIP.applies, "applies", False),
    (AIP.covers, "covers", False),
)
#: Relations shown on maps but not followed by plans: (predicate, kind); edge subject → object.
DISPLAY_RELATIONS: tuple[tuple[URIRef, str], ...] = (
    (AIP.serves, "serves"),
    (AIP.teaches, "teaches"),
    (AIP.inDomain, "in_domain"),
    (AIP.relatesTo, "relates"),
    (AIP.inCategory, "in_category"),
)
PREREQUISITE_KINDS = frozenset(k for _, k, _ in PREREQUISITE_RELATIONS) | {"level"}
LEARNABLE_TYPES = frozenset({"Skill", "Tool", "Project"})
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
        if s is not None and p is not None and o is not None and isinstance(reason, Literal):
            out.setdefault((s, p, o), {})[reason.language or ""] = str(reason)
    return out


def _pick(texts: dict[str, str] | None, lang: str = "en") -> str | None:
    if not texts:
        return None
    return texts.get(lang) or texts.get("en") or texts.get("") or next(iter(texts.values()))


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
                stage=node_id(stage[s]) if s in stage else None,
                category=node_id(category[s]) if s in category else None,
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
            yield node_id(s), node_id(o), {"kind": "level", "reason": None, "reasons": {}}


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

    >>> find_cycle(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))
    ['a', 'b', 'c']
    """
    try:
        edges = nx.find_cycle(G)
    except nx.NetworkXNoCycle:
        return []
    return [u for u, _ in edges]


def relation_graph(g: Graph, *, lang: str = "en") -> nx.DiGraph:
    """Return every relation of ``g`` as a DiGraph: prerequisites plus display relations.

    It may contain cycles (a tool serves a skill that needs the tool); use
    :func:`prerequisite_graph` for algorithms.
    """
    G = prerequisite_graph(g, lang=lang, check=False)
    for pred, kind in DISPLAY_RELATIONS:
        for s, o in g.subject_objects(pred):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                u, v = node_id(s), node_id(o)
                if u in G and v in G and not G.has_edge(u, v):
                    G.add_edge(u, v, kind=kind, reason=None, reasons={})
    for s, o in g.subject_objects(AIP.introducedIn):
        if (s, RDF.type, AIP.Project) in g:
            u, v = node_id(s), node_id(o)
            if u in G and v in G and not G.has_edge(u, v):
                G.add_edge(u, v, kind="in_stage", reason=None, reasons={})
    return G
