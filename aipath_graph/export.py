"""Export the graph in standard formats, from one registry.

Each :class:`Format` has a name, aliases, a media type, a file suffix and a
writer. RDF formats (Turtle, N-Triples, JSON-LD, RDF/XML) write the triples;
graph formats (GraphML, GEXF, Cytoscape.js JSON, Graphviz DOT, Mermaid, CSV)
write the :func:`~aipath_graph.project.relation_graph` projection with flat
attributes (``label`` in the chosen language, ``label_zh``, ``label_en``,
``type``, ``effort``, ``stage``, ``category``, ``learnable``, ``iri``; edges
``kind`` and ``reason``). Mermaid draws the prerequisite flowchart only.

``nodes`` restricts any export to a set of node ids (slugs); see
:mod:`aipath_graph.subgraph` for picking them.

Examples
--------
>>> get_format("ttl").name, get_format("text/turtle").name, get_format("x.graphml").name
('turtle', 'turtle', 'graphml')
>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix aip: <https://w3id.org/aipath/ontology#> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... <https://w3id.org/aipath/id/a> a aip:Skill ; skos:prefLabel "A"@en ; aip:effortHours 2.0 .
... <https://w3id.org/aipath/id/b> a aip:Skill ; skos:prefLabel "B \\\\"b\\\\""@en ;
...     aip:requires <https://w3id.org/aipath/id/a> ; aip:effortHours 1.0 .
... ''', format="turtle")
>>> print(export(g, "mermaid"), end="")
flowchart LR
  a["A"]
  b["B #quot;b#quot;"]
  a --> b
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .i18n import pick
from .ids import ID_NS, node_id
from .kinds import DISPLAY_KINDS

if TYPE_CHECKING:  # rdflib is imported only when a writer runs, to keep the CLI fast
    import networkx as nx
    from rdflib import Graph

CONTEXT_FILE = Path(__file__).with_name("context.jsonld")
#: Where the JSON-LD context is published (the exported documents embed it inline).
CONTEXT_IRI = "https://w3id.org/aipath/context.jsonld"

Writer = Callable[["Graph", "Collection[str] | None", str], str]


@dataclass(frozen=True)
class Format:
    """An export format: how users name it and the function that writes it."""

    name: str
    aliases: tuple[str, ...]
    media_type: str
    suffix: str
    writer: Writer
    description: str
    rdf: bool = False

    def names(self) -> tuple[str, ...]:
        """The name, aliases and media type: everything ``get_format`` accepts."""
        return (self.name, *self.aliases, self.media_type)


# -- RDF ---------------------------------------------------------------------------------


def restrict(g: Graph, nodes: Collection[str] | None) -> Graph:
    """The triples of ``g`` about the given nodes (all of ``g`` when ``nodes`` is None).

    A triple is kept when its subject is a kept node and its object is a literal,
    a kept node or an IRI outside the instance namespace (a class, an ESCO link);
    reified statements (requirement reasons) are kept when both ends are kept.

    >>> from rdflib import Graph, URIRef
    >>> from aipath_graph.namespaces import AIP, ID
    >>> g = Graph()
    >>> _ = g.add((ID.a, AIP.requires, ID.b)); _ = g.add((ID.b, AIP.requires, ID.c))
    >>> len(restrict(g, {"a", "b"}))
    1
    """
    if nodes is None:
        return g
    from rdflib import RDF, Graph, Literal, URIRef

    keep = set(nodes)
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True, replace=True)

    def kept(term: Any) -> bool:
        return isinstance(term, URIRef) and node_id(term) in keep

    def allowed(term: Any) -> bool:
        return (
            isinstance(term, Literal)
            or kept(term)
            or (isinstance(term, URIRef) and not str(term).startswith(ID_NS))
        )

    statements = set(g.subjects(RDF.type, RDF.Statement))
    for s, p, o in g:
        if s in statements:
            if kept(g.value(s, RDF.subject)) and kept(g.value(s, RDF.object)):
                out.add((s, p, o))
        elif kept(s) and allowed(o):
            out.add((s, p, o))
    return out


@cache
def context() -> dict[str, Any]:
    """The published JSON-LD ``@context`` (prefixes of the vocabularies the graph uses).

    >>> context()["@context"]["aip"]
    'https://w3id.org/aipath/ontology#'
    """
    data: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return data


def _rdf_writer(fmt: str) -> Writer:
    def write(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
        from .serialize import serialize

        sub = restrict(g, nodes)
        if fmt == "json-ld":
            text = sub.serialize(format="json-ld", context=context()["@context"], auto_compact=True)
            data = json.loads(text)
            graph = data.get("@graph")
            if isinstance(graph, list):
                graph.sort(key=lambda node: str(node.get("@id", "")))
            return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        return serialize(sub, fmt)

    return write


# -- graph formats -----------------------------------------------------------------------


def _pick(texts: dict[str, str] | None, lang: str) -> str:
    return pick(texts, lang) or ""


def flat_graph(
    g: Graph,
    nodes: Collection[str] | None = None,
    lang: str = "en",
    *,
    prerequisites_only: bool = False,
) -> nx.DiGraph:
    """The projection of ``g`` with scalar attributes only (what GraphML and GEXF can hold).

    Node attributes: ``label`` (in ``lang``), ``label_zh``, ``label_en``, ``type``,
    ``iri``, ``effort`` (float), ``stage`` and ``category`` (slug or ``""``),
    ``learnable`` (bool). Edge attributes: ``kind``, ``reason`` (``""`` when none).

    >>> from aipath_graph.graph import load_graph
    >>> F = flat_graph(load_graph(), {"calculus", "backpropagation"})
    >>> F.nodes["backpropagation"]["label_zh"], F.edges["calculus", "backpropagation"]["kind"]
    ('反向传播算法', 'requires')
    """
    from .project import prerequisite_graph, relation_graph

    G = (
        prerequisite_graph(g, lang=lang, check=False)
        if prerequisites_only
        else relation_graph(g, lang=lang)
    )
    if nodes is not None:
        G = G.subgraph(set(nodes))
    import networkx as nx

    F = nx.DiGraph()
    for n, d in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
        labels = d.get("label") or {}
        F.add_node(
            str(n),
            label=_pick(labels, lang) or str(n),
            label_zh=labels.get("zh", ""),
            label_en=labels.get("en", ""),
            type=d.get("type", ""),
            iri=d.get("iri", ""),
            effort=float(d.get("effort") or 0.0),
            stage=d.get("stage") or "",
            category=d.get("category") or "",
            learnable=bool(d.get("learnable")),
        )
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        F.add_edge(
            str(u),
            str(v),
            kind=d.get("kind", ""),
            reason=_pick(d.get("reasons"), lang) or d.get("reason") or "",
        )
    return F


def _graphml(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(flat_graph(g, nodes, lang), encoding="utf-8")) + "\n"


def _gexf(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    import networkx as nx

    return "\n".join(nx.generate_gexf(flat_graph(g, nodes, lang), encoding="utf-8")) + "\n"


def _cytoscape(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    F = flat_graph(g, nodes, lang)
    elements = {
        "nodes": [{"data": {"id": n, **d}} for n, d in F.nodes(data=True)],
        "edges": [
            {"data": {"id": f"{u}->{v}", "source": u, "target": v, **d}}
            for u, v, d in F.edges(data=True)
        ],
    }
    return (
        json.dumps(
            {"data": {"name": "aipath-graph"}, "directed": True, "elements": elements},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def dot_quote(text: str) -> str:
    r"""A DOT double-quoted string.

    >>> print(dot_quote('say "hi"\\now'))
    "say \"hi\"\\now"
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


