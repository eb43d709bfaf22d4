"""``aipath query``, ``aipath show``, ``aipath prereqs`` and ``aipath dependents``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from ..answers import Session, queries_record, related_rows, show_record, tree_record
from ..errors import ExitCode, UsageError
from ..formats import QUERY_FORMATS
from ..i18n import WORDS, hours, join, kind, named, pick, pick_list, t, type_name
from . import pass_app
from .options import csv_text, emit, format_option, output_option, write_output

VIEW_FORMATS = ("table", "json", "csv")
_view_format_option = format_option(*VIEW_FORMATS)


def _split_params(params: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(key="param_kv", value=item)
        out[key.strip()] = value
    return out


def queries_text(queries: list[dict[str, Any]], lang: str) -> str:
    """The named queries, one line of usage and one of title each (in ``lang`` where known)."""
    lines = []
    for q in queries:
        params = " ".join(
            f"--param {p['name']}=…" if p["required"] else f"[--param {p['name']}=…]"
            for p in q["params"]
        )
        lines.append(f"{q['name']}  {params}".rstrip())
        key = f"query.{q['name']}"
        title = t(key, lang) if lang == "zh" and key in WORDS else q["title"]
        lines.append(f"    {title}")
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
@click.option("--limit", type=click.IntRange(min=0), help="At most N results.")
@click.option("--list", "list_", is_flag=True, help="List the named queries and exit.")
@output_option
@pass_app
def query(
    app: Session,
    text: str | None,
    file: Path | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
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
      aipath query -f my.rq --param skill=python-basics --format json -o out.json
      aipath query 'SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'
    """
    from ..sparql.query import bind_params, get_named_query, parse_term, run_query
    from ..sparql.results import format_result

    lang = app.lang
    if list_:
        emit(
            queries_record(),
            "json" if fmt == "json" else "table",
            output,
            {"table": lambda r: queries_text(r, lang)},
        )
        return
    given = [x for x in (text, file, name) if x is not None]
    if len(given) != 1:
        raise UsageError(key="one_query")
    if text is not None and not text.strip():
        raise UsageError(key="empty_query")
    values = _split_params(params)
    g = app.sparql()
    if name is not None:
        nq = get_named_query(name)
        if "lang" not in values and any(p.name == "lang" for p in nq.params):
            values["lang"] = lang
        bindings = bind_params(nq, values, app.iri)
        source = nq.text
    else:
        source = file.read_text(encoding="utf-8") if file is not None else str(text)
        if not source.strip():
            raise UsageError(key="empty_query")
        bindings = {k: parse_term(v, app.iri) for k, v in values.items()}
    result = run_query(g, source, bindings=bindings, limit=limit)
    write_output(format_result(result, fmt, g=g, lang=lang), output)
    if result.kind == "ASK" and not result.boolean:
        click.get_current_context().exit(int(ExitCode.FALSE))


# ---------------------------------------------------------------- show


def _ref(item: Mapping[str, Any], lang: str) -> str:
    return named(item["label"], str(item["id"]), lang) if item.get("label") else str(item["id"])


#: The linked-node sections of ``aipath show``, in order: what the node's kind has
#: first (a role's skills, a stage's content, a project's skills), then its place
#: among prerequisites, then the tools it is used with and where to learn it.
SHOW_SECTIONS = (
    "essential",
    "optional",
    "covers",
    "stage_projects",
    "practises",
    "applies",
    "prerequisites",
    "unlocks",
    "roles",
    "projects",
    "tools",
    "serves",
    "resources",
)
_SHOW_TEXTS = ("definition", "note", "focus", "typical_work", "goal")


def show_text(info: Mapping[str, Any], lang: str) -> str:
    """A node as text: labels, its texts, then each group of linked nodes."""
    colon = t("colon", lang)

    def head(key: str) -> str:
        return "  " + t(f"show.{key}", lang) + colon

    title = named(pick(info["label"], lang) or info["id"], info["id"], lang)
    lines = [f"{title}  [{type_name(info['type'], lang)}]"]
    for key in ("zh", "en", ""):
        if key in info["label"]:
            lines.append(f"  {t('show.label', lang)}@{key or '-'}{colon}{info['label'][key]}")
    for key, names in info["alt"].items():
        lines.append(f"  {t('show.alt', lang)}@{key or '-'}{colon}{join(names, lang)}")
    for key in _SHOW_TEXTS:
        text = pick(info.get(key) or {}, lang)
        if text:
            lines.append(head(key) + text)
    if info.get("months"):
        m = info["months"]
        span = f"{m['from']}–{m['to']}" if m["to"] is not None else f"{m['from']}+"
        lines.append(head("months") + t("months", lang, range=span))
    if info["effort"] is not None:
        lines.append(head("effort") + hours(info["effort"], lang))
    if info["stage"]:
        lines.append(head("stage") + _ref(info["stage"], lang))
    duties = pick_list(info.get("responsibilities") or {}, lang)
    if duties:
        lines.append(head("responsibilities").rstrip())
        lines += [f"    - {d}" for d in duties]
    for key in SHOW_SECTIONS:
        items = info.get(key) or []
        if items:
            lines.append(head(key).rstrip())
            for item in items:
                why = f" — {item['reason']}" if item.get("reason") else ""
                lines.append(f"    {_ref(item, lang)}  {kind(item['kind'], lang)}{why}")
    for key in ("exact_match", "close_match"):
        for iri in info[key]:
            lines.append(head(key) + iri)
    return "\n".join(lines) + "\n"


