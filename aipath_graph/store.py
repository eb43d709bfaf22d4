"""Where the graph lives: in memory, in an embedded Oxigraph store, or behind a SPARQL endpoint.

Every backend is reached through an ``rdflib.Graph``, so every command (SPARQL,
``show``, plans) works the same on each:

- ``memory`` — rdflib's in-memory store (the default; cached on disk by
  :mod:`aipath_graph.cache`);
- ``oxigraph:PATH`` — an embedded, persistent Oxigraph store (through oxrdflib):
  built from the sources once, reopened instantly, rebuilt when they change;
- ``sparql:URL`` — any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso,
  GraphDB, Neptune …), read-only through rdflib's ``SPARQLStore``.

The networkx views of a non-memory store are projected from one bulk
``CONSTRUCT`` of the triples they need, never a query per node.

Examples
--------
>>> parse_spec("oxigraph:/tmp/store")
('oxigraph', '/tmp/store')
>>> parse_spec("memory")
('memory', '')
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph

from .errors import AipathError, UsageError

KINDS = ("memory", "oxigraph", "sparql")
KEY_FILE = "aipath-source-key"

#: The predicates the networkx views and the name index read.
VIEW_PREDICATES = (
    "rdf:type",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:definition",
    "skos:broader",
    "aip:effortHours",
    "aip:introducedIn",
    "aip:inCategory",
    "aip:requires",
    "aip:requiresAnyOf",
    "aip:option",
    "aip:essentialSkill",
    "aip:optionalSkill",
    "aip:practises",
    "aip:applies",
    "aip:covers",
    "aip:nextLevel",
    "aip:serves",
    "aip:teaches",
    "aip:inDomain",
    "aip:relatesTo",
    "rdf:subject",
    "rdf:predicate",
    "rdf:object",
    "aip:reason",
)
VIEW_QUERY = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX aip: <https://w3id.org/aipath/ontology#>\n"
    "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?p { " + " ".join(VIEW_PREDICATES) + " } ?s ?p ?o }"
)


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``KIND[:ARG]``; raise :class:`UsageError` for an unknown kind or a missing argument."""
    kind, _, arg = spec.partition(":")
    if kind not in KINDS:
        raise UsageError(f"unknown store {spec!r}; use memory, oxigraph:PATH or sparql:URL")
    if kind != "memory" and not arg:
        raise UsageError(f"--store {kind}: needs {'a PATH' if kind == 'oxigraph' else 'a URL'}")
    return kind, arg


def open_store(spec: str, sources: Sequence[Path] | None = None) -> Graph:
    """Open the store named by ``spec`` as an rdflib graph (see the module docstring)."""
    kind, arg = parse_spec(spec)
    if kind == "memory":
        from .cache import GraphCache

        return GraphCache(sources).graph()
    if kind == "oxigraph":
        return open_oxigraph(Path(arg), sources)
    return open_sparql(arg)


def open_oxigraph(path: Path, sources: Sequence[Path] | None = None) -> Graph:
    """Open (building or rebuilding when the sources changed) an Oxigraph store at ``path``."""
    import pyoxigraph

    from .cache import source_key

    key = source_key(sources)
    marker = path / KEY_FILE
    fresh = marker.is_file() and marker.read_text(encoding="utf-8").strip() == key
    if not fresh:
        build_oxigraph(path, sources)
        marker.write_text(key + "\n", encoding="utf-8")
    try:
        store = pyoxigraph.Store(str(path))
    except OSError as exc:
        raise AipathError(f"cannot open the Oxigraph store at {path}: {exc}") from exc
    return _oxigraph_graph(store)


def _oxigraph_graph(store: Any) -> Graph:
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    from .graph import bind_prefixes

    bind_prefixes(graph)
    return graph


def build_oxigraph(path: Path, sources: Sequence[Path] | None = None) -> None:
    """Load the compiled graph into a fresh Oxigraph store at ``path`` (bulk load)."""
    import shutil

    import pyoxigraph

    from .cache import GraphCache

    g = GraphCache(sources).graph()
    data = g.serialize(format="nt", encoding="utf-8")
    if path.exists():
        if not (path / KEY_FILE).exists() and any(path.iterdir()):
            raise AipathError(
                f"{path} exists and is not an aipath Oxigraph store; choose another path"
            )
        shutil.rmtree(path)
    path.mkdir(parents=True)
    try:
        store = pyoxigraph.Store(str(path))
        store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        del store
    except OSError as exc:
        raise AipathError(f"cannot build the Oxigraph store at {path}: {exc}") from exc


def open_sparql(url: str) -> Graph:
    """A read-only rdflib graph over a remote SPARQL 1.1 endpoint."""
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--store sparql: {url!r} is not an http(s) URL")
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(query_endpoint=url, returnFormat="xml", method="POST"))
    from .graph import bind_prefixes

    bind_prefixes(graph)
    return graph


def view_triples(g: Graph) -> Graph:
    """The triples the views need, fetched from ``g`` in one CONSTRUCT query."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    if isinstance(g.store, SPARQLStore):
        return _remote_construct(str(g.store.query_endpoint), VIEW_QUERY)
    local = Graph()
    for triple in g.query(VIEW_QUERY):
        local.add(triple)  # type: ignore[arg-type]
    return local


def _remote_construct(url: str, query: str, timeout: float = 120.0) -> Graph:
    """POST a CONSTRUCT to a SPARQL endpoint and parse the N-Triples answer."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        url,
        data=query.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        raise AipathError(f"the SPARQL endpoint {url} answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise AipathError(
            f"cannot reach the SPARQL endpoint {url}: {getattr(exc, 'reason', exc)}"
        ) from exc
    local = Graph()
    local.parse(data=body.decode("utf-8"), format="nt")
    return local


def store_views(g: Graph) -> dict[str, Any]:
    """The networkx views and name index of a (possibly remote) store."""
    from .project import prerequisite_graph, relation_graph
    from .resolve import build_index

    local = view_triples(g)
    if len(local) == 0:
        raise AipathError("the store holds no aipath graph (no triples of the ontology)")
    return {
        "prerequisites": prerequisite_graph(local),
        "relations": relation_graph(local),
        "index": build_index(local),
    }
