r"""Write query results in the standard SPARQL result formats, or as a table.

SELECT results go to ``json`` (SPARQL 1.1 Query Results JSON), ``xml``
(SPARQL Query Results XML), ``csv`` and ``tsv`` (SPARQL 1.1 Query Results
CSV and TSV) or ``table`` (aligned text for people, with the chosen
language's label next to each IRI). ASK results go to ``json``/``xml`` or
``true``/``false``. CONSTRUCT and DESCRIBE graphs go to Turtle, N-Triples
or JSON-LD.

Examples
--------
>>> from rdflib import Literal, URIRef
>>> from aipath_graph.sparql.query import QueryResult
>>> r = QueryResult("SELECT", ["s", "n"], [{"s": URIRef("https://w3id.org/aipath/id/python"),
...                                         "n": Literal(3)}])
>>> format_result(r, "csv")  # CRLF line ends, as the W3C CSV results format says
's,n\r\nhttps://w3id.org/aipath/id/python,3\r\n'
>>> format_result(r, "tsv")
'?s\t?n\n<https://w3id.org/aipath/id/python>\t3\n'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring as _encode_string  # the C encoder when available
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.term import Node, Variable

from aipath_graph.errors import UsageError
from aipath_graph.formats import GRAPH_FORMATS, SELECT_FORMATS
from aipath_graph.sparql.query import QueryResult, prefixes
from aipath_graph.text import display_width

__all__ = [
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "display_width",
    "format_result",
    "format_table",
    "term_json",
]


def term_json(term: Node) -> dict[str, str]:
    """Return one RDF term as a SPARQL 1.1 JSON results binding.

    Examples
    --------
    >>> term_json(Literal("微积分", lang="zh"))
    {'type': 'literal', 'value': '微积分', 'xml:lang': 'zh'}
    >>> term_json(Literal(2))
    {'type': 'literal', 'value': '2', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
    """
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def _json(result: QueryResult) -> str:
    """SPARQL JSON results, laid out as ``json.dumps(…, indent=2)`` does, written faster.

    ``json.dumps`` with an indent runs in pure Python; the endpoint writes thousands
    of rows, so each value goes through the C string encoder and the lines are joined
    here instead (``test_results_json_is_json_dumps`` checks the two give the same text).

    Examples
    --------
    >>> print(_json(QueryResult("SELECT", ["x"], [{"x": Literal("a\\"b", lang="zh")}])), end="")
    {
      "head": {
        "vars": [
          "x"
        ]
      },
      "results": {
        "bindings": [
          {
            "x": {
              "type": "literal",
              "value": "a\\"b",
              "xml:lang": "zh"
            }
          }
        ]
      }
    }
    """
    if result.kind == "ASK":
        doc = {"head": {}, "boolean": bool(result.boolean)}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    quote = _encode_string
    out = ['{\n  "head": {\n    "vars": ']
    if result.vars:
        out.append("[\n" + ",\n".join(f"      {quote(v)}" for v in result.vars) + "\n    ]")
    else:
        out.append("[]")
    out.append('\n  },\n  "results": {\n    "bindings": ')
    rows = []
    for row in result.rows:
        fields = []
        for k in result.vars:
            if k in row:
                body = ",\n".join(
                    f"          {quote(a)}: {quote(b)}" for a, b in term_json(row[k]).items()
                )
                fields.append(f"        {quote(k)}: {{\n{body}\n        }}")
        rows.append("      {\n" + ",\n".join(fields) + "\n      }" if fields else "      {}")
    out.append("[\n" + ",\n".join(rows) + "\n    ]" if rows else "[]")
    out.append("\n  }\n}\n")
    return "".join(out)


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _delimited(result: QueryResult, tsv: bool) -> str:
    buf = io.StringIO()
    if tsv:
        # W3C TSV: RDF terms in SPARQL/Turtle syntax, tab separated, LF line ends.
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        for row in result.rows:
            lines.append("\t".join(_tsv_term(row.get(v)) for v in result.vars))
        return "\n".join(lines) + "\n"
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_csv_value(row.get(v)) for v in result.vars])
    return buf.getvalue()


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """One RDF term in the SPARQL/Turtle syntax the W3C TSV format uses."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        if term.datatype == XSD.integer and text.lstrip("+-").isdigit():
            return text
        quoted = '"' + text.translate(_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def _xml(result: QueryResult) -> str:
    from rdflib.plugins.sparql.results.xmlresults import XMLResultSerializer
    from rdflib.query import Result

    res = Result(result.kind)
    if result.kind == "ASK":
        res.askAnswer = bool(result.boolean)
    else:
        res.vars = [Variable(v) for v in result.vars]
        res.bindings = [{Variable(k): v for k, v in row.items()} for row in result.rows]
    buf = io.BytesIO()
    XMLResultSerializer(res).serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8") + "\n"


def _label_index(
    g: Any, lang: str, rows: Sequence[Mapping[str, Node | None]] = ()
) -> Mapping[URIRef, str]:
    if g is None:
        return {}
    if hasattr(g, "labels"):  # the Oxigraph engine: look up only the IRIs shown
        iris = {t for row in rows for t in row.values() if isinstance(t, URIRef)}
        return g.labels(iris, lang)
    from rdflib.namespace import SKOS

    best: dict[URIRef, tuple[int, str]] = {}
    for s, o in g.subject_objects(SKOS.prefLabel):
        if not isinstance(s, URIRef) or not isinstance(o, Literal):
            continue
        rank = 0 if o.language == lang else 1 if o.language in ("en", None) else 2
        if s not in best or rank < best[s][0]:
            best[s] = (rank, str(o))
    return {s: text for s, (_, text) in best.items()}


def _namespace_manager() -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in prefixes().items():
        nm.bind(prefix, ns, override=True)
    return nm


def _cell(term: Node | None, labels: Mapping[URIRef, str], nm: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            short = nm.normalizeUri(term)
        except Exception:  # rdflib refuses some IRIs as prefixed names
            short = f"<{term}>"
        short = short if not short.startswith("<") or short.endswith(">") else f"<{term}>"
        label = labels.get(term)
        return f"{short} ({label})" if label else short
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())


def format_table(
    vars: Sequence[str],
    rows: Sequence[Mapping[str, Node | None]],
    *,
    g: Any = None,
    lang: str = "en",
) -> str:
    """Return rows as an aligned text table; IRIs are shortened and labelled.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> print(format_table(["x"], [{"x": URIRef("https://w3id.org/aipath/id/a")}]), end="")
    x
    ────
    id:a
    """
    labels = _label_index(g, lang, rows)
    nm = _namespace_manager()
    cells = [[_cell(row.get(v), labels, nm) for v in vars] for row in rows]
    widths = [
        max([display_width(v), *(display_width(r[i]) for r in cells)]) for i, v in enumerate(vars)
    ]

    def line(values: Sequence[str]) -> str:
        pairs = zip(values, widths, strict=True)
        parts = [val + " " * (w - display_width(val)) for val, w in pairs]
        return "  ".join(parts).rstrip()

    out = [line(list(vars)), "  ".join("─" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out) + "\n"


def format_result(
    result: QueryResult,
    fmt: str,
    *,
    g: Any = None,
    lang: str = "en",
) -> str:
    """Serialize a query result in the format ``fmt``.

    Parameters
    ----------
    result : QueryResult
        What :func:`aipath_graph.sparql.query.run_query` returned.
    fmt : str
        SELECT: one of :data:`SELECT_FORMATS`; ASK: ``table`` (true/false),
        ``json`` or ``xml``; CONSTRUCT/DESCRIBE: a key of :data:`GRAPH_FORMATS`
        (``table`` means Turtle).
    g : rdflib.Graph or OxDataset, optional
        Graph to take labels from for ``table``.
    lang : str
        Label language for ``table``.

    Raises
    ------
    UsageError
        The format does not fit the kind of result.
    """
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        name = "turtle" if fmt == "table" else GRAPH_FORMATS.get(fmt)
        if name is None:
            choices = " or ".join(sorted(set(GRAPH_FORMATS)))
            raise UsageError(f"{result.kind} gives a graph: use --format {choices}")
        assert result.graph is not None
        from aipath_graph.serialize import serialize

        return serialize(result.graph, name)
    if result.kind == "ASK":
        if fmt in ("table", "csv", "tsv"):
            return ("true" if result.boolean else "false") + "\n"
    elif fmt not in SELECT_FORMATS:
        raise UsageError(f"SELECT results come as {', '.join(SELECT_FORMATS)}, not {fmt!r}")
    if fmt == "json":
        return _json(result)
    if fmt == "xml":
        return _xml(result)
    if fmt in ("csv", "tsv"):
        return _delimited(result, tsv=fmt == "tsv")
    if fmt == "table":
        return format_table(result.vars, result.rows, g=g, lang=lang)
    raise UsageError(f"unknown format {fmt!r}")
