"""``aipath build``, ``aipath validate`` and ``aipath stats``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ExitCode, InvalidGraphError
from ..text import table
from . import AppContext, output_option, pass_app, say, write_output

BUILD_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@click.command()
@output_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(BUILD_FORMATS)),
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
    write_output(serialize(result.graph, BUILD_FORMATS[fmt]), output)


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
        click.echo(f"invalid: {n} error{'s' if n != 1 else ''}", err=True)
        raise SystemExit(int(InvalidGraphError.exit_code))
    if not quiet:
        w = len(report.warnings)
        click.echo(f"valid: {report.triples} triples, {w} warning{'s' if w != 1 else ''}", err=True)
    raise SystemExit(int(ExitCode.OK))


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
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

    s = graph_stats(app.graph())
    if fmt == "json":
        write_output(json.dumps(s, ensure_ascii=False, indent=2), output)
        return
    lines = [f"triples: {s['triples']}", "", "nodes per class:"]
    lines += [f"  {k:<12} {v:>5}" for k, v in s["nodes"].items()]
    lines += ["", "edges per relation:"]
    lines += [f"  {k:<12} {v:>5}" for k, v in s["edges"].items()]
    lines += ["", "label coverage:"]
    lines += [f"  @{k:<11} {v['labelled']:>5} / {v['total']}" for k, v in s["labels"].items()]
    lines += [
        "",
        f"prerequisite DAG depth: {s['dag_depth']}",
        f"total effort of learnable nodes: {s['effort_hours']} h",
        "",
        "stage fit (the path planned stage by stage, vs months at 10-15 h/week):",
    ]
    rows = []
    for row in s["stages"]:
        months = (
            f"{row['months_from']}-{row['months_to']}"
            if row["months_to"] is not None
            else f"{row['months_from']}+"
        )
        pace = f"{row['hours_per_week']} h/week" if row["hours_per_week"] is not None else ""
        rows.append(
            [
                "  " + (row["label"].get(app.lang) or row["stage"]),
                f"{months} months",
                f"{row['effort_hours']} h",
                pace,
                row["verdict"],
            ]
        )
    lines.append(table(rows))
    write_output("\n".join(lines) + "\n", output)


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
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@pass_app
def push(app: AppContext, endpoint: str, graph_iri: str | None, timeout: float) -> None:
    """Replace a graph in a remote triplestore with the compiled graph, then verify it.

    One PUT of the SPARQL 1.1 Graph Store HTTP Protocol replaces the graph,
    so a failed push leaves the remote graph as it was; the triple count is
    then read back and checked.

    \b
    Examples:
      aipath push --to http://127.0.0.1:7878/store
      aipath push --to http://127.0.0.1:7878/store --graph https://w3id.org/aipath/graph
      aipath --data my-graph/ push --to http://fuseki:3030/ds/data
    """
    from ..push import push as push_graph
    from ..serialize import serialize

    result = push_graph(serialize(app.graph(), "nt"), endpoint, graph=graph_iri, timeout=timeout)
    click.echo(f"pushed {result.stored} triples to {result.url}", err=True)


COMMANDS.append(push)
