"""Where the graph lives: in memory, in an embedded Oxigraph store, or behind a SPARQL endpoint.

Every backend is reached through an ``rdflib.Graph``, so every command (SPARQL,
``show``, plans) works the same on each:

- ``memory`` — rdflib's in-memory store (the default; cached on disk by
  :mod:`aipath_graph.cache`);
- ``oxigraph:PATH`` — an embedded, persistent Oxigraph store
  (:mod:`aipath_graph.oxstore`): built from the sources once, reopened
  instantly, rebuilt when they change;
- ``sparql:URL`` — any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso,
  GraphDB, Neptune …), read-only through rdflib's ``SPARQLStore``.

The networkx views of a remote store are projected from one bulk
``CONSTRUCT`` of the triples they need, never a query per node.

Examples
--------
>>> parse_spec("oxigraph:/tmp/store")
('oxigraph', '/tmp/store')
>>> parse_spec("memory")
('memory', '')
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from .errors import AipathError, UsageError

KINDS = ("memory", "oxigraph", "sparql")


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``KIND[:ARG]``; raise :class:`UsageError` for an unknown kind or a missing argument."""
    kind, _, arg = spec.partition(":")
    if kind not in KINDS:
        raise UsageError(f"unknown store {spec!r}; use memory, oxigraph:PATH or sparql:URL")
    if kind != "memory" and not arg:
        raise UsageError(f"--store {kind}: needs {'a PATH' if kind == 'oxigraph' else 'a URL'}")
    return kind, arg


def open_store(
    spec: str, sources: Sequence[Path] | None = None, *, graph: str | None = None
) -> Graph:
    """Open the store named by ``spec`` as an rdflib graph (see the module docstring).

    ``graph`` names the remote graph to read (``sparql:`` stores only).
    """
    kind, arg = parse_spec(spec)
    if graph and kind != "sparql":
        raise UsageError("--graph names a graph of a remote store; use it with --store sparql:URL")
    if kind == "memory":
        from .cache import GraphCache

        return GraphCache(sources).graph()
    if kind == "oxigraph":
        from .oxstore import open_oxigraph

        return open_oxigraph(Path(arg), sources)
    return open_sparql(arg, graph)


def open_sparql(url: str, graph: str | None = None) -> Graph:
    """A read-only rdflib graph over a remote SPARQL 1.1 endpoint.

    ``url`` may end in ``#graph=IRI`` (read that graph as the default graph, with
    the protocol's ``default-graph-uri``) and ``timeout=SECONDS`` (default 60),
    joined by ``&``; ``graph`` (``--graph``) wins over the fragment's.

    >>> g = open_sparql("http://127.0.0.1:8890/sparql#graph=https://w3id.org/g&timeout=5")
    >>> g.store.query_endpoint, g.store.graph, g.store.timeout
    ('http://127.0.0.1:8890/sparql', 'https://w3id.org/g', 5.0)
    """
    endpoint, options = parse_sparql_url(url)
    graph = graph or options.get("graph")
    timeout = options.get("timeout", str(DEFAULT_TIMEOUT))
    try:
        seconds = float(timeout)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise UsageError(f"--store sparql: timeout={timeout!r} is not a number of seconds")
    store = RemoteStore(endpoint, graph=graph, timeout=seconds)
    result = Graph(store=store)
    from .graph import bind_prefixes

    bind_prefixes(result)
    return result


DEFAULT_TIMEOUT = 60.0


def parse_sparql_url(url: str) -> tuple[str, dict[str, str]]:
    """Split ``URL#graph=IRI&timeout=S`` into the endpoint and its options.

    >>> parse_sparql_url("http://h/sparql#graph=urn:x:g")
    ('http://h/sparql', {'graph': 'urn:x:g'})
    """
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--store sparql: {url!r} is not an http(s) URL")
    from .remote import refuse_userinfo

    refuse_userinfo(url, "--store sparql")
    endpoint, _, fragment = url.partition("#")
    options: dict[str, str] = {}
    for part in filter(None, fragment.split("&")):
        key, eq, value = part.partition("=")
        if key not in ("graph", "timeout") or not eq or not value:
            raise UsageError(
                f"--store sparql: unknown option {part!r} after '#'; use graph=IRI or timeout=SECONDS"
            )
        options[key] = urllib.parse.unquote(value)
    return endpoint, options


