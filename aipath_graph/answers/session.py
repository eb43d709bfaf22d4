"""One session: the graph, its name resolver, and one projection per language.

The CLI, the JSON API and the query workers each hold one :class:`Session`.
Everything is built lazily and at most once. On the default in-memory store
the views come from the on-disk cache (:mod:`aipath_graph.cache`), so a plan
needs neither YAML parsing nor rdflib; a session over a graph already loaded
(the server) projects it directly.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> s = Session.over(load_graph())
>>> s.label("backpropagation", "zh"), s.resolve("反向传播算法")
('反向传播算法', 'backpropagation')
>>> s.prereq("zh") is s.prereq("zh"), s.prereq("zh") is s.prereq("en")
(True, False)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import (
    AmbiguousTermError,
    NotARoleError,
    TermError,
    UnknownTermError,
    UsageError,
)
from ..i18n import DEFAULT_LANG, LANGS, named, pick

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

    from ..resolve import Resolver

__all__ = ["Session"]


@dataclass
class Session:
    """What every answer needs: the sources, the store, the language and the graph views.

    ``lang`` is the default language of labels; every method takes its own.
    A session holds no per-request state, so one serves concurrent requests.
    """

    data: list[Path] = field(default_factory=list)
    lang: str = DEFAULT_LANG
    store: str = "memory"
    traceback: bool = False
    graph_iri: str | None = None
    _graph: rdflib.Graph | None = None
    _views: dict[str, Any] | None = None
    _resolver: Resolver | None = None
    _search: Any = None
    _sparql: Any = None
    _cached_graph: bool = False
    _local: dict[tuple[str, str], nx.DiGraph] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def over(cls, graph: rdflib.Graph, *, lang: str = DEFAULT_LANG) -> Session:
        """A session over a graph already in memory (the server, a worker, a notebook)."""
        return cls(lang=lang, _graph=graph)

    # ------------------------------------------------------------ the graph and its views

    def _cache(self) -> Any:
        from ..cache import GraphCache

        return GraphCache(self.data or None)

    def graph(self) -> rdflib.Graph:
        """The RDF graph of ``--data`` (or the bundled graph) in the chosen store."""
        if self._graph is None:
            if self.store == "memory":
                self._graph = self._cache().graph()
                self._cached_graph = True
            else:
                from ..store import open_store

                self._graph = open_store(self.store, self.data or None, graph=self.graph_iri)
        return self._graph

    def sparql(self) -> Any:
        """What SPARQL runs on: pyoxigraph (in memory from the cache, or the embedded store).

        A remote store (``sparql:URL``) answers queries itself: its rdflib graph.
        """
        if self._sparql is None:
            from ..sparql.engine import OxDataset

            if self.store == "memory" and (self._graph is None or self._cached_graph):
                entry = self._cache().dataset()
                self._sparql = OxDataset.from_quads(entry["quads"])
                self._sparql.index = entry["index"]
            elif self.store.startswith("oxigraph:"):
                store = self.graph().store._inner  # type: ignore[attr-defined] # oxrdflib's
                self._sparql = OxDataset(store, union=True)  # named graphs only (oxstore)
            elif self.store == "memory":  # a graph given by a caller (a notebook, the server)
                assert self._graph is not None
                self._sparql = OxDataset.from_triples(
                    self._graph.serialize(format="nt", encoding="utf-8")
                )
            else:
                self._sparql = self.graph()
        return self._sparql

    def dataset_quads(self) -> bytes | None:
        """The named graphs of the sources as N-Quads (None for a remote store)."""
        if self.store.startswith("sparql:") or (self._graph is not None and not self._cached_graph):
            return None
        quads: bytes = self._cache().dataset()["quads"]
        return quads

    def views(self) -> dict[str, Any]:
        """``{"prerequisites", "relations", "index"}``: the networkx views and the name index."""
        with self._lock:
            if self._views is None:
                self._views = self._make_views()
            return self._views

    def _make_views(self) -> dict[str, Any]:
        import gc

        import networkx as nx

        if self._graph is None and self.store == "memory":
            views = self._cache().views()
        elif self.store == "memory":  # a graph already in memory (Session.over)
            from ..project import views as project

            views = project(self.graph())
        else:  # an embedded Oxigraph store keeps its views beside it
            from ..store import views_of

            views = views_of(self.store, self.data or None, self.graph)
        for key in ("prerequisites", "relations"):
            nx.freeze(views[key])  # frozen graphs keep the planner's index between calls
        gc.freeze()  # the loaded graph is long-lived: keep the collector off it
        return views

    def search_index(self) -> Any:
        """The free-text search index (:class:`aipath_graph.search.SearchIndex`).

        Built once per session; on the memory store it is kept in the graph cache
        beside the views, so a later run skips jieba altogether.
        """
        if self._search is None:
            from ..search import cached_index

            cache = self._cache() if self._graph is None and self.store == "memory" else None
            self._search = cached_index(self.views(), cache)
        return self._search

    def _localized(self, which: str, lang: str) -> nx.DiGraph:
        """The view ``which`` with each edge's ``reason`` in ``lang`` (one copy per language)."""
        import networkx as nx

        lang = lang if lang in LANGS else DEFAULT_LANG
        base = self.views()[which]
        if lang == DEFAULT_LANG:  # views are projected with reasons in it (project.views)
            return base
        with self._lock:
            G = self._local.get((which, lang))
            if G is None:
                G = nx.DiGraph(base)  # a shallow copy: nodes shared, edge dicts copied
                G.graph = dict(base.graph)
                for u, v, d in base.edges(data=True):
                    reason = pick(d.get("reasons") or {}, lang)
                    G.edges[u, v]["reason"] = reason if reason is not None else d.get("reason")
                nx.freeze(G)
                self._local[(which, lang)] = G
        return G

    def prereq(self, lang: str | None = None) -> nx.DiGraph:
        """The prerequisite DiGraph, with each edge's ``reason`` in ``lang``."""
        return self._localized("prerequisites", lang or self.lang)

    def relations(self, lang: str | None = None) -> nx.DiGraph:
        """The relation DiGraph (prerequisites and display relations), localized."""
        return self._localized("relations", lang or self.lang)

    def resolver(self) -> Resolver:
        """The name resolver of the graph."""
        if self._resolver is None:
            from ..resolve import Resolver

            from_cache = self._graph is None or self._cached_graph
            if self._views is None and self._sparql is not None and from_cache:
                # a SPARQL answer already loaded the dataset entry, which has the names
                index = self._sparql.name_index()
            else:
                index = self.views()["index"]
            self._resolver = Resolver.from_index(index)
        return self._resolver

    def close(self) -> None:
        """Release the store (an embedded Oxigraph store is locked while open)."""
        self._sparql = None  # it may hold the embedded store too
        if self._graph is not None and self.store != "memory":
            self._graph.close()
            self._graph = None

    # ------------------------------------------------------------ labels

    def label(self, n: Any, lang: str | None = None) -> str:
        """The label of node ``n`` in ``lang`` (the one fallback: :func:`aipath_graph.i18n.pick`)."""
        G = self.views()["relations"]
        if n not in G:
            return str(n)
        return pick(G.nodes[n].get("label"), lang or self.lang) or str(n)

    def named(self, n: Any, lang: str | None = None) -> str:
        """``Label (id)`` in ``lang``."""
        lang = lang or self.lang
        return named(self.label(n, lang), str(n), lang)

    def type_of(self, n: Any) -> str | None:
        """The node type of ``n`` (``Skill``, ``Role`` …), or None when it is not a node."""
        G = self.views()["relations"]
        return G.nodes[n].get("type") if n in G else None

    # ------------------------------------------------------------ names

    def resolve(self, term: str, lang: str | None = None) -> str:
        """The id of the node ``term`` names (raises :class:`~aipath_graph.errors.TermError`).

        The candidates or suggestions of the error name nodes in ``lang``.
        """
        try:
            return self.resolver().slug(term)
        except UnknownTermError as exc:
            raise UnknownTermError(term, self._shown(exc.suggestions, lang)) from None
        except AmbiguousTermError as exc:
            raise AmbiguousTermError(term, self._shown(exc.candidates, lang)) from None

    def _shown(self, entries: list[str], lang: str | None) -> list[str]:
        """Resolver entries (``id (label)``) relabelled as ``Label (id)`` in ``lang``."""
        lang = lang or self.lang
        return [self.named(e.split(" (", 1)[0], lang) for e in entries]

    def iri(self, term: str, lang: str | None = None) -> rdflib.URIRef:
        """Like :meth:`resolve`, as an rdflib IRI."""
        from rdflib import URIRef

        from ..ids import node_iri

        return URIRef(node_iri(self.resolve(term, lang)))

    def node(self, term: str, lang: str | None = None) -> str:
        """The id of ``term``, which must have a place in the prerequisite graph."""
        node = self.resolve(term, lang)
        if node not in self.views()["prerequisites"]:
            raise UsageError(key="not_in_prereq_graph", term=term, node=node)
        return node

    def role(self, term: str, lang: str | None = None) -> str:
        """The id of ``term``, which must be a role or a career level (else exit 2)."""
        node = self.node(term, lang)
        kind = self.type_of(node)
        if kind not in ("Role", "CareerLevel"):
            raise NotARoleError(term, kind)
        return node

    def known(self, terms: list[str], lang: str | None = None) -> tuple[list[str], list[str]]:
        """Resolve what the learner knows: ``(ids, warnings)``; an unknown name only warns."""
        from ..i18n import t

        out: list[str] = []
        warnings: list[str] = []
        for term in terms:
            try:
                out.append(self.resolve(term, lang))
            except TermError as exc:
                warnings.append(
                    t("ignoring_known", lang or self.lang, message=exc.message(lang or self.lang))
                )
        return out, warnings
