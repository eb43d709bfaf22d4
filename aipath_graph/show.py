"""Everything about one node, and the tree of why it needs what it needs.

:func:`describe` gathers a node's type, labels, definition, effort, stage,
direct prerequisites (with reasons), what it unlocks, the roles that need it,
its projects, tools and resources and its links out, as plain data.
:func:`prerequisite_tree` nests the direct prerequisites of a node, each with
its own, down to the foundations. Nothing here prints.

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix aip: <https://w3id.org/aipath/ontology#> .
... @prefix id: <https://w3id.org/aipath/id/> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... id:a a aip:Skill ; skos:prefLabel "甲"@zh, "A"@en ; aip:requires id:b .
... id:b a aip:Skill ; skos:prefLabel "乙"@zh, "B"@en .
... ''', format="turtle")
>>> info = describe(g, ID.a)
>>> info["type"], info["label"]["zh"], [p["id"] for p in info["prerequisites"]]
('Skill', '甲', ['b'])
>>> tree = prerequisite_tree(g, ID.a)
>>> [c["id"] for c in tree["children"]]
['b']
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from aipath_graph.i18n import pick as _pick
from aipath_graph.ids import NODE_TYPES
from aipath_graph.namespaces import AIP, ID

__all__ = ["describe", "direct_prerequisites", "node_graph", "node_ref", "prerequisite_tree"]


def _id(term: Node) -> str:
    text = str(term)
    return text[len(str(ID)) :] if text.startswith(str(ID)) else text


def _texts(g: Graph, s: Node, p: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in sorted(g.objects(s, p), key=str):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", str(o))
    return out


def _all_texts(g: Graph, s: Node, p: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in sorted(g.objects(s, p), key=str):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", []).append(str(o))
    return out


def _type(g: Graph, s: Node) -> str | None:
    for name in NODE_TYPES:
        if (s, RDF.type, AIP[name]) in g:
            return name
    return None


def _reason(g: Graph, s: Node, p: URIRef, o: Node, lang: str) -> str | None:
    for st in g.subjects(RDF.subject, s):
        if (st, RDF.predicate, p) in g and (st, RDF.object, o) in g:
            return _pick(_texts(g, st, AIP.reason), lang)
    return None


def node_ref(g: Graph, term: Node, lang: str = "en") -> dict[str, Any]:
    """Return ``{"id", "label", "type"}`` for one node.

    Examples
    --------
    >>> node_ref(Graph(), ID.python)
    {'id': 'python', 'label': None, 'type': None}
    """
    return {
        "id": _id(term),
        "label": _pick(_texts(g, term, SKOS.prefLabel), lang),
        "type": _type(g, term),
    }


def _edge(g: Graph, term: Node, kind: str, lang: str, reason: str | None = None) -> dict[str, Any]:
    return {**node_ref(g, term, lang), "kind": kind, "reason": reason}


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: (d.get("kind") or "", d["label"] or "", d["id"]))


def direct_prerequisites(g: Graph, node: URIRef, lang: str = "en") -> list[dict[str, Any]]:
    """Return the nodes ``node`` needs directly, each with ``kind`` and ``reason``.

    Kinds: ``requires``, ``part`` (a part of a parent skill), ``any`` (an
    any-of group) and ``option`` (an alternative of a group).
    """
    out = [
        _edge(g, o, "requires", lang, _reason(g, node, AIP.requires, o, lang))
        for o in g.objects(node, AIP.requires)
    ]
    out += [_edge(g, part, "part", lang) for part in g.subjects(SKOS.broader, node)]
    out += [
        _edge(g, o, "any", lang, _reason(g, node, AIP.requiresAnyOf, o, lang))
        for o in g.objects(node, AIP.requiresAnyOf)
    ]
    out += [_edge(g, o, "option", lang) for o in g.objects(node, AIP.option)]
    return _sorted(out)


def _direct_dependents(g: Graph, node: URIRef, lang: str) -> list[dict[str, Any]]:
    out = [
        _edge(g, s, "requires", lang, _reason(g, s, AIP.requires, node, lang))
        for s in g.subjects(AIP.requires, node)
    ]
    out += [_edge(g, parent, "part", lang) for parent in g.objects(node, SKOS.broader)]
    out += [
        _edge(g, s, "any", lang, _reason(g, s, AIP.requiresAnyOf, node, lang))
        for s in g.subjects(AIP.requiresAnyOf, node)
    ]
    out += [_edge(g, s, "option", lang) for s in g.subjects(AIP.option, node)]
    return _sorted(out)


def describe(g: Graph, node: URIRef, *, lang: str = "en") -> dict[str, Any]:
    """Return everything the graph says about one node, as plain data.

    Parameters
    ----------
    g : rdflib.Graph
        The knowledge graph.
    node : URIRef
        The node (see :class:`aipath_graph.resolve.Resolver`).
    lang : str
        Language of the single labels and reasons of related nodes.

    Returns
    -------
    dict
        Keys ``id``, ``iri``, ``type``, ``label``/``alt``/``definition``/``note``
        (language → text), ``effort`` (hours or None), ``stage``,
        ``prerequisites``, ``unlocks``, ``roles``, ``projects``, ``tools``
        (used by), ``resources`` (learn from), ``serves``, ``exact_match``,
        ``close_match``; and what the node's kind has: a role's or level's
        ``essential`` and ``optional`` skills, ``focus``, ``typical_work`` and
        ``responsibilities`` (language → list); a stage's ``goal``, ``months``,
        ``covers`` (its content) and ``stage_projects``; a project's
        ``practises``; a use case's ``applies`` and ``domain``; a level's
        ``for_role`` and ``next_level``. Empty where the kind has none.
    """
    effort = g.value(node, AIP.effortHours)
    stage = g.value(node, AIP.introducedIn)
    alt: dict[str, list[str]] = {}
    for o in sorted(g.objects(node, SKOS.altLabel), key=str):
        if isinstance(o, Literal):
            alt.setdefault(o.language or "", []).append(str(o))
    roles = [
        _edge(g, s, need, lang, _reason(g, s, pred, node, lang))
        for pred, need in ((AIP.essentialSkill, "essential"), (AIP.optionalSkill, "optional"))
        for s in g.subjects(pred, node)
    ]
    projects = [
        _edge(g, s, "practises", lang, _reason(g, s, AIP.practises, node, lang))
        for s in g.subjects(AIP.practises, node)
    ]
    tools = [_edge(g, s, "serves", lang) for s in g.subjects(AIP.serves, node)]
    tools += [
        _edge(g, o, "required", lang)
        for o in g.objects(node, AIP.requires)
        if (o, RDF.type, AIP.Tool) in g
    ]

    def out_edges(pred: URIRef, kind: str) -> list[dict[str, Any]]:
        return _sorted(
            [
                _edge(g, o, kind, lang, _reason(g, node, pred, o, lang))
                for o in g.objects(node, pred)
            ]
        )

    months_from, months_to = g.value(node, AIP.monthsFrom), g.value(node, AIP.monthsTo)
    role, level = g.value(node, AIP.forRole), g.value(node, AIP.nextLevel)
    domain = g.value(node, AIP.inDomain)
    return {
        "id": _id(node),
        "iri": str(node),
        "type": _type(g, node),
        "label": _texts(g, node, SKOS.prefLabel),
        "alt": alt,
        "definition": _texts(g, node, SKOS.definition),
        "note": _texts(g, node, SKOS.note),
        "effort": float(effort.toPython()) if isinstance(effort, Literal) else None,
        "stage": node_ref(g, stage, lang) if stage is not None else None,
        "prerequisites": direct_prerequisites(g, node, lang),
        "unlocks": _direct_dependents(g, node, lang),
        "roles": _sorted(roles),
        "projects": _sorted(projects),
        "tools": _sorted(tools),
        "resources": _sorted([_edge(g, s, "teaches", lang) for s in g.subjects(AIP.teaches, node)]),
        "serves": _sorted([_edge(g, o, "serves", lang) for o in g.objects(node, AIP.serves)]),
        "exact_match": sorted(str(o) for o in g.objects(node, SKOS.exactMatch)),
        "close_match": sorted(str(o) for o in g.objects(node, SKOS.closeMatch)),
        "focus": _texts(g, node, AIP.focus),
        "typical_work": _texts(g, node, AIP.typicalWork),
        "responsibilities": _all_texts(g, node, AIP.responsibility),
        "essential": out_edges(AIP.essentialSkill, "essential"),
        "optional": out_edges(AIP.optionalSkill, "optional"),
        "for_role": node_ref(g, role, lang) if role is not None else None,
        "next_level": node_ref(g, level, lang) if level is not None else None,
        "goal": _texts(g, node, AIP.goal),
        "months": (
            {
                "from": int(months_from.toPython()),
                "to": int(months_to.toPython()) if isinstance(months_to, Literal) else None,
            }
            if isinstance(months_from, Literal)
            else None
        ),
        "covers": out_edges(AIP.covers, "covers"),
        "stage_projects": _sorted(
            [
                _edge(g, s, "in_stage", lang)
                for s in g.subjects(AIP.introducedIn, node)
                if (s, RDF.type, AIP.Project) in g
            ]
        ),
        "practises": out_edges(AIP.practises, "practises"),
        "applies": out_edges(AIP.applies, "applies"),
        "domain": node_ref(g, domain, lang) if domain is not None else None,
    }


def prerequisite_tree(g: Graph, node: URIRef, *, lang: str = "en") -> dict[str, Any]:
    """Nest the prerequisites of ``node``: each child holds its own ``children``.

    A node met again further down is given once in full; later copies carry
    ``"repeated": True`` and no children, so the tree stays small.

    Returns
    -------
    dict
        ``{"id", "label", "type", "children": [{…, "kind", "reason", "children"}]}``
    """
    seen: set[str] = set()

    def grow(term: URIRef, entry: dict[str, Any], path: frozenset[str]) -> dict[str, Any]:
        seen.add(entry["id"])
        children = []
        for child in direct_prerequisites(g, term, lang):
            iri = URIRef(str(ID) + child["id"]) if "://" not in child["id"] else URIRef(child["id"])
            if child["id"] in seen or child["id"] in path:
                children.append({**child, "repeated": True, "children": []})
            else:
                children.append(grow(iri, child, path | {entry["id"]}))
        return {**entry, "children": children}

    return grow(node, node_ref(g, node, lang), frozenset())


_PREREQUISITE_PATH = "(aip:requires|aip:requiresAnyOf|aip:option|^skos:broader)*"


def node_graph(engine: Any, node: URIRef, *, tree: bool = False) -> Graph:
    """The triples :func:`describe` (or, with ``tree``, :func:`prerequisite_tree`) reads.

    ``engine`` is what SPARQL runs on (:meth:`aipath_graph.cli.AppContext.sparql`):
    on pyoxigraph one ``CONSTRUCT`` gathers the node's own triples, the
    triples that point at it, the type and label of each neighbour and the
    reasons of its edges — for the tree, of every node it needs, transitively.
    Any other engine (a remote store) is returned as it is.

    Examples
    --------
    >>> from aipath_graph.sparql.engine import OxDataset
    >>> ds = OxDataset.from_quads(b"<https://w3id.org/aipath/id/a> "
    ...     b"<https://w3id.org/aipath/ontology#requires> <https://w3id.org/aipath/id/b> <urn:g> .\\n"
    ...     b"<https://w3id.org/aipath/id/b> <https://w3id.org/aipath/ontology#requires> "
    ...     b"<https://w3id.org/aipath/id/c> <urn:g> .\\n")
    >>> len(node_graph(ds, ID.a)), len(node_graph(ds, ID.a, tree=True))
    (1, 2)
    """
    from aipath_graph.sparql.engine import OxDataset
    from aipath_graph.sparql.query import run_query

    if not isinstance(engine, OxDataset):
        return engine
    nodes: list[Node] = [node]
    if tree:
        closure = f"SELECT DISTINCT ?m {{ <{node}> {_PREREQUISITE_PATH} ?m }}"
        nodes = [row["m"] for row in run_query(engine, closure).rows]
    # VALUES in each branch: Oxigraph then looks up each node instead of scanning the graph.
    values = "VALUES ?m { " + " ".join(f"<{n}>" for n in nodes) + " }"
    branches = [
        "?m ?p ?o BIND(?m AS ?s)",
        "?s ?p ?m BIND(?m AS ?o)",
        "?m ?x ?s . ?s ?p ?o FILTER(?p IN (rdf:type, skos:prefLabel))",
        "?s ?x ?m . ?s ?p ?o FILTER(?p IN (rdf:type, skos:prefLabel))",
        "?s rdf:subject ?m . ?s ?p ?o",
        "?s rdf:object ?m . ?s ?p ?o",
    ]
    text = (
        "CONSTRUCT { ?s ?p ?o } WHERE { "
        + " UNION ".join(f"{{ {values} {b} }}" for b in branches)
        + " }"
    )
    result = run_query(engine, text)
    assert result.graph is not None
    return result.graph
