"""SPARQL over the knowledge graph: a read-only runner and the named queries.

:func:`run_query` parses a query with rdflib's SPARQL parser, refuses anything
that could write or reach the network (updates, ``SERVICE``, ``FROM``), and
evaluates it on an in-memory graph. Parameters are bound as RDF terms through
rdflib's ``initBindings``; they are never pasted into the query text.

Named queries live in ``aipath_graph/sparql/queries/*.rq``. Each file starts with a
comment header::

    # One-line title.
    #
    # Free text that documents the query (any number of lines).
    #
    # @param skill term   The skill (slug, Chinese or English label).
    # @param lang lang?   Language of labels and reasons (default: en).

A parameter type is ``term`` (a node of the graph, found by the name
resolver), ``iri``, ``string``, ``integer`` or ``lang``; a trailing ``?``
makes the parameter optional (left unbound when not given).

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(data="@prefix aip: <https://w3id.org/aipath/ontology#> . "
...     "<https://w3id.org/aipath/id/a> aip:requires <https://w3id.org/aipath/id/b> .",
...     format="turtle")
>>> result = run_query(g, "SELECT ?p WHERE { id:a aip:requires ?p }")
>>> [str(row["p"]) for row in result.rows]
['https://w3id.org/aipath/id/b']
>>> run_query(g, "DROP ALL")
Traceback (most recent call last):
...
aipath_graph.sparql.query.QueryRefusedError: DROP is refused: queries are read-only (no updates)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, Namespace, URIRef, Variable
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

if TYPE_CHECKING:  # rdflib's SPARQL parser loads in 0.1 s: only the rdflib engine needs it
    import pyparsing
    from rdflib.plugins.sparql.sparql import Query

    from aipath_graph.sparql.engine import OxDataset

from aipath_graph.errors import QueryError, UsageError
from aipath_graph.namespaces import AIP, ID, SCHEMA

__all__ = [
    "NamedQuery",
    "Param",
    "QueryRefusedError",
    "QueryResult",
    "QuerySyntaxError",
    "UnknownParameterError",
    "UnknownQueryError",
    "bind_params",
    "compile_query",
    "get_named_query",
    "named_queries",
    "parse_term",
    "prefixes",
    "run_named",
    "run_query",
]


class QuerySyntaxError(QueryError):
    """The query text is not valid SPARQL 1.1; the message names line and column."""


class QueryRefusedError(QueryError):
    """The query would write to the graph or reach the network."""


class UnknownQueryError(QueryError):
    """No named query has this name; the message lists the known ones."""


class UnknownParameterError(QueryError):
    """A parameter is not declared by the query (or a required one is missing)."""


def prefixes() -> dict[str, Namespace]:
    """Return the prefixes every query may use without declaring them.

    Examples
    --------
    >>> sorted(prefixes())
    ['aip', 'dcterms', 'id', 'owl', 'rdf', 'rdfs', 'schema', 'skos', 'xsd']
    """
    return {
        "aip": Namespace(str(AIP._NS)),
        "id": ID,
        "skos": Namespace(str(SKOS)),
        "rdf": Namespace(str(RDF)),
        "rdfs": Namespace(str(RDFS)),
        "owl": Namespace(str(OWL)),
        "xsd": Namespace(str(XSD)),
        "dcterms": Namespace(str(DCTERMS)),
        "schema": SCHEMA,
    }


# ---------------------------------------------------------------- results


@dataclass
class QueryResult:
    """The answer to a query, detached from rdflib's lazy result object.

    Attributes
    ----------
    kind : str
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.
    vars : list of str
        Projected variable names (SELECT only), in query order.
    rows : list of dict
        One mapping per solution, variable name to RDF term; unbound variables
        are absent.
    boolean : bool or None
        The answer of an ASK query.
    graph : rdflib.Graph or None
        The result graph of CONSTRUCT and DESCRIBE.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def values(self, var: str) -> list[Node]:
        """Return the bound values of one variable, in row order.

        Examples
        --------
        >>> QueryResult("SELECT", ["x"], [{"x": Literal(1)}, {}]).values("x")
        [rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))]
        """
        return [row[var] for row in self.rows if var in row]


# ---------------------------------------------------------------- compiling


_UPDATE_WORDS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "INSERT/DELETE",
}


def _walk(node: Any) -> Iterator[Any]:
    """Yield ``node`` and everything nested in it (parse trees and algebra)."""
    from pyparsing import ParseResults

    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset | ParseResults):
            stack.extend(item)


