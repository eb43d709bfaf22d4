"""rdflib over the embedded Oxigraph store: its default graph read as the union of its graphs.

The store of :mod:`aipath_graph.oxstore` keeps only named graphs (one per
source); the commands that walk triples through rdflib (``stats``, ``export``,
``push``, map notes) read them through :func:`union_graph`, each triple once.
Needs oxrdflib (the ``oxigraph`` extra).

Examples
--------
>>> import pyoxigraph
>>> store = pyoxigraph.Store()
>>> store.load(b'<urn:g1> { <urn:a> <urn:p> <urn:b> } <urn:g2> { <urn:a> <urn:p> <urn:b> }',
...     format=pyoxigraph.RdfFormat.TRIG)
>>> g = union_graph(store)
>>> len(g), len(list(g))
(1, 1)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from oxrdflib import OxigraphStore
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID


def union_graph(store: Any) -> Graph:
    """An rdflib graph whose triples are the union of the store's named graphs."""
    from .graph import bind_prefixes

    graph = Graph(store=UnionStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    bind_prefixes(graph)
    return graph


class UnionStore(OxigraphStore):
    """oxrdflib's store, with the default graph read as the union of the named graphs.

    A triple stated in two sources is yielded once; ``len`` and SPARQL through
    rdflib see the same union.
    """

    def _is_default(self, context: Any) -> bool:
        return context is None or getattr(context, "identifier", None) == DATASET_DEFAULT_GRAPH_ID

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        if not self._is_default(context):
            return super().triples(triple_pattern, context)
        return self._union(triple_pattern)

    def _union(self, pattern: Any) -> Iterator[Any]:
        import pyoxigraph as ox
        from oxrdflib._converter import to_ox

        from .sparql.engine import rdflib_term  # terms as on the memory store

        inner = self._inner
        s, p, o = (to_ox(t) if t is not None else None for t in pattern)  # terms, not graphs
        graphs = list(inner.named_graphs())
        own = Graph(store=self, identifier=DATASET_DEFAULT_GRAPH_ID)
        for i, name in enumerate(graphs):
            earlier = graphs[:i]
            for q in inner.quads_for_pattern(s, p, o, name):  # type: ignore[arg-type]
                if earlier and any(
                    ox.Quad(q.subject, q.predicate, q.object, g) in inner for g in earlier
                ):
                    continue  # yielded from an earlier graph
                triple = (rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object))
                yield triple, iter((own,))

    def __len__(self, context: Any = None) -> int:
        return super().__len__(None if self._is_default(context) else context)

    def query(
        self, query: Any, initNs: Any, initBindings: Any, queryGraph: Any, **kwargs: Any
    ) -> Any:
        if queryGraph == DATASET_DEFAULT_GRAPH_ID:
            queryGraph = "__UNION__"
        return super().query(query, initNs, initBindings, queryGraph, **kwargs)


__all__ = ["UnionStore", "union_graph"]
