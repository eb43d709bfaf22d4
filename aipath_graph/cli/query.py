"""``aipath query``, ``aipath show``, ``aipath prereqs`` and ``aipath dependents``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import ExitCode, UsageError
from . import LANGS, AppContext, output_option, pass_app, write_output

QUERY_FORMATS = ("table", "json", "csv", "tsv", "xml", "turtle", "nt", "json-ld")
VIEW_FORMATS = ("table", "json", "csv")


def _lang_option(f: Any) -> Any:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=None,
        help="Language of labels (default: the global --lang).",
    )(f)


def _view_format_option(f: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(VIEW_FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(f)


def _split_params(params: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param needs KEY=VALUE, not {item!r}")
        out[key.strip()] = value
    return out


def _list_queries(fmt: str) -> str:
    from ..sparql.query import named_queries

    queries = named_queries().values()
    if fmt == "json":
        doc = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "required": p.required,
                        "description": p.description,
                    }
                    for p in q.params
                ],
            }
            for q in queries
        ]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for q in queries:
        params = " ".join(
            f"--param {p.name}=…" if p.required else f"[--param {p.name}=…]" for p in q.params
        )
        lines.append(f"{q.name}  {params}".rstrip())
        lines.append(f"    {q.title}")
    return "\n".join(lines) + "\n"


@click.command("query")
@click.argument("text", required=False, metavar="[QUERY]")
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from this .rq file.",
)
@click.option("--name", help="Run a named query (see --list).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help='Bind ?KEY to VALUE (a name, slug, <iri>, prefix:name, "text"@lang or '
    "number); repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help="SELECT: table, json, csv, tsv, xml. CONSTRUCT/DESCRIBE: turtle, nt, json-ld.",
)
@_lang_option
@click.option("--limit", type=click.IntRange(min=0), help="At most N results.")
@click.option("--list", "list_", is_flag=True, help="List the named queries and exit.")
@output_option
@pass_app
def query(
    app: AppContext,
    text: str | None,
    file: Path | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    lang: str | None,
    limit: int | None,
    list_: bool,
    output: str,
) -> None:
    """Run a read-only SPARQL query on the graph.

    The prefixes aip:, id:, skos:, rdf:, rdfs:, owl:, xsd:, dcterms: and
    schema: are declared for you. The default graph holds everything; each
    source is also a named graph (GRAPH, FROM and FROM NAMED pick them).
    Updates, SERVICE and graphs outside the dataset are refused. ASK prints
    true or false and exits 0 or 1.

    \b
    Examples:
      aipath query --list
      aipath query --name prerequisites --param skill=微调技术
      aipath query 'SELECT ?s WHERE { ?s a aip:Tool }' --format csv
      aipath query 'ASK { id:fine-tuning aip:requires id:deep-learning }'
      aipath query -f my.rq --param skill=python --format json -o out.json
      aipath query 'SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'
    """
    from ..sparql.query import bind_params, get_named_query, parse_term, run_query
    from ..sparql.results import format_result

    lang = lang or app.lang
    if list_:
        write_output(_list_queries(fmt), output)
        return
    given = [x for x in (text, file, name) if x is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of QUERY, -f FILE or --name NAME (or --list)")
    values = _split_params(params)
    g = app.sparql()
    if name is not None:
        nq = get_named_query(name)
        if "lang" not in values and any(p.name == "lang" for p in nq.params):
            values["lang"] = lang
        bindings = bind_params(nq, values, app.resolver().resolve)
        source = nq.text
    else:
        source = file.read_text(encoding="utf-8") if file is not None else str(text)
        bindings = {k: parse_term(v, app.resolver().resolve) for k, v in values.items()}
    result = run_query(g, source, bindings=bindings, limit=limit)
    write_output(format_result(result, fmt, g=g, lang=lang), output)
    if result.kind == "ASK" and not result.boolean:
        click.get_current_context().exit(int(ExitCode.FALSE))


# ---------------------------------------------------------------- show


def _text(value: Mapping[str, str], lang: str) -> str:
    for key in (lang, "en", ""):
        if key in value:
            return value[key]
    return next(iter(value.values()), "")


def _ref(item: Mapping[str, Any]) -> str:
    return f"{item['id']} ({item['label']})" if item.get("label") else str(item["id"])


#: Headings of ``aipath show`` in each language: key → (en, zh).
SHOW_HEADINGS = {
    "definition": ("definition", "定义"),
    "note": ("note", "注"),
    "effort": ("effort", "学习时长"),
    "stage": ("stage", "引入阶段"),
    "prerequisites": ("needs", "前置要求"),
    "unlocks": ("unlocks", "解锁"),
    "roles": ("roles that need it", "需要它的岗位"),
    "projects": ("projects", "实践项目"),
    "tools": ("tools", "工具"),
    "serves": ("serves", "服务于"),
    "resources": ("resources", "学习资源"),
    "exact_match": ("exact match", "等同概念"),
    "close_match": ("close match", "相近概念"),
}


def _show_text(info: Mapping[str, Any], lang: str) -> str:
    def head(key: str) -> str:
        en, zh = SHOW_HEADINGS[key]
        return zh if lang == "zh" else en

    lines = [f"{_ref({'id': info['id'], 'label': _text(info['label'], lang)})}  [{info['type']}]"]
    for key in ("zh", "en"):
        if key in info["label"]:
            lines.append(f"  label@{key}: {info['label'][key]}")
    for key, names in info["alt"].items():
        lines.append(f"  alt@{key}: {', '.join(names)}")
    if info["definition"]:
        lines.append(f"  {head('definition')}: {_text(info['definition'], lang)}")
    if info["note"]:
        lines.append(f"  {head('note')}: {_text(info['note'], lang)}")
    if info["effort"] is not None:
        lines.append(f"  {head('effort')}: {info['effort']:g} h")
    if info["stage"]:
        lines.append(f"  {head('stage')}: {_ref(info['stage'])}")
    for key in ("prerequisites", "unlocks", "roles", "projects", "tools", "serves", "resources"):
        if info[key]:
            lines.append(f"  {head(key)}:")
            for item in info[key]:
                why = f" — {item['reason']}" if item.get("reason") else ""
                lines.append(f"    {_ref(item)}  {item['kind']}{why}")
    for key in ("exact_match", "close_match"):
        for iri in info[key]:
            lines.append(f"  {head(key)}: {iri}")
    return "\n".join(lines) + "\n"


def _show_rows(info: Mapping[str, Any]) -> Iterator[list[str]]:
    for key in ("id", "iri", "type", "effort"):
        if info[key] is not None:
            yield [key, "", str(info[key]), "", ""]
    for key in ("label", "definition", "note"):
        for lang, value in info[key].items():
            yield [key, lang, value, "", ""]
    for lang, names in info["alt"].items():
        for value in names:
            yield ["alt", lang, value, "", ""]
    if info["stage"]:
        yield ["stage", "", info["stage"]["id"], "", ""]
    for key in ("prerequisites", "unlocks", "roles", "projects", "tools", "serves", "resources"):
        for item in info[key]:
            yield [key, "", item["id"], item["kind"], item.get("reason") or ""]
    for key in ("exact_match", "close_match"):
        for iri in info[key]:
            yield [key, "", iri, "", ""]


def _csv(header: Sequence[str], rows: Iterator[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@click.command("show")
@click.argument("term")
@_view_format_option
@_lang_option
@output_option
@pass_app
def show(app: AppContext, term: str, fmt: str, lang: str | None, output: str) -> None:
    """Show everything about one node: labels, effort, stage, links.

    \b
    Examples:
      aipath show 微调技术
      aipath show pytorch --format json
      aipath --lang zh show backpropagation
    """
    from ..show import describe, node_graph

    lang = lang or app.lang
    node = app.resolver().resolve(term)
    info = describe(node_graph(app.sparql(), node), node, lang=lang)
    if fmt == "json":
        text = json.dumps(info, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = _csv(["field", "lang", "value", "kind", "reason"], _show_rows(info))
    else:
        text = _show_text(info, lang)
    write_output(text, output)


# ---------------------------------------------------------------- prereqs / dependents

_ROW_FIELDS = ("id", "label", "type", "direct", "kind", "reason")


def _named_rows(app: AppContext, name: str, term: str, lang: str, direct: bool) -> list[dict]:
    from rdflib import Literal

    from ..ids import node_id
    from ..sparql.query import get_named_query, run_query

    node = app.resolver().resolve(term)
    result = run_query(
        app.sparql(), get_named_query(name).text, bindings={"skill": node, "lang": Literal(lang)}
    )
    first = result.vars[0]
    rows = []
    for row in result.rows:
        item = {
            "id": node_id(row[first]),
            "label": str(row.get("label", "")) or None,
            "type": str(row.get("type", "")) or None,
            "direct": bool(row["direct"].toPython()) if "direct" in row else False,
            "kind": str(row["kind"]) if "kind" in row else None,
            "reason": str(row["reason"]) if "reason" in row else None,
        }
        if item["direct"] or not direct:
            rows.append(item)
    return rows


def _rows_output(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(
            _ROW_FIELDS, ([r[k] if r[k] is not None else "" for k in _ROW_FIELDS] for r in rows)
        )
    from rdflib import Literal

    from ..sparql.results import format_table

    cells = [
        {
            k: Literal(str(r[k]).lower() if k == "direct" else r[k])
            for k in _ROW_FIELDS
            if r[k] is not None
        }
        for r in rows
    ]
    return format_table(list(_ROW_FIELDS), cells)


def _tree_lines(node: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    kids = node["children"]
    for i, child in enumerate(kids):
        last = i == len(kids) - 1
        why = f" — {child['reason']}" if child.get("reason") else ""
        more = " (see above)" if child.get("repeated") else ""
        yield f"{prefix}{'└── ' if last else '├── '}{_ref(child)}  {child['kind']}{why}{more}"
        yield from _tree_lines(child, prefix + ("    " if last else "│   "))


def _tree_rows(node: Mapping[str, Any], depth: int = 1) -> Iterator[list[Any]]:
    for child in node["children"]:
        yield [
            depth,
            node["id"],
            child["id"],
            child["label"] or "",
            child["kind"],
            child.get("reason") or "",
            "true" if child.get("repeated") else "false",
        ]
        yield from _tree_rows(child, depth + 1)


@click.command("prereqs")
@click.argument("term")
@click.option("--direct", is_flag=True, help="Only the direct prerequisites.")
@click.option("--tree", is_flag=True, help="Show the prerequisites as a tree of reasons.")
@_view_format_option
@_lang_option
@output_option
@pass_app
def prereqs(
    app: AppContext, term: str, direct: bool, tree: bool, fmt: str, lang: str | None, output: str
) -> None:
    """List what must be learned before TERM (transitively, with reasons).

    Follows requires, the parts of a parent skill and any-of groups with
    their options, as learning plans do.

    \b
    Examples:
      aipath prereqs 微调技术
      aipath prereqs fine-tuning --direct --format json
      aipath prereqs backpropagation --tree
    """
    lang = lang or app.lang
    if tree:
        if direct:
            raise UsageError("--tree and --direct do not go together")
        from ..show import node_graph, prerequisite_tree

        node = app.resolver().resolve(term)
        t = prerequisite_tree(node_graph(app.sparql(), node, tree=True), node, lang=lang)
        if fmt == "json":
            text = json.dumps(t, ensure_ascii=False, indent=2) + "\n"
        elif fmt == "csv":
            text = _csv(
                ["depth", "parent", "id", "label", "kind", "reason", "repeated"], _tree_rows(t)
            )
        else:
            text = "\n".join([_ref(t), *_tree_lines(t)]) + "\n"
    else:
        text = _rows_output(_named_rows(app, "prerequisites", term, lang, direct), fmt)
    write_output(text, output)


@click.command("dependents")
@click.argument("term")
@click.option("--direct", is_flag=True, help="Only the nodes that need TERM themselves.")
@_view_format_option
@_lang_option
@output_option
@pass_app
def dependents(
    app: AppContext, term: str, direct: bool, fmt: str, lang: str | None, output: str
) -> None:
    """List what TERM unlocks: everything that needs it (transitively).

    \b
    Examples:
      aipath dependents 线性代数
      aipath dependents python --direct --format csv
    """
    lang = lang or app.lang
    write_output(_rows_output(_named_rows(app, "dependents", term, lang, direct), fmt), output)


COMMANDS = [query, show, prereqs, dependents]