def _syntax_error(text: str, err: pyparsing.ParseBaseException) -> QuerySyntaxError:
    lines = text.splitlines() or [""]
    lineno = min(max(err.lineno, 1), len(lines))
    near = lines[lineno - 1].strip()
    if len(near) > 40:
        near = near[:37] + "..."
    return QuerySyntaxError(
        f"SPARQL syntax error at line {err.lineno}, column {err.col}: near {near!r}"
    )


def _refuse_update(text: str) -> None:
    """Raise :class:`QueryRefusedError` when ``text`` parses as an update."""
    import pyparsing
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(text)
    except pyparsing.ParseBaseException:
        return
    requests = update.get("request") or []
    words = [_UPDATE_WORDS.get(getattr(r, "name", ""), "UPDATE") for r in requests]
    word = words[0] if words else "UPDATE"
    raise QueryRefusedError(f"{word} is refused: queries are read-only (no updates)")


def compile_query(text: str) -> Query:
    """Parse and translate a read-only SPARQL query.

    The prefixes of :func:`prefixes` are predeclared. Updates, ``SERVICE``
    (anywhere, including inside ``EXISTS``) and ``FROM``/``FROM NAMED`` are
    refused by inspecting the parse tree and the algebra.

    Parameters
    ----------
    text : str
        SPARQL 1.1 query text.

    Returns
    -------
    rdflib.plugins.sparql.sparql.Query
        The prepared query.

    Raises
    ------
    QuerySyntaxError
        The text is not SPARQL; the message names the line and column.
    QueryRefusedError
        The text is an update or uses ``SERVICE`` or ``FROM``.

    Examples
    --------
    >>> compile_query("ASK { ?s aip:requires ?o }").algebra.name
    'AskQuery'
    >>> compile_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aipath_graph.sparql.query.QueryRefusedError: SERVICE is refused: ...
    >>> compile_query("SELECT * {\\n  ?s ?p\\n}")
    Traceback (most recent call last):
    ...
    aipath_graph.sparql.query.QuerySyntaxError: SPARQL syntax error at line 2, column 3: near '?s ?p'
    """
    too_deep = "the query is nested too deeply (brackets or a long UNION chain); simplify it"
    import pyparsing
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(text)
    except pyparsing.ParseBaseException as err:
        _refuse_update(text)
        raise _syntax_error(text, err) from None
    except RecursionError:
        raise QuerySyntaxError(too_deep) from None
    for node in _walk(parsed):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefusedError(
                "SERVICE is refused: queries run on the local graph only (no network)"
            )
    try:
        query = translateQuery(parsed, initNs=prefixes())
    except RecursionError:
        raise QuerySyntaxError(too_deep) from None
    except Exception as err:  # rdflib raises bare Exception for unknown prefixes
        raise QuerySyntaxError(f"SPARQL error: {err}") from None
    for node in _walk(query.algebra):  # LIMIT/OFFSET past any real size mean "no limit"
        if isinstance(node, CompValue) and node.name == "Slice":
            for key in ("start", "length"):
                if isinstance(node.get(key), int) and node[key] > sys.maxsize:
                    node[key] = sys.maxsize
    for node in _walk(query.algebra):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefusedError(
                "SERVICE is refused: queries run on the local graph only (no network)"
            )
    if query.algebra.get("datasetClause"):
        raise QueryRefusedError(
            "FROM and FROM NAMED are refused: queries run on the loaded graph only"
        )
    return query


def query_variables(query: Query) -> set[str]:
    """Return the names of every variable that occurs in a compiled query.

    Examples
    --------
    >>> sorted(query_variables(compile_query("SELECT ?a { ?a ?b 1 }")))
    ['a', 'b']
    """
    return {str(n) for n in _walk(query.algebra) if isinstance(n, Variable)}


# ---------------------------------------------------------------- running