def _show_rows(info: Mapping[str, Any]) -> Iterator[list[str]]:
    for key in ("id", "iri", "type", "effort"):
        if info[key] is not None:
            yield [key, "", str(info[key]), "", ""]
    for key in ("label", *_SHOW_TEXTS):
        for lang, value in (info.get(key) or {}).items():
            yield [key, lang, value, "", ""]
    for lang, names in info["alt"].items():
        for value in names:
            yield ["alt", lang, value, "", ""]
    for lang, duties in (info.get("responsibilities") or {}).items():
        for value in duties:
            yield ["responsibility", lang, value, "", ""]
    if info["stage"]:
        yield ["stage", "", info["stage"]["id"], "", ""]
    for key in SHOW_SECTIONS:
        for item in info.get(key) or []:
            yield [key, "", item["id"], item["kind"], item.get("reason") or ""]
    for key in ("exact_match", "close_match"):
        for iri in info[key]:
            yield [key, "", iri, "", ""]


@click.command("show")
@click.argument("term")
@_view_format_option
@output_option
@pass_app
def show(app: Session, term: str, fmt: str, output: str) -> None:
    """Show everything about one node: labels, texts, effort, stage, links.

    A role or career level lists its essential and optional skills, focus
    and responsibilities; a stage its goal, content and projects; a project
    the skills it practises. Prerequisites, the tools a skill is used with
    and the resources to learn it from are listed apart.

    \b
    Examples:
      aipath show 微调技术
      aipath show ai-engineer
      aipath show pytorch --format json
      aipath show backpropagation --lang zh
    """
    formats = {
        "table": lambda r: show_text(r, app.lang),
        "csv": lambda r: csv_text(["field", "lang", "value", "kind", "reason"], _show_rows(r)),
    }
    emit(show_record(app, term), fmt, output, formats)


# ---------------------------------------------------------------- prereqs / dependents

_ROW_FIELDS = ("id", "label", "type", "direct", "kind", "reason")


def rows_table(rows: list[dict[str, Any]], lang: str) -> str:
    """Prerequisite or dependent rows as an aligned table with headers in ``lang``."""
    from ..text import table

    cells = [
        [
            r["id"],
            r["label"] or "",
            type_name(r["type"], lang),
            t("true" if r["direct"] else "false", lang),
            kind(r["kind"], lang),
            r["reason"] or "",
        ]
        for r in rows
    ]
    if not cells:
        return t("none", lang) + "\n"
    return table(cells, [t(f"col.{k}", lang) for k in _ROW_FIELDS]) + "\n"


def _rows_formats(lang: str) -> dict[str, Any]:
    return {
        "table": lambda rows: rows_table(rows, lang),
        "csv": lambda rows: csv_text(
            _ROW_FIELDS, ([r[k] if r[k] is not None else "" for k in _ROW_FIELDS] for r in rows)
        ),
    }


def _tree_lines(node: Mapping[str, Any], lang: str, prefix: str = "") -> Iterator[str]:
    kids = node["children"]
    for i, child in enumerate(kids):
        last = i == len(kids) - 1
        why = f" — {child['reason']}" if child.get("reason") else ""
        more = " " + t("see_above", lang) if child.get("repeated") else ""
        branch = "└── " if last else "├── "
        yield f"{prefix}{branch}{_ref(child, lang)}  {kind(child['kind'], lang)}{why}{more}"
        yield from _tree_lines(child, lang, prefix + ("    " if last else "│   "))


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
@output_option
@pass_app
def prereqs(app: Session, term: str, direct: bool, tree: bool, fmt: str, output: str) -> None:
    """List what must be learned before TERM (transitively, with reasons).

    Follows requires, the parts of a parent skill and any-of groups with
    their options, as learning plans do.

    \b
    Examples:
      aipath prereqs 微调技术
      aipath prereqs fine-tuning --direct --format json
      aipath prereqs backpropagation --tree
    """
    lang = app.lang
    if tree:
        if direct:
            raise UsageError(key="tree_direct")
        header = ["depth", "parent", "id", "label", "kind", "reason", "repeated"]
        formats = {
            "table": lambda r: "\n".join([_ref(r, lang), *_tree_lines(r, lang)]) + "\n",
            "csv": lambda r: csv_text(header, _tree_rows(r)),
        }
        emit(tree_record(app, term), fmt, output, formats)
        return
    rows = related_rows(app, "prerequisites", term, direct=direct)
    emit(rows, fmt, output, _rows_formats(lang))


@click.command("dependents")
@click.argument("term")
@click.option("--direct", is_flag=True, help="Only the nodes that need TERM themselves.")
@_view_format_option
@output_option
@pass_app
def dependents(app: Session, term: str, direct: bool, fmt: str, output: str) -> None:
    """List what TERM unlocks: everything that needs it (transitively).

    \b
    Examples:
      aipath dependents 线性代数
      aipath dependents python-basics --direct --format csv
    """
    rows = related_rows(app, "dependents", term, direct=direct)
    emit(rows, fmt, output, _rows_formats(app.lang))


COMMANDS = [query, show, prereqs, dependents]
