"""``aipath build``, ``aipath validate`` and ``aipath stats``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ExitCode, InvalidGraphError
from ..formats import GRAPH_FORMATS
from ..i18n import WORDS, hours, kind, pick, t, type_name
from ..text import table
from . import AppContext, pass_app
from .options import format_option, output_option, say, write_output


@click.command()
@output_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(GRAPH_FORMATS)),
    default="ttl",
    show_default=True,
    help="RDF serialisation to write.",
)
@pass_app
def build(app: AppContext, output: str, fmt: str) -> None:
    """Compile the graph (ontology + data) to one RDF file.

    The graph is validated first (as 'aipath validate' does); an invalid
    graph is not written. The output is deterministic: the same sources
    give byte-identical Turtle. The file is written atomically.

    \b
    Examples:
      aipath build -o aipath.ttl
      aipath build --format jsonld -o aipath.jsonld
      aipath --data my-graph/ build --format nt
    """
    from ..graph import build as build_graph
    from ..serialize import serialize
    from ..validate import validate_build

    result = build_graph(app.data or None)
    report = validate_build(result)
    if not report.ok:
        raise InvalidGraphError(report.errors)
    from ..notice import notes, stamp

    text = serialize(result.graph, GRAPH_FORMATS[fmt])
    write_output(stamp(text, notes(result.graph), GRAPH_FORMATS[fmt]), output)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (faster).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, no summary or warnings.")
@pass_app
def validate(app: AppContext, paths: tuple[Path, ...], no_shacl: bool, quiet: bool) -> None:
    """Check YAML or RDF sources and print one line per problem.

    PATHS are YAML folders or files, or RDF files; default: --data, or the
    bundled graph. Problems are printed as FILE:LINE: error: message, with
    "did you mean" for unknown ids. Exit 0 when valid, 3 when not.

    \b
    Examples:
      aipath validate
      aipath validate graph/
      aipath validate my-skills.yaml --no-shacl
    """
    from ..validate import validate_paths

    sources = list(paths) or app.data or None
    report = validate_paths(sources, shacl=not no_shacl)
    for problem in report.problems:
        if problem.severity == "error" or not quiet:
            say(str(problem))
    if not report.ok:
        n = len(report.errors)
        if app.lang == "zh":
            click.echo(t("invalid", "zh", n=n), err=True)
        else:
            click.echo(f"invalid: {n} error{'s' if n != 1 else ''}", err=True)
        raise SystemExit(int(InvalidGraphError.exit_code))
    if not quiet:
        w = len(report.warnings)
        if app.lang == "zh":
            click.echo(t("valid", "zh", n=report.triples, w=w), err=True)
        else:
            click.echo(
                f"valid: {report.triples} triples, {w} warning{'s' if w != 1 else ''}", err=True
            )
    raise SystemExit(int(ExitCode.OK))


def stats_text(s: dict, lang: str) -> str:
    """The counts and the stage fit as text in ``lang``."""
    lines = [t("stats.triples", lang, n=s["triples"]), "", t("stats.nodes", lang)]
    zh = lang == "zh"
    lines += [
        table([["  " + (type_name(k, lang) if zh else k), str(v)] for k, v in s["nodes"].items()])
    ]
    lines += ["", t("stats.edges", lang)]
    lines += [table([["  " + (kind(k, lang) if zh else k), str(v)] for k, v in s["edges"].items()])]
    lines += ["", t("stats.labels", lang)]
    lines += [f"  @{k:<11} {v['labelled']:>5} / {v['total']}" for k, v in s["labels"].items()]
    lines += [
        "",
        t("stats.depth", lang, n=s["dag_depth"]),
        t("stats.effort", lang, h=hours(s["effort_hours"], lang)),
        "",
        t("stats.fit", lang),
    ]
    rows = []
    for row in s["stages"]:
        span = (
            f"{row['months_from']}–{row['months_to']}"
            if row["months_to"] is not None
            else f"{row['months_from']}+"
        )
        pace = t("per_week", lang, n=row["hours_per_week"]) if row["hours_per_week"] else ""
        verdict = f"verdict.{row['verdict']}"
        rows.append(
            [
                "  " + (pick(row["label"], lang) or row["stage"]),
                t("months", lang, range=span),
                hours(row["effort_hours"], lang),
                pace,
                t(verdict, lang) if verdict in WORDS else row["verdict"],
            ]
        )
    lines.append(table(rows))
    return "\n".join(lines) + "\n"


@click.command()
@format_option("table", "json")
@output_option
@pass_app
def stats(app: AppContext, fmt: str, output: str) -> None:
    """Counts: nodes per class, edges per relation, labels per language, DAG depth.

    Also the stage fit: the learning path planned stage by stage (what each
    stage covers and its projects, knowing the stages before), against the
    stage's months at a part-time pace of 10–15 hours a week.

    \b
    Examples:
      aipath stats
      aipath --lang zh stats
      aipath stats --format json
    """
    from ..stats import graph_stats
    from .options import emit

    emit(graph_stats(app.graph()), fmt, output, {"table": lambda r: stats_text(r, app.lang)})


COMMANDS = [build, validate, stats]


@click.command()
@click.option(
    "--to",
    "endpoint",
    required=True,
    metavar="URL",
    help="Graph Store HTTP Protocol endpoint, e.g. http://127.0.0.1:7878/store.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="Named graph to replace (default: the default graph).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds for the whole push (the PUT and the read-back together).",
)
@pass_app
def push(app: AppContext, endpoint: str, graph_iri: str | None, timeout: float) -> None:
    """Replace a graph in a remote triplestore with the compiled graph, then verify it.

    One PUT of the SPARQL 1.1 Graph Store HTTP Protocol replaces the graph;
    the triple count is then read back and checked. A failure says what is
    known about the remote graph (unchanged only when that is certain).

    Credentials are never options: set AIPATH_REMOTE_USER and
    AIPATH_REMOTE_PASSWORD, or give the host a ~/.netrc entry; Basic and
    Digest are both spoken (Virtuoso asks for Digest).

    \b
    Examples:
      aipath push --to http://127.0.0.1:7878/store
      aipath push --to http://127.0.0.1:7878/store --graph https://w3id.org/aipath/graph
      aipath --data my-graph/ push --to http://fuseki:3030/ds/data
      AIPATH_REMOTE_USER=dba AIPATH_REMOTE_PASSWORD=… aipath push \\
        --to http://127.0.0.1:8890/sparql-graph-crud-auth --graph https://w3id.org/aipath/graph
    """
    from ..push import push as push_graph
    from ..serialize import serialize

    result = push_graph(serialize(app.graph(), "nt"), endpoint, graph=graph_iri, timeout=timeout)
    click.echo(f"pushed {result.stored} triples to {result.url}", err=True)


COMMANDS.append(push)