def _limited(query: Query, limit: int) -> Query:
    """Return a copy of ``query`` whose pattern is cut to ``limit`` solutions."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

    algebra = CompValue(query.algebra.name, **dict(query.algebra))
    if algebra.get("p") is not None:
        algebra["p"] = CompValue("Slice", p=algebra["p"], start=0, length=limit)
    return Query(query.prologue, algebra)


def run_query(
    g: Graph | OxDataset,
    text: str | Query,
    *,
    bindings: Mapping[str, Node] | None = None,
    limit: int | None = None,
    max_bytes: int | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    base: str | None = None,
) -> QueryResult:
    """Run a read-only SPARQL query on a graph and return its result.

    Parameters
    ----------
    g : rdflib.Graph or OxDataset
        The graph to query: an rdflib graph (rdflib evaluates the query, or
        the store behind it does), or an
        :class:`~aipath_graph.sparql.engine.OxDataset` (Oxigraph evaluates it).
    text : str or Query
        The query text (or, for an rdflib graph, a query from :func:`compile_query`).
    bindings : mapping of str to RDF term, optional
        Values for variables (names without ``?``), bound as RDF terms before
        evaluation; never inserted into the text.
    limit : int, optional
        At most this many solutions (on top of the query's own ``LIMIT``).
    max_bytes : int, optional
        Stop reading solutions once the text of their terms passes this many
        bytes (the caller cuts the answer to size and says so).
    default_graphs, named_graphs : sequence of str, optional
        The dataset of the SPARQL protocol (``default-graph-uri``,
        ``named-graph-uri``): graphs of an
        :class:`~aipath_graph.sparql.engine.OxDataset` only.
    base : str, optional
        The base IRI relative IRIs of the query resolve against (Oxigraph).

    Returns
    -------
    QueryResult

    Raises
    ------
    QuerySyntaxError, QueryRefusedError
        See :func:`compile_query`.
    UnknownParameterError
        A binding names a variable the query does not use.

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> g = Graph()
    >>> r = run_query(g, 'SELECT ?x ?y { BIND(STRLEN(?x) AS ?y) }', bindings={"x": Literal('"} ')})
    >>> r.vars, r.rows[0]["y"].toPython()
    (['x', 'y'], 3)
    >>> run_query(g, "ASK { }").boolean
    True
    """
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be 0 or more, not {limit}")
    from aipath_graph.sparql.engine import OxDataset

    if isinstance(g, OxDataset):
        if not isinstance(text, str):
            raise UsageError("the Oxigraph engine takes the query text, not a compiled query")
        if bindings:
            _check_bindings(set(bindings), set(scan_variables(text)))
        return g.run(
            text,
            bindings=bindings,
            limit=limit,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base=base,
            max_bytes=max_bytes,
        )
    if default_graphs or named_graphs:
        raise QueryRefusedError(
            "default-graph-uri and named-graph-uri need a dataset; this store has one graph"
        )
    query = compile_query(text) if isinstance(text, str) else text
    init = dict(bindings or {})
    if init:
        _check_bindings(set(init), query_variables(query))
    init_bindings = {Variable(k): v for k, v in init.items()}
    native = isinstance(text, str) and not _in_memory(g)
    if limit is not None and not native:
        query = _limited(query, limit)
    try:
        if native:
            # Oxigraph or a remote endpoint runs the (already checked) text itself;
            # bindings travel as a trailing VALUES block of serialised RDF terms.
            res = g.query(with_values(text, init), initNs=prefixes())
        else:
            res = g.query(query, initBindings=init_bindings)
        kind = res.type
        if kind == "ASK":
            return QueryResult(kind, boolean=bool(res.askAnswer))
        canon = canonical if native else _same
        if kind in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            for prefix, ns in prefixes().items():
                out.bind(prefix, ns)
            for s_, p_, o_ in res.graph or Graph():
                out.add((s_, p_, canon(o_)))
            return QueryResult(kind, graph=out)
        names = [str(v) for v in res.vars or []]
        rows = []
        size = 0
        for row in res if max_bytes is not None else res.bindings:  # lazily when bounded
            items = row.asdict().items() if max_bytes is not None else row.items()
            rows.append({str(k): canon(v) for k, v in items if v is not None and str(k) in names})
            if max_bytes is not None:
                size += sum(len(str(v)) + 8 for v in rows[-1].values())
                if size > max_bytes:
                    break
        if native and limit is not None:
            rows = rows[:limit]
    except (NotImplementedError, TypeError, ValueError, OSError) as err:
        raise QueryError(f"query failed: {err}") from None
    except Exception as err:  # a store's own error types (Oxigraph, HTTP endpoints)
        if type(err).__module__.startswith(("pyoxigraph", "urllib", "SPARQLWrapper", "rdflib")):
            raise QueryError(f"query failed: {' '.join(str(err).split())[:300]}") from None
        raise
    return QueryResult("SELECT", names, rows)


def _check_bindings(given: set[str], known: set[str]) -> None:
    unknown = sorted(given - known)
    if unknown:
        raise UnknownParameterError(
            f"unknown parameter {unknown[0]!r}; the query's variables are: "
            + (", ".join(sorted(known)) or "(none)")
        )


def scan_variables(text: str) -> set[str]:
    """The names of the variables in a query text (comments and strings skipped).

    Examples
    --------
    >>> sorted(scan_variables('SELECT ?a { ?a ?b "?c" } # ?d'))
    ['a', 'b']
    """
    from aipath_graph.sparql.scan import tokens

    return {value[1:] for kind, value in tokens(text) if kind == "var"}


def _same(term: Node) -> Node:
    return term


_DECIMAL = URIRef(str(XSD.decimal))


def canonical(term: Node) -> Node:
    """Decimals in the lexical form rdflib writes (``30.0``), whatever store answered (``30``)."""
    if isinstance(term, Literal) and term.datatype == _DECIMAL:
        from decimal import Decimal, InvalidOperation

        from aipath_graph.compile import decimal_lexical

        try:
            return Literal(decimal_lexical(Decimal(str(term))), datatype=XSD.decimal)
        except InvalidOperation:
            return term
    return term


_COMMENT_LINE = re.compile(r"^[ \t]*#.*$", re.MULTILINE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{]*\{", re.IGNORECASE)


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables with a VALUES block at the start of the outer WHERE clause.

    The terms are serialised as RDF terms (never raw text). At the start of the
    group the block acts as the query's initial bindings, so it also holds
    under GROUP BY (a trailing VALUES would join after grouping).

    >>> from rdflib import Literal, URIRef
    >>> print(with_values("SELECT ?x WHERE { ?x ?p ?y }", {"y": Literal('} "b"')}))
    SELECT ?x WHERE { VALUES (?y) { ("} \\"b\\"") } ?x ?p ?y }
    >>> print(with_values("ASK { ?s ?p ?o }", {"s": URIRef("http://e/s")}))
    ASK { VALUES (?s) { (<http://e/s>) } ?s ?p ?o }
    """
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(v.n3() for v in bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }}"
    searchable = _COMMENT_LINE.sub(lambda m: " " * len(m.group(0)), text)
    match = _WHERE.search(searchable) or _FORM.search(searchable)
    if match is None:  # compile_query accepted it, so this is not expected
        raise QueryError("cannot find the WHERE clause to bind parameters in")
    return text[: match.end()] + block + text[match.end() :]


