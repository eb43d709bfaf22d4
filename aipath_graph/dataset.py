"""The dataset: one named graph per source, and a default graph that is their union.

A graph built from its sources (:func:`aipath_graph.graph.build`) is also an
RDF dataset, so SPARQL ``GRAPH``, ``FROM``/``FROM NAMED`` and the protocol's
``default-graph-uri``/``named-graph-uri`` can pick the sources apart:

- ``https://w3id.org/aipath/graph/ontology`` — the ontology (``ontology/aipath.ttl``);
- ``https://w3id.org/aipath/graph/bundled`` — the bundled data (``graph/``), when no
  ``--data`` is given;
- ``https://w3id.org/aipath/graph/source/NAME`` — each ``--data`` source (a YAML folder or
  file, an RDF file, an imported graph), NAME being its file name as a slug
  (``-2``, ``-3`` … when two sources share a name);
- a TriG or N-Quads source keeps the names of its own named graphs; its default
  graph is the source's graph.

The default graph holds every triple of every source: the union of the named
graphs (the embedded store keeps only the named graphs and reads their union,
see :mod:`aipath_graph.oxstore`); ``GRAPH ?g`` ranges over the named graphs
only, as SPARQL says. Graph names are the dataset's own: a query naming any
other graph finds it empty, and nothing is ever fetched.

Examples
--------
>>> from pathlib import Path
>>> names = SourceNames([Path("my-graph"), Path("esco.yaml"), Path("other/esco.yaml")])
>>> [str(names.iri(i)) for i in range(3)]  # doctest: +NORMALIZE_WHITESPACE
['https://w3id.org/aipath/graph/source/my-graph',
 'https://w3id.org/aipath/graph/source/esco-yaml',
 'https://w3id.org/aipath/graph/source/esco-yaml-2']
>>> str(SourceNames([Path("graph")], bundled=True).iri(0))
'https://w3id.org/aipath/graph/bundled'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

__all__ = [
    "BUNDLED_GRAPH",
    "GRAPH_NS",
    "ONTOLOGY_GRAPH",
    "SourceNames",
    "nquads",
    "split_by_source",
]

GRAPH_NS = "https://w3id.org/aipath/graph/"
ONTOLOGY_GRAPH = URIRef(GRAPH_NS + "ontology")
BUNDLED_GRAPH = URIRef(GRAPH_NS + "bundled")
_ID = "https://w3id.org/aipath/id/"
_QUADS = {".trig": "trig", ".nq": "nquads"}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "source"


class SourceNames:
    """The graph name of each source, and which source a file belongs to."""

    def __init__(self, sources: Sequence[Path], *, bundled: bool = False) -> None:
        self.sources = list(sources)
        self.bundled = bundled
        self._iris: list[URIRef] = []
        seen: dict[str, int] = {}
        for path in self.sources:
            base = _slug(path.name)
            seen[base] = seen.get(base, 0) + 1
            name = base if seen[base] == 1 else f"{base}-{seen[base]}"
            self._iris.append(BUNDLED_GRAPH if bundled else URIRef(GRAPH_NS + "source/" + name))
        self._roots = [p.resolve() for p in self.sources]

    def iri(self, index: int) -> URIRef:
        """The graph name of source ``index``."""
        return self._iris[index]

    def of_file(self, file: str | Path) -> URIRef:
        """The graph name of the source that holds ``file`` (the first source if none does)."""
        path = Path(file).resolve()
        for i, root in enumerate(self._roots):
            if path == root or root in path.parents:
                return self._iris[i]
        return self._iris[0] if self._iris else BUNDLED_GRAPH

    def rdf_parts(self, path: Path, part: Graph) -> list[tuple[URIRef, Graph]]:
        """The named graphs of one RDF file: its own graph, and a quad file's named graphs."""
        own = self.of_file(path)
        fmt = _QUADS.get(path.suffix.lower())
        if fmt is None:
            return [(own, part)]
        from rdflib import Dataset
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        ds = Dataset()
        ds.parse(path, format=fmt)
        out: list[tuple[URIRef, Graph]] = []
        for ctx in ds.graphs():
            if len(ctx) == 0:
                continue
            name = ctx.identifier
            target = own if name == DATASET_DEFAULT_GRAPH_ID else URIRef(str(name))
            g = Graph()
            g += ctx
            out.append((target, g))
        return out


def split_by_source(
    compiled: Graph, locations: Mapping[Any, Any], names: SourceNames
) -> list[tuple[URIRef, Graph]]:
    """Split the graph compiled from YAML into one graph per source.

    A triple goes to the source whose file defines its subject; a reason's
    statement node (``id:SLUG/…``) goes with ``id:SLUG``.
    """
    if len(names.sources) <= 1 or len(compiled) == 0:
        return [(names.iri(0), compiled)] if names.sources and len(compiled) else []
    owner: dict[str, URIRef] = {}
    for node, where in locations.items():
        owner[str(node)] = names.of_file(where.file)
    fallback = names.iri(0)
    parts: dict[URIRef, Graph] = {}
    for s, p, o in compiled:
        key = str(s)
        target = owner.get(key)
        if target is None and key.startswith(_ID):
            target = owner.get(_ID + key[len(_ID) :].split("/", 1)[0])
        g = parts.setdefault(target or fallback, Graph())
        g.add((s, p, o))
    return list(parts.items())


def nquads(parts: Iterable[tuple[URIRef, Graph]]) -> bytes:
    """The named graphs as N-Quads (the default graph is left implicit: it is their union).

    Examples
    --------
    >>> g = Graph().parse(data="<urn:a> <urn:p> 'x' .", format="turtle")
    >>> nquads([(URIRef("urn:g"), g)])
    b'<urn:a> <urn:p> "x" <urn:g> .\\n'
    """
    out: list[bytes] = []
    for name, g in parts:
        tail = b" <" + str(name).encode("utf-8") + b"> .\n"
        body = g.serialize(format="nt", encoding="utf-8")
        out.extend(line[:-2] + tail for line in body.splitlines() if line.endswith(b" ."))
    return b"".join(out)