class RemoteStore(SPARQLStore):
    """rdflib's read-only SPARQL store, speaking the protocol portably (see :mod:`.remote`).

    Every request has a total deadline and names the endpoint when it fails;
    ``graph`` is sent as ``default-graph-uri``.
    """

    def __init__(self, endpoint: str, *, graph: str | None = None, timeout: float = 60.0) -> None:
        super().__init__(query_endpoint=endpoint, returnFormat="xml")
        self.graph = graph
        self.timeout = timeout
        self.server: str | None = None
        self._copy: Graph | None = None

    def query(  # type: ignore[override]
        self,
        query: Any,
        initNs: Any = None,
        initBindings: Any = None,
        queryGraph: Any = None,
        DEBUG: bool = False,
    ) -> Any:
        """Run ``query`` at the endpoint, or locally where the engine is known to answer wrongly.

        Virtuoso 7 evaluates ``+``/``*`` property paths against the SPARQL 1.1
        semantics: it repeats solutions, and refuses a path whose start is bound
        by ``VALUES`` ("transitive start not given"). On Virtuoso those queries
        are answered by rdflib over one copy of the remote graph (fetched once);
        every other query, and every query on other engines, runs remotely.
        """
        if isinstance(query, str) and self._paths_broken() and _has_closure_path(query, initNs):
            return self._local().query(query, initNs=initNs or {}, initBindings=initBindings)
        return super().query(query, initNs, initBindings, queryGraph, DEBUG)

    def _paths_broken(self) -> bool:
        if self.server is None:
            super().query("ASK {}")  # the first answer names the engine
        return "virtuoso" in (self.server or "").lower()

    def _local(self) -> Graph:
        if self._copy is None:
            self._copy = _remote_construct(self, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return self._copy

    def _query(self, query: str, default_graph: Any = None, named_graph: Any = None) -> Any:
        from io import BytesIO

        from rdflib.query import Result

        from .remote import sparql

        self._queries += 1
        graph = self.graph
        if default_graph is not None and not isinstance(default_graph, BNode):
            graph = str(default_graph)
        answer = sparql(str(self.query_endpoint), query, graph=graph, timeout=self.timeout)
        self.server = answer.server
        try:
            return Result.parse(BytesIO(answer.body), content_type=answer.content_type)
        except Exception as exc:  # rdflib's parsers raise many types for a bad body
            raise AipathError(
                f"the SPARQL endpoint {self.query_endpoint} sent an answer that does not parse "
                f"as {answer.content_type}: {' '.join(str(exc).split())[:200]}"
            ) from None


def _has_closure_path(query: str, init_ns: Any) -> bool:
    """True when ``query`` uses a ``+`` or ``*`` property path.

    >>> _has_closure_path("SELECT * { ?a <urn:p>+ ?b }", None)
    True
    >>> _has_closure_path("SELECT * { ?a <urn:p>/<urn:q> ?b }", None)
    False
    """
    from rdflib.paths import MulPath
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(query, initNs=init_ns or {})
    except Exception:  # let the engine report its own syntax error
        return False
    stack: list[Any] = [prepared.algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, MulPath) and node.mod in ("+", "*"):
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "args") and not isinstance(node, str | bytes):
            stack.extend(node.args)
        elif hasattr(node, "arg") or hasattr(node, "path"):
            stack.append(getattr(node, "arg", None) or getattr(node, "path", None))
    return False


def _remote_construct(store: RemoteStore, query: str) -> Graph:
    """Run a CONSTRUCT at a remote store, read the answer as N-Triples, check it is whole.

    Some engines cut answers at a row limit without saying so (Virtuoso's
    ``ResultSetMaxRows``, 10 000 by default); the triple count is checked
    against a ``COUNT`` of the same pattern.
    """
    from .remote import sparql

    url = str(store.query_endpoint)
    answer = sparql(
        url,
        query,
        graph=store.graph,
        timeout=store.timeout,
        accept="application/n-triples, text/plain;q=0.9",
    )
    store.server = answer.server
    local = Graph()
    fmt = {"application/rdf+xml": "xml", "text/turtle": "turtle"}.get(answer.content_type, "nt")
    try:
        local.parse(data=answer.body.decode("utf-8"), format=fmt)
    except Exception as exc:  # rdflib's parsers raise many types for a bad body
        raise AipathError(
            f"the SPARQL endpoint {url} sent triples that do not parse: "
            f"{' '.join(str(exc).split())[:200]}"
        ) from None
    where = query[query.index("WHERE") :]
    prologue = query[: query.index("CONSTRUCT")]
    count_query = f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o {where} }}"
    rows = list(store.query(count_query))
    expected = int(rows[0][0]) if rows else len(local)
    if expected != len(local):
        raise AipathError(
            f"the SPARQL endpoint {url} sent {len(local)} of {expected} triples; it cuts answers "
            "at a row limit (Virtuoso: raise ResultSetMaxRows in the [SPARQL] section)"
        )
    return local


def views_of(
    spec: str, sources: Sequence[Path] | None, open_graph: Callable[[], Graph]
) -> dict[str, Any]:
    """The views of the store ``spec``; an embedded Oxigraph store keeps them beside it."""
    kind, arg = parse_spec(spec)
    if kind == "oxigraph":
        from . import oxstore

        return oxstore.views(Path(arg), sources)
    return store_views(open_graph())


def store_views(g: Graph) -> dict[str, Any]:
    """The networkx views and name index of a remote store (one CONSTRUCT)."""
    from .facts import VIEW_QUERY, Facts
    from .project import views

    store = g.store
    assert isinstance(store, RemoteStore), "the memory and Oxigraph stores project their own"
    facts = Facts.of_graph(_remote_construct(store, VIEW_QUERY))
    if not len(facts):
        raise AipathError("the store holds no aipath graph (no triples of the ontology)")
    return views(facts)
