"""SPARQL on pyoxigraph: the engine every local query runs on.

:class:`OxDataset` is a pyoxigraph store seen as the dataset of
:mod:`aipath_graph.dataset` (named graphs per source, default graph their
union). :meth:`OxDataset.run` checks the query first — updates and
``SERVICE`` are refused, and so is a ``FROM``/``FROM NAMED`` or protocol
dataset naming a graph the dataset does not hold (nothing is ever fetched) —
then lets Oxigraph evaluate it and returns a
:class:`~aipath_graph.sparql.query.QueryResult` of rdflib terms, equal to
what rdflib's own engine gives on the same graph. A ``GRAPH <iri>`` the
dataset does not hold simply matches nothing.

Examples
--------
>>> ds = OxDataset.from_quads(b'<https://w3id.org/aipath/id/a> '
...     b'<https://w3id.org/aipath/ontology#requires> <https://w3id.org/aipath/id/b> <urn:g> .\\n')
>>> [str(r["o"]) for r in ds.run("SELECT ?o { id:a aip:requires ?o }").rows]
['https://w3id.org/aipath/id/b']
>>> ds.run("SELECT ?g { GRAPH ?g { ?s ?p ?o } }").rows[0]["g"]
rdflib.term.URIRef('urn:g')
>>> ds.run("ASK { GRAPH <urn:other> { ?s ?p ?o } }").boolean
False
>>> ds.run("ASK FROM <http://example.org/x.ttl> { ?s ?p ?o }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
aipath_graph.sparql.query.QueryRefusedError: <http://example.org/x.ttl> is refused: ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from aipath_graph.errors import QueryError
from aipath_graph.sparql.query import canonical
from aipath_graph.sparql.scan import clamp_limits, scan

#: The deepest nesting a query may have (Oxigraph parses recursively, on the stack).
MAX_DEPTH = 128

__all__ = ["OxDataset", "rdflib_term"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class OxDataset:
    """A pyoxigraph store as the dataset SPARQL runs on.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    union : bool
        True when the store's default graph is left empty and stands for the
        union of the named graphs (a store loaded with :meth:`from_quads`, and
        the embedded store of :mod:`aipath_graph.oxstore`); False for a store
        with only a default graph (:meth:`from_triples`).
    """

    def __init__(self, store: Any, *, union: bool, index: dict[str, Any] | None = None) -> None:
        self.store = store
        self.union = union
        self.index = index
        self._terms: dict[Any, Node] = {}
        self._graphs: list[str] | None = None

    @classmethod
    def from_quads(cls, quads: bytes) -> OxDataset:
        """An in-memory dataset of the named graphs in ``quads`` (N-Quads)."""
        store = ox.Store()
        if quads:
            store.load(quads, format=ox.RdfFormat.N_QUADS)
        return cls(store, union=True)

    @classmethod
    def from_triples(cls, triples: bytes) -> OxDataset:
        """An in-memory dataset with only a default graph (N-Triples), and no named graphs."""
        store = ox.Store()
        if triples:
            store.load(triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return cls(store, union=False)

    # ------------------------------------------------------------ the dataset

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        if self._graphs is None:
            self._graphs = sorted(
                g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)
            )
        return self._graphs

    def count(self, graph: str | None = None) -> int:
        """Triples in one named graph, or in the default graph (None)."""
        if graph is not None:
            return len(list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        if not self.union:
            return len(list(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        res = self.store.query(
            "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        return int(next(iter(res))["n"].value)

    def _check_graphs(self, iris: Iterable[str]) -> None:
        from aipath_graph.sparql.query import QueryRefusedError

        held = set(self.graph_names())
        for iri in iris:
            if iri not in held:
                names = ", ".join(f"<{g}>" for g in self.graph_names()) or "(none)"
                raise QueryRefusedError(
                    f"<{iri}> is refused: it is not a graph of this dataset (nothing is "
                    f"ever fetched); its graphs are: {names}"
                )

    def rdflib_graph(self) -> Any:
        """The default graph as an rdflib graph (for code that walks triples)."""
        from rdflib import Graph

        from aipath_graph.graph import bind_prefixes

        g = Graph()
        kwargs = {"use_default_graph_as_union": True} if self.union else {}
        for t in self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **kwargs):
            g.add((self._term(t.subject), self._term(t.predicate), self._term(t.object)))
        bind_prefixes(g)
        return g

    def name_index(self) -> dict[str, Any]:
        """The name index of the resolver (kept from the cache, else built once)."""
        if self.index is None:
            from aipath_graph.resolve import build_index

            self.index = build_index(self.rdflib_graph())
        return self.index

    # ------------------------------------------------------------ queries

    def run(
        self,
        text: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base: str | None = None,
        max_bytes: int | None = None,
    ) -> Any:
        """Run a read-only query; see the module docstring.

        ``max_bytes`` stops reading solutions (or triples) once the text of their
        terms passes that many bytes; the caller cuts the answer to size.

        ``default_graphs`` and ``named_graphs`` are the protocol's
        ``default-graph-uri`` and ``named-graph-uri``: when either is given,
        they make the dataset, in place of the query's own ``FROM``.
        """
        from aipath_graph.sparql.query import (
            QueryRefusedError,
            QueryResult,
            prefixes,
            with_values,
        )

        ns = {k: str(v) for k, v in prefixes().items()}
        shape = scan(text, ns)
        if shape.depth > MAX_DEPTH:  # the engine's parser would run out of stack
            from aipath_graph.sparql.query import QuerySyntaxError

            raise QuerySyntaxError(
                "the query is nested too deeply (brackets or a long UNION chain); simplify it"
            )
        text = clamp_limits(text)
        if shape.update is not None:
            raise QueryRefusedError(
                f"{shape.update} is refused: queries are read-only (no updates)"
            )
        if shape.service:
            raise QueryRefusedError(
                "SERVICE is refused: queries run on the local graph only (no network)"
            )
        kwargs: dict[str, Any] = {"prefixes": ns, "base_iri": base}
        if default_graphs or named_graphs:
            self._check_graphs([*(default_graphs or ()), *(named_graphs or ())])
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif shape.default_graphs or shape.named_graphs:
            self._check_graphs([*shape.default_graphs, *shape.named_graphs])
        elif self.union:
            kwargs["use_default_graph_as_union"] = True
        if bindings:
            text = with_values(text, bindings)
        try:
            res = self.store.query(text, **kwargs)
        except SyntaxError as err:
            raise _syntax_error(text, err) from None
        except (OSError, RuntimeError, ValueError) as err:
            raise QueryError(f"query failed: {' '.join(str(err).split())[:300]}") from None
        if isinstance(res, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(res))
        term = self._term
        if isinstance(res, ox.QueryTriples):
            from rdflib import Graph

            out = Graph()
            for prefix, namespace in prefixes().items():
                out.bind(prefix, namespace)
            size = 0
            for t in res:
                out.add((term(t.subject), term(t.predicate), term(t.object)))
                if max_bytes is not None:
                    size += len(str(t.subject)) + len(str(t.predicate)) + len(str(t.object)) + 24
                    if size > max_bytes:
                        break
            return QueryResult(shape.form if shape.form == "DESCRIBE" else "CONSTRUCT", graph=out)
        names = [v.value for v in res.variables]
        rows: list[dict[str, Node]] = []
        size = 0
        for solution in res:  # a solution iterates over its values in the order of ``names``
            if limit is not None and len(rows) >= limit:
                break
            rows.append({n: term(v) for n, v in zip(names, solution, strict=True) if v is not None})
            if max_bytes is not None:
                size += sum(len(str(v)) + 8 for v in rows[-1].values())
                if size > max_bytes:
                    break
        return QueryResult("SELECT", names, rows)

    def _term(self, value: Any) -> Node:
        """The rdflib term of a pyoxigraph term (memoised: answers repeat their terms)."""
        hit = self._terms.get(value)
        if hit is not None:
            return hit
        node = rdflib_term(value)
        if len(self._terms) > 200_000:
            self._terms.clear()
        self._terms[value] = node
        return node

    def labels(self, iris: Iterable[URIRef], lang: str) -> dict[URIRef, str]:
        """The ``skos:prefLabel`` of each IRI, in ``lang`` (else English, else untagged)."""
        wanted = sorted({str(i) for i in iris})
        if not wanted:
            return {}
        values = " ".join(f"<{i}>" for i in wanted if ">" not in i)
        res = self.run(
            "SELECT ?s ?l { VALUES ?s { " + values + " } ?s skos:prefLabel ?l }",
        )
        best: dict[URIRef, tuple[int, str]] = {}
        for row in res.rows:
            s, o = row["s"], row["l"]
            if not isinstance(s, URIRef) or not isinstance(o, Literal):
                continue
            rank = 0 if o.language == lang else 1 if o.language in ("en", None) else 2
            if s not in best or rank < best[s][0] or (rank == best[s][0] and str(o) < best[s][1]):
                best[s] = (rank, str(o))
        return {s: text for s, (_, text) in best.items()}


def _syntax_error(text: str, err: SyntaxError) -> QueryError:
    """The message rdflib's parser gives (line, column, near), else Oxigraph's first line."""
    from aipath_graph.sparql.query import QuerySyntaxError, compile_query

    try:
        compile_query(text)
    except QuerySyntaxError as exc:
        return exc
    except QueryError:
        pass
    first = " ".join(str(err).split("expected")[0].split()) or "invalid query"
    return QuerySyntaxError(f"SPARQL syntax error: {first}")


def rdflib_term(value: Any) -> Node:
    """The rdflib term of a pyoxigraph term, as rdflib's own parser would give it.

    Plain literals lose the ``xsd:string`` datatype Oxigraph states, and decimals
    take the lexical form rdflib writes (:func:`~aipath_graph.sparql.query.canonical`).

    >>> rdflib_term(ox.Literal("x")), rdflib_term(ox.Literal("30", datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#decimal")))
    (rdflib.term.Literal('x'), rdflib.term.Literal('30.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')))
    """
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if isinstance(value, ox.Literal):
        dt = value.datatype.value
        if value.language:
            return Literal(value.value, lang=value.language)
        if dt in (_XSD_STRING, _LANG_STRING):
            return Literal(value.value)
        return canonical(Literal(value.value, datatype=URIRef(dt)))
    raise QueryError(f"unsupported RDF term in an answer: {value!r}")