def _in_memory(g: Graph) -> bool:
    """True when ``g`` lives in rdflib's own memory store (rdflib evaluates the query)."""
    from rdflib.plugins.stores.memory import Memory, SimpleMemory

    return isinstance(g.store, Memory | SimpleMemory)


# ---------------------------------------------------------------- named queries

PARAM_TYPES = ("term", "iri", "string", "integer", "lang")


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: a variable bound before evaluation."""

    name: str
    type: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    """A documented query shipped in ``aipath_graph/sparql/queries``."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def param(self, name: str) -> Param:
        """Return the parameter ``name`` or raise :class:`UnknownParameterError`."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "(none)"
        raise UnknownParameterError(
            f"query {self.name!r} has no parameter {name!r}; its parameters are: {known}"
        )


_PARAM_LINE = re.compile(r"@param\s+(\w+)\s+(\w+)(\??)\s*(.*)")


def _parse_header(name: str, text: str) -> NamedQuery:
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].strip())
    if not header or not header[0]:
        raise QueryError(f"named query {name!r} has no header comment")
    params: list[Param] = []
    body: list[str] = []
    for line in header[1:]:
        m = _PARAM_LINE.match(line)
        if m:
            pname, ptype, optional, desc = m.groups()
            if ptype not in PARAM_TYPES:
                raise QueryError(f"named query {name!r}: unknown parameter type {ptype!r}")
            params.append(Param(pname, ptype, desc.strip(), required=not optional))
        elif not line.startswith("@"):
            body.append(line)
    description = "\n".join(body).strip()
    return NamedQuery(name, header[0], description, tuple(params), text)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Return the named queries shipped with the package, by name.

    Examples
    --------
    >>> q = named_queries()["prerequisites"]
    >>> [p.name for p in q.params][:1]
    ['skill']
    """
    found: dict[str, NamedQuery] = {}
    folder = resources.files("aipath_graph.sparql") / "queries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found[name] = _parse_header(name, entry.read_text(encoding="utf-8"))
    return found


def get_named_query(name: str) -> NamedQuery:
    """Return one named query or raise :class:`UnknownQueryError` listing them all.

    Examples
    --------
    >>> get_named_query("no-such-query")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aipath_graph.sparql.query.UnknownQueryError: unknown query 'no-such-query'; known queries: ...
    """
    queries = named_queries()
    if name not in queries:
        raise UnknownQueryError(f"unknown query {name!r}; known queries: {', '.join(queries)}")
    return queries[name]


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_PREFIXED = re.compile(r"([A-Za-z][\w-]*):([\w./-]*)")


