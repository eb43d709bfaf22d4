"""The output formats of query answers and of the graph: one registry, no imports.

The CLI builds its ``--format`` choices from here without loading rdflib;
:mod:`aipath_graph.sparql.results` and :mod:`aipath_graph.serialize` write them.

Examples
--------
>>> GRAPH_FORMATS["ttl"], graph_format_names()
('turtle', ('turtle', 'nt', 'json-ld'))
"""

from __future__ import annotations

#: SELECT / ASK answers.
SELECT_FORMATS: tuple[str, ...] = ("table", "json", "csv", "tsv", "xml")
#: Graph formats: the name a user types → rdflib serializer name.
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
}


def graph_format_names() -> tuple[str, ...]:
    """The serializer names of the graph formats, each once, in registry order."""
    return tuple(dict.fromkeys(GRAPH_FORMATS.values()))


#: What ``aipath query --format`` accepts: every answer format, then the graph ones.
QUERY_FORMATS: tuple[str, ...] = (*SELECT_FORMATS, *graph_format_names())

__all__ = ["GRAPH_FORMATS", "QUERY_FORMATS", "SELECT_FORMATS", "graph_format_names"]