_DOT_SHAPES = {
    "Skill": "box",
    "Tool": "component",
    "Project": "folder",
    "Role": "doubleoctagon",
    "CareerLevel": "octagon",
    "Stage": "tab",
    "AnyOf": "diamond",
    "Resource": "note",
    "Domain": "house",
    "UseCase": "ellipse",
    "Trend": "star",
    "Category": "plain",
}
_DASHED = {"optional", "option"} | DISPLAY_KINDS  # not a must-have prerequisite


def _dot(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    F = flat_graph(g, nodes, lang)
    lines = ["digraph aipath {", "  rankdir=LR;", '  node [fontname="sans-serif"];']
    for n, d in F.nodes(data=True):
        attrs = {
            "label": d["label"],
            "shape": _DOT_SHAPES.get(d["type"], "ellipse"),
            "type": d["type"],
            "effort": f"{d['effort']:g}",
            "iri": d["iri"],
        }
        lines.append(f"  {dot_quote(n)} [{_dot_attrs(attrs)}];")
    for u, v, d in F.edges(data=True):
        attrs = {"kind": d["kind"], "style": "dashed" if d["kind"] in _DASHED else "solid"}
        if d["reason"]:
            attrs["tooltip"] = d["reason"]
        lines.append(f"  {dot_quote(u)} -> {dot_quote(v)} [{_dot_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={dot_quote(v)}" for k, v in attrs.items())


_MERMAID_ID = re.compile(r"[^A-Za-z0-9_]")


def mermaid_ids(nodes: Iterable[str]) -> dict[str, str]:
    """Mermaid-safe, unique ids (``[A-Za-z0-9_]``) for node ids.

    >>> mermaid_ids(["fine-tuning", "fine_tuning", "end"])
    {'fine-tuning': 'fine_tuning', 'fine_tuning': 'fine_tuning_2', 'end': 'n_end'}
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for n in nodes:
        base = _MERMAID_ID.sub("_", n) or "n"
        if base[0].isdigit() or base.lower() in (
            "end",
            "graph",
            "flowchart",
            "subgraph",
            "style",
            "class",
            "click",
            "linkstyle",
            "classdef",
        ):
            base = f"n_{base}"
        mid, i = base, 2
        while mid in used:
            mid, i = f"{base}_{i}", i + 1
        used.add(mid)
        out[n] = mid
    return out


def mermaid_label(text: str) -> str:
    """A quoted Mermaid label; quotes and markup characters become entity codes.

    >>> mermaid_label('a "b" <c>')
    '"a #quot;b#quot; #lt;c#gt;"'
    """
    text = " ".join(text.split())
    for ch, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(ch, code)
    return f'"{text}"'


def _mermaid(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    F = flat_graph(g, nodes, lang, prerequisites_only=True)
    ids = mermaid_ids(F.nodes)
    lines = ["flowchart LR"]
    lines += [f"  {ids[n]}[{mermaid_label(d['label'])}]" for n, d in F.nodes(data=True)]
    for u, v, d in F.edges(data=True):
        arrow = "-.->" if d["kind"] in _DASHED else "-->"
        lines.append(f"  {ids[u]} {arrow} {ids[v]}")
    return "\n".join(lines) + "\n"


NODE_COLUMNS = (
    "id",
    "label",
    "label_zh",
    "label_en",
    "type",
    "effort",
    "stage",
    "category",
    "learnable",
    "iri",
)
EDGE_COLUMNS = ("source", "target", "kind", "reason")


def _csv_text(header: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _csv_nodes(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    F = flat_graph(g, nodes, lang)
    return _csv_text(
        NODE_COLUMNS,
        (
            [
                n,
                *(
                    f"{d[c]:g}"
                    if c == "effort"
                    else str(d[c]).lower()
                    if c == "learnable"
                    else d[c]
                    for c in NODE_COLUMNS[1:]
                ),
            ]
            for n, d in F.nodes(data=True)
        ),
    )


def _csv_edges(g: Graph, nodes: Collection[str] | None, lang: str) -> str:
    F = flat_graph(g, nodes, lang)
    return _csv_text(
        EDGE_COLUMNS, ([u, v, d["kind"], d["reason"]] for u, v, d in F.edges(data=True))
    )


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format(
            "turtle",
            ("ttl",),
            "text/turtle",
            ".ttl",
            _rdf_writer("turtle"),
            "RDF Turtle (deterministic)",
            rdf=True,
        ),
        Format(
            "nt",
            ("ntriples", "n-triples"),
            "application/n-triples",
            ".nt",
            _rdf_writer("nt"),
            "RDF N-Triples, sorted lines",
            rdf=True,
        ),
        Format(
            "jsonld",
            ("json-ld",),
            "application/ld+json",
            ".jsonld",
            _rdf_writer("json-ld"),
            "JSON-LD with the aipath @context",
            rdf=True,
        ),
        Format(
            "rdfxml",
            ("xml", "rdf", "owl"),
            "application/rdf+xml",
            ".rdf",
            _rdf_writer("xml"),
            "RDF/XML",
            rdf=True,
        ),
        Format(
            "graphml",
            (),
            "application/graphml+xml",
            ".graphml",
            _graphml,
            "GraphML for yEd, Gephi, Cytoscape, networkx",
        ),
        Format("gexf", (), "application/gexf+xml", ".gexf", _gexf, "GEXF for Gephi"),
        Format(
            "cytoscape",
            ("cyjs", "cytoscape-json"),
            "application/vnd.cytoscape+json",
            ".cyjs",
            _cytoscape,
            "Cytoscape.js elements JSON",
        ),
        Format("dot", ("graphviz", "gv"), "text/vnd.graphviz", ".dot", _dot, "Graphviz DOT"),
        Format(
            "mermaid",
            ("mmd",),
            "text/vnd.mermaid",
            ".mmd",
            _mermaid,
            "Mermaid prerequisite flowchart (for Markdown)",
        ),
        Format(
            "csv-nodes", ("nodes-csv",), "text/csv", ".nodes.csv", _csv_nodes, "CSV table of nodes"
        ),
        Format(
            "csv-edges",
            ("edges-csv",),
            "text/csv; header=present",
            ".edges.csv",
            _csv_edges,
            "CSV table of edges (source, target, kind, reason)",
        ),
    ]
}


def get_format(name: str) -> Format:
    """Find a format by name, alias, media type or file name (``map.graphml``).

    Raises
    ------
    UsageError
        Nothing matches; the message lists the format names.
    """
    key = name.strip().lower()
    for f in FORMATS.values():
        if key in f.names():
            return f
    for f in sorted(FORMATS.values(), key=lambda f: -len(f.suffix)):
        if key.endswith(f.suffix):
            return f
    raise UsageError(f"unknown export format {name!r}; use one of {', '.join(FORMATS)}")


def export(
    g: Graph, fmt: str | Format, *, nodes: Collection[str] | None = None, lang: str = "en"
) -> str:
    """Write ``g`` (or the part about ``nodes``) in format ``fmt``.

    Parameters
    ----------
    g : rdflib.Graph
        A graph in the aipath ontology, e.g. from :func:`~aipath_graph.graph.load_graph`.
    fmt : str or Format
        A format name, alias, media type or file name (see :data:`FORMATS`).
    nodes : collection of node ids, optional
        Export only these nodes and the relations among them.
    lang : str
        Language of the ``label`` attribute of graph formats.

    Returns
    -------
    str
        The document.
    """
    f = fmt if isinstance(fmt, Format) else get_format(fmt)
    return f.writer(g, nodes, lang)


__all__ = [
    "CONTEXT_IRI",
    "FORMATS",
    "Format",
    "context",
    "export",
    "flat_graph",
    "get_format",
    "restrict",
]
