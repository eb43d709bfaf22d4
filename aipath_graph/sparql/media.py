"""Media types of the SPARQL endpoint and HTTP content negotiation.

A SELECT or ASK answer is a *result set* (SPARQL JSON, XML, CSV, TSV); a
CONSTRUCT or DESCRIBE answer is a *graph* (Turtle, N-Triples, JSON-LD,
RDF/XML). The client says what it wants in the ``Accept`` header or, as
SPARQLWrapper and some endpoints do, in a ``format``/``output`` parameter;
:func:`negotiate` picks the best format of the right kind. Nothing here
imports a web framework, so the query workers use it too.

Examples
--------
>>> negotiate("text/csv, application/sparql-results+json;q=0.5", "SELECT")
('text/csv', 'csv')
>>> negotiate("application/sparql-results+xml, application/rdf+xml", "CONSTRUCT")
('application/rdf+xml', 'xml')
>>> negotiate("", "ASK")
('application/sparql-results+json', 'json')
>>> negotiate("image/png", "SELECT")
Traceback (most recent call last):
...
aipath_graph.sparql.media.NotAcceptableError: cannot answer a SELECT query as image/png; ...
"""

from __future__ import annotations

from aipath_graph.errors import AipathError

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "NotAcceptableError",
    "acceptable",
    "negotiate",
    "parse_accept",
]

#: Result-set media types (SELECT, ASK) → the ``format_result`` name; the first is the default.
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: Graph media types (CONSTRUCT, DESCRIBE) → the rdflib serializer; the first is the default.
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
}
#: Short names a ``format``/``output`` parameter may use: kind → name → media type.
_SHORT: dict[str, dict[str, str]] = {
    "results": {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    "graph": {
        "turtle": "text/turtle",
        "ttl": "text/turtle",
        "n3": "text/turtle",
        "nt": "application/n-triples",
        "ntriples": "application/n-triples",
        "n-triples": "application/n-triples",
        "json-ld": "application/ld+json",
        "jsonld": "application/ld+json",
        "json": "application/ld+json",
        "xml": "application/rdf+xml",
        "rdf+xml": "application/rdf+xml",
        "rdfxml": "application/rdf+xml",
    },
}


class NotAcceptableError(AipathError):
    """No format the client accepts fits the kind of answer (HTTP 406)."""


def _kind(query_kind: str) -> str:
    return "graph" if query_kind in ("CONSTRUCT", "DESCRIBE") else "results"


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Return the media ranges of an ``Accept`` header, best first.

    Ties keep header order, but a specific type beats a wildcard.

    Examples
    --------
    >>> parse_accept("text/*;q=0.5, text/csv, */*;q=0.1")
    [('text/csv', 1.0), ('text/*', 0.5), ('*/*', 0.1)]
    >>> parse_accept("text/csv;q=0")
    []
    """
    ranges: list[tuple[float, int, int, str]] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if q > 0:
            specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
            ranges.append((q, specificity, -i, media))
    ranges.sort(reverse=True)
    return [(media, q) for q, _, _, media in ranges]


def _match(media: str, table: dict[str, str]) -> str | None:
    if media == "*/*":
        return next(iter(table))
    if media.endswith("/*"):
        prefix = media[:-1]
        return next((t for t in table if t.startswith(prefix)), None)
    return media if media in table else None


def negotiate(accept: str | None, query_kind: str, fmt: str | None = None) -> tuple[str, str]:
    """Choose the media type and serializer for an answer.

    Parameters
    ----------
    accept : str or None
        The ``Accept`` header (empty or None: the default format).
    query_kind : str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.
    fmt : str, optional
        A ``format``/``output`` parameter: a short name (``json``, ``csv``,
        ``turtle`` …) or a media type. When it names a format of the right
        kind it wins over ``Accept``; otherwise it is ignored.

    Returns
    -------
    (str, str)
        The media type and the serializer name.

    Raises
    ------
    NotAcceptableError
        Nothing acceptable fits the kind of answer.

    Examples
    --------
    >>> negotiate("*/*", "DESCRIBE")
    ('text/turtle', 'turtle')
    >>> negotiate("application/sparql-results+json", "SELECT", "csv")
    ('text/csv', 'csv')
    """
    kind = _kind(query_kind)
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    if fmt:
        wanted = fmt.strip().lower()
        media = wanted if "/" in wanted else _SHORT[kind].get(wanted)
        if media in table:
            return media, table[media]
    ranges = parse_accept(accept or "")
    if not (accept or "").strip():
        ranges = [("*/*", 1.0)]
    for media, _ in ranges:
        found = _match(media, table)
        if found:
            return found, table[found]
    offered = ", ".join(dict.fromkeys(t for t in table if not t.startswith("application/x-")))
    raise NotAcceptableError(
        f"cannot answer a {query_kind} query as {accept}; acceptable types: {offered}"
    )


def acceptable(accept: str | None, fmt: str | None = None) -> bool:
    """Whether some kind of answer could be sent to this client (a quick early check).

    Examples
    --------
    >>> acceptable("text/html"), acceptable("text/html, */*;q=0.8"), acceptable("text/csv")
    (False, True, True)
    """
    for kind in ("SELECT", "CONSTRUCT"):
        try:
            negotiate(accept, kind, fmt)
        except NotAcceptableError:
            continue
        return True
    return False
