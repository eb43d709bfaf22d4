"""The SPARQL 1.1 Protocol endpoint: ``/sparql`` (queries) and ``/update`` (refused).

Queries come as ``GET /sparql?query=…``, as ``POST`` with a form-encoded
body (``query=…``) or as ``POST`` with an ``application/sparql-query`` body.
The answer's format is negotiated (:mod:`aipath_graph.sparql.media`); the
query itself runs in a worker process under the time limit
(:mod:`aipath_graph.server.pool`). ``GET /sparql`` without a query returns a
SPARQL service description, which lists the named graphs (one per source,
see :mod:`aipath_graph.dataset`). ``default-graph-uri`` and
``named-graph-uri`` pick the query's dataset among those graphs, in place
of the query's own ``FROM``/``FROM NAMED``. The endpoint is read-only and
never fetches anything: updates, ``SERVICE`` and a dataset naming a graph
the service does not hold are refused with 403; ``GRAPH <iri>`` over a
graph it does not hold matches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, Namespace
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from aipath_graph.errors import AipathError
from aipath_graph.sparql.media import (
    GRAPH_TYPES,
    RESULT_TYPES,
    NotAcceptableError,
    acceptable,
    negotiate,
    parse_accept,
)

__all__ = ["HTTPError", "service_description", "sparql_endpoint", "update_endpoint"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_READ_ONLY = "updates are refused: this SPARQL endpoint is read-only"


class HTTPError(AipathError):
    """An error with its HTTP status, raised by the protocol layer itself."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def service_description(
    endpoint: str, triples: int, named: Mapping[str, int] | None = None
) -> Graph:
    """Return the SPARQL 1.1 service description of the endpoint at ``endpoint``.

    ``endpoint`` may be relative (``/sparql``): a client resolves it against
    the URL it fetched the description from.

    ``named`` maps each named graph's IRI to its number of triples.

    Examples
    --------
    >>> g = service_description("http://127.0.0.1:8000/sparql", 42, {"urn:g": 40})
    >>> (None, SD.supportedLanguage, SD.SPARQL11Query) in g
    True
    >>> [str(n) for n in g.objects(None, SD.name)]
    ['urn:g']
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    service = BNode("service")
    dataset = BNode("dataset")
    default = BNode("defaultGraph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    g.add((service, DCTERMS.title, Literal("aipath-graph SPARQL endpoint (read-only)", lang="en")))
    g.add((service, DCTERMS.title, Literal("aipath-graph SPARQL 查询端点（只读）", lang="zh")))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(triples)))
    for i, (name, count) in enumerate(sorted((named or {}).items())):
        entry, graph = BNode(f"namedGraph{i}"), BNode(f"graph{i}")
        g.add((dataset, SD.namedGraph, entry))
        g.add((entry, RDF.type, SD.NamedGraph))
        g.add((entry, SD.name, URIRef(name)))
        g.add((entry, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count)))
    return g


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise HTTPError(400, f"give exactly one {name!r} parameter, not {len(values)}")
    return values[0] if values else None


async def _read_request(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """Return the protocol parameters and the query text (None when there is none)."""
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPError(400, "the request body is not UTF-8") from None
        if ctype == _FORM:
            form = parse_qsl(text, keep_blank_values=True)
            if any(k == "update" for k, _ in form):
                raise HTTPError(403, _READ_ONLY)
            params += form
        elif ctype == _QUERY:
            if any(k == "query" for k, _ in params):
                raise HTTPError(400, "an application/sparql-query body takes no 'query' parameter")
            params.append(("query", text))
        elif ctype == _UPDATE:
            raise HTTPError(403, _READ_ONLY)
        else:
            raise HTTPError(415, f"POST a query as {_FORM} or {_QUERY}, not {ctype or 'nothing'}")
    names = {k for k, _ in params}
    if "update" in names:
        raise HTTPError(403, _READ_ONLY)
    query = _one([v for k, v in params if k == "query"], "query")
    return params, query


def _describe_service(request: Request, accept: str) -> Response:
    ranges = parse_accept(accept)
    if ranges and ranges[0][0] in ("text/html", "application/xhtml+xml"):
        return RedirectResponse("/#sparql", status_code=303)
    try:
        media, fmt = negotiate(accept, "DESCRIBE")
    except NotAcceptableError as exc:
        raise HTTPError(406, str(exc)) from None
    # Never built from the Host header: --public-url, else the request path (a relative IRI).
    public = request.app.state.public_url
    endpoint = public + request.url.path if public else request.url.path
    triples = request.app.state.triples
    named = request.app.state.named_graphs
    body = service_description(endpoint, triples, named).serialize(format=fmt, encoding="utf-8")
    return Response(body, media_type=media, headers={"Vary": "Accept"})


async def sparql_endpoint(request: Request) -> Response:
    """Answer a SPARQL protocol request (see the module docstring)."""
    params, query = await _read_request(request)
    accept = request.headers.get("accept", "")
    fmt = next((v for k, v in params if k in ("format", "output", "results") and v), None)
    if query is None:
        if request.method == "POST":
            raise HTTPError(400, "no query: send query=… or an application/sparql-query body")
        return _describe_service(request, accept)
    if not query.strip():
        raise HTTPError(400, "the query is empty")
    if not acceptable(accept, fmt):
        types = ", ".join(dict.fromkeys([*RESULT_TYPES, *GRAPH_TYPES]))
        raise HTTPError(406, f"cannot answer as {accept}; acceptable types: {types}")
    dataset = tuple(
        tuple(dict.fromkeys(v for k, v in params if k == name))
        for name in ("default-graph-uri", "named-graph-uri")
    )
    # Relative IRIs in the query resolve against the endpoint's own URL (the protocol's BASE).
    base = str(request.url.replace(query=""))
    reply: Any = await request.app.state.pool.run(("sparql", query, accept, fmt, *dataset, base))
    headers = {"Vary": "Accept", **reply.headers}
    return Response(
        reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers
    )


async def update_endpoint(request: Request) -> Response:
    """``/update``: every request is refused with 403 (the graph is read-only)."""
    raise HTTPError(403, _READ_ONLY)
