"""The triples the views are made of, read once into plain strings.

The networkx views (:mod:`aipath_graph.project`) and the name index
(:func:`aipath_graph.resolve.build_index`) read a few predicates only
(:data:`VIEW_PREDICATES`). :class:`Facts` holds the ``(subject, object)``
pairs of each of them, with every term a plain value rather than an rdflib
term (building those is most of the cost of a projection of a big graph):

- an IRI is its ``str``;
- a blank node is ``"_:"`` + its label (with a per-source scope, so that two
  files' ``_:b0`` stay apart);
- a literal is a :class:`Text` (lexical form, language tag or ``""``).

Facts are read from an rdflib graph (:meth:`Facts.of_graph`) or from any
iterable of pyoxigraph quads or triples (:meth:`Facts.add_quads`): a store's
``quads_for_pattern`` or ``pyoxigraph.parse`` of a file, streamed.

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix aip: <https://w3id.org/aipath/ontology#> .
...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...     <https://w3id.org/aipath/id/a> aip:requires <https://w3id.org/aipath/id/b> ;
...         skos:prefLabel "A"@en .''', format="turtle")
>>> F = Facts.of_graph(g)
>>> F[AIP + "requires"]
[('https://w3id.org/aipath/id/a', 'https://w3id.org/aipath/id/b')]
>>> F[SKOS + "prefLabel"]
[('https://w3id.org/aipath/id/a', Text(value='A', lang='en'))]
>>> import pyoxigraph
>>> G = Facts()
>>> G.add_quads(pyoxigraph.parse(b'_:x <http://www.w3.org/2004/02/skos/core#prefLabel> "B" .',
...     format=pyoxigraph.RdfFormat.N_TRIPLES), scope="f1")
>>> G[SKOS + "prefLabel"]
[('_:f1.x', Text(value='B', lang=''))]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, TypeGuard

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
AIP = "https://w3id.org/aipath/ontology#"

#: The predicates the networkx views and the name index read (full IRIs).
VIEW_PREDICATES: tuple[str, ...] = (
    RDF + "type",
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "definition",
    SKOS + "broader",
    AIP + "effortHours",
    AIP + "introducedIn",
    AIP + "inCategory",
    AIP + "requires",
    AIP + "requiresAnyOf",
    AIP + "option",
    AIP + "essentialSkill",
    AIP + "optionalSkill",
    AIP + "practises",
    AIP + "applies",
    AIP + "covers",
    AIP + "nextLevel",
    AIP + "serves",
    AIP + "teaches",
    AIP + "inDomain",
    AIP + "relatesTo",
    RDF + "subject",
    RDF + "predicate",
    RDF + "object",
    AIP + "reason",
)

#: One SPARQL query for the triples of :data:`VIEW_PREDICATES` (remote stores).
VIEW_QUERY = (
    "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?p { "
    + " ".join(f"<{p}>" for p in VIEW_PREDICATES)
    + " } ?s ?p ?o }"
)


class Text(NamedTuple):
    """A literal: its lexical form and language tag (``""`` when it has none)."""

    value: str
    lang: str


Term = str | Text


def is_iri(term: Term | None) -> TypeGuard[str]:
    """True for an IRI (a ``str`` that is not a blank node).

    >>> is_iri("urn:a"), is_iri("_:b"), is_iri(Text("x", ""))
    (True, False, False)
    """
    return type(term) is str and not term.startswith("_:")


class Facts:
    """The ``(subject, object)`` pairs of each of :data:`VIEW_PREDICATES` (see the module)."""

    def __init__(self) -> None:
        self.pairs: dict[str, list[tuple[str, Term]]] = {p: [] for p in VIEW_PREDICATES}
        self._strings: dict[str, str] = {}  # one str per IRI, however often it is read
        #: The typed nodes, once read (:func:`aipath_graph.project.typed_nodes`).
        self.typed: dict[str, list[str]] | None = None

    def __getitem__(self, predicate: str) -> list[tuple[str, Term]]:
        return self.pairs[predicate]

    def drop(self, *predicates: str) -> None:
        """Forget the pairs of ``predicates`` (read as empty from now on)."""
        for predicate in predicates:
            self.pairs[predicate] = []

    def __len__(self) -> int:
        return sum(len(v) for v in self.pairs.values())

    @classmethod
    def of(cls, g: Any) -> Facts:
        """``g`` itself when it is Facts, else :meth:`of_graph` of it."""
        return g if isinstance(g, Facts) else cls.of_graph(g)

    @classmethod
    def of_graph(cls, g: Any) -> Facts:
        """The facts of an rdflib graph (read one predicate at a time)."""
        from rdflib import BNode, Literal, URIRef

        facts = cls()
        strings = facts._strings

        def term(t: Any) -> Term | None:
            if isinstance(t, URIRef):
                text = str(t)
                return strings.setdefault(text, text)
            if isinstance(t, BNode):
                return "_:" + str(t)
            if isinstance(t, Literal):
                return Text(str(t), t.language or "")
            return None

        for predicate, bucket in facts.pairs.items():
            for s, o in g.subject_objects(URIRef(predicate)):
                subject, obj = term(s), term(o)
                if type(subject) is str and obj is not None:
                    bucket.append((subject, obj))
        return facts

    def add_quads(self, quads: Iterable[Any], *, scope: str = "") -> None:
        """Add the view triples among pyoxigraph ``quads`` (or triples), streamed.

        ``scope`` keeps the blank nodes of one source apart from another's.
        """
        import pyoxigraph as ox

        named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
        pairs, strings = self.pairs, self._strings
        prefix = f"_:{scope}." if scope else "_:"
        for q in quads:
            bucket = pairs.get(q.predicate.value)
            if bucket is None:
                continue
            s, o = q.subject, q.object
            kind = type(s)
            if kind is named:
                text = s.value
                subject = strings.setdefault(text, text)
            elif kind is blank:
                subject = prefix + s.value
            else:  # an RDF-star triple term: not part of any view
                continue
            kind = type(o)
            obj: Term
            if kind is named:
                text = o.value
                obj = strings.setdefault(text, text)
            elif kind is literal:
                obj = Text(o.value, o.language or "")
            elif kind is blank:
                obj = prefix + o.value
            else:
                continue
            bucket.append((subject, obj))

    @classmethod
    def of_store(cls, store: Any) -> Facts:
        """The facts of a pyoxigraph store, all its graphs together."""
        import pyoxigraph as ox

        facts = cls()
        for predicate in VIEW_PREDICATES:
            facts.add_quads(store.quads_for_pattern(None, ox.NamedNode(predicate), None, None))
        return facts


__all__ = ["AIP", "RDF", "SKOS", "VIEW_PREDICATES", "VIEW_QUERY", "Facts", "Text", "is_iri"]