def parse_term(value: str, resolve: Callable[[str], URIRef] | None = None) -> Node:
    """Read a parameter value typed by a user as an RDF term.

    ``<iri>`` is an IRI, ``prefix:name`` uses a predeclared prefix, a quoted
    string (optionally ``@lang``) is a literal, a number is a number; anything
    else goes to ``resolve`` (the name resolver) when given, else it is a
    plain literal.

    Examples
    --------
    >>> parse_term("<https://example.org/x>")
    rdflib.term.URIRef('https://example.org/x')
    >>> parse_term("id:python")
    rdflib.term.URIRef('https://w3id.org/aipath/id/python')
    >>> parse_term('"反向传播"@zh')
    rdflib.term.Literal('反向传播', lang='zh')
    >>> parse_term("42")
    rdflib.term.Literal('42', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    v = value.strip()
    if v.startswith("<") and v.endswith(">") and len(v) > 2:
        return URIRef(v[1:-1])
    m = _PREFIXED.fullmatch(v)
    ns = prefixes()
    if m and m.group(1) in ns:
        return ns[m.group(1)][m.group(2)]
    q = re.fullmatch(r'"(.*)"(?:@([A-Za-z-]+))?', v, flags=re.S)
    if q:
        return Literal(q.group(1), lang=q.group(2))
    if _NUMBER.fullmatch(v):
        if len(v) > 100:
            raise UsageError(f"{v[:20]}…: a number here has at most 100 digits")
        return Literal(int(v)) if "." not in v else Literal(v, datatype=XSD.decimal)
    if resolve is not None:
        return resolve(v)
    return Literal(value)


def _default_resolver(g: Any) -> Callable[[str], URIRef]:
    from aipath_graph.resolve import Resolver
    from aipath_graph.sparql.engine import OxDataset

    if isinstance(g, OxDataset):
        return Resolver.from_index(g.name_index()).resolve
    return Resolver(g).resolve


def bind_params(
    nq: NamedQuery,
    params: Mapping[str, str],
    resolve: Callable[[str], URIRef],
) -> dict[str, Node]:
    """Turn ``KEY=VALUE`` strings into RDF terms by the query's declared types.

    Raises
    ------
    UnknownParameterError
        A key is not a parameter of the query, or a required one is missing.
    """
    bound: dict[str, Node] = {}
    for key, value in params.items():
        p = nq.param(key)
        if p.type == "term":
            bound[key] = parse_term(value, resolve)
        elif p.type == "iri":
            term = parse_term(value)
            if not isinstance(term, URIRef):
                raise UsageError(f"parameter {key!r} needs an IRI, not {value!r}")
            bound[key] = term
        elif p.type == "integer":
            try:
                bound[key] = Literal(int(value))
            except ValueError:
                raise UsageError(f"parameter {key!r} needs an integer, not {value!r}") from None
        elif p.type == "lang":
            if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", value):
                raise UsageError(f"parameter {key!r} needs a language tag, not {value!r}")
            bound[key] = Literal(value.lower())
        else:
            bound[key] = Literal(value)
    missing = [p.name for p in nq.params if p.required and p.name not in bound]
    if missing:
        raise UnknownParameterError(
            f"query {nq.name!r} needs parameter {missing[0]!r} (--param {missing[0]}=VALUE)"
        )
    return bound


def run_named(
    g: Any,
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    resolve: Callable[[str], URIRef] | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Run a named query with parameters given as strings.

    Parameters
    ----------
    g : rdflib.Graph
        The graph to query.
    name : str
        The query's name (its file name without ``.rq``).
    params : mapping of str to str, optional
        Parameter values as typed by a user; ``term`` values go through the
        name resolver (a slug, a Chinese or English label).
    resolve : callable, optional
        Name resolver; default ``aipath_graph.resolve.Resolver(g).resolve``.
    limit : int, optional
        At most this many rows.

    Examples
    --------
    >>> from rdflib import Graph
    >>> run_named(Graph(), "skills-without-resources").rows
    []
    """
    nq = get_named_query(name)
    given = dict(params or {})
    resolver = resolve
    if resolver is None and any(nq.param(k).type == "term" for k in given):
        resolver = _default_resolver(g)
    bound = bind_params(nq, given, resolver or (lambda s: URIRef(s)))
    return run_query(g, nq.text, bindings=bound, limit=limit)
