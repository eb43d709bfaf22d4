"""``aipath export`` and ``aipath import``: standard formats out, third-party graphs in."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import UsageError
from ..export import FORMATS
from . import AppContext, output_option, pass_app, say, write_output

_FORMAT_NAMES = sorted({n for f in FORMATS.values() for n in (f.name, *f.aliases)})


@click.command("export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMAT_NAMES, case_sensitive=False),
    default=None,
    help="Output format (default: from the -o suffix, else turtle).",
)
@output_option
@click.option(
    "--focus",
    "focus",
    multiple=True,
    metavar="TERM",
    help="Export only this node, what it needs and what it unlocks; repeatable.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="With --focus: at most N prerequisite steps each way.",
)
@click.option(
    "--plan-to",
    "plan_to",
    multiple=True,
    metavar="TERM",
    help="Export only the learning plan to this target; repeatable.",
)
@click.option(
    "--have",
    "have",
    multiple=True,
    metavar="TERM",
    help="With --plan-to: something already known; repeatable.",
)
@click.option("--list", "list_", is_flag=True, help="List the formats and exit.")
@pass_app
def export_cmd(
    app: AppContext,
    fmt: str | None,
    output: str,
    focus: Sequence[str],
    depth: int | None,
    plan_to: Sequence[str],
    have: Sequence[str],
    list_: bool,
) -> None:
    """Export the graph (or part of it) in a standard format.

    RDF: turtle, nt, jsonld (with the aipath @context), rdfxml. Graph tools:
    graphml (yEd, Gephi, Cytoscape), gexf (Gephi), cytoscape (Cytoscape.js
    JSON), dot (Graphviz), mermaid (prerequisite flowchart for Markdown),
    csv-nodes and csv-edges.

    \b
    Examples:
      aipath export -o aipath.ttl
      aipath export --format graphml -o aipath.graphml
      aipath export --format mermaid --focus fine-tuning --depth 1
      aipath export --format dot --plan-to AI工程师 --have python-basics | dot -Tsvg > plan.svg
      aipath export --list
    """
    from ..export import export, get_format
    from ..subgraph import focus_nodes, plan_nodes

    if list_:
        for f in FORMATS.values():
            aliases = f" ({', '.join(f.aliases)})" if f.aliases else ""
            click.echo(f"{f.name:<10} {f.suffix:<11} {f.media_type:<32} {f.description}{aliases}")
        return
    if depth is not None and not focus:
        raise UsageError(key="goes_with", option="--depth", other="--focus")
    if have and not plan_to:
        raise UsageError(key="goes_with", option="--have", other="--plan-to")
    if plan_to and focus:
        raise UsageError(key="not_together", option="--plan-to", other="--focus")
    f = get_format(fmt or (output if output != "-" else "turtle"))
    g = app.graph()
    nodes = None
    if focus:
        nodes = focus_nodes(g, [app.resolve(t) for t in focus], depth=depth)
    elif plan_to:
        nodes = plan_nodes(
            g, [app.resolve(t) for t in plan_to], known=[app.resolve(t) for t in have]
        )
    from ..notice import notes, stamp

    text = export(g, f, nodes=nodes, lang=app.lang)
    write_output(stamp(text, notes(g), f.name), output)


@click.command("import")
@click.argument("kind", type=click.Choice(["skos", "metacademy", "roadmapsh", "owl"]))
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="PATH",
    help="YAML (.yaml) or Turtle (.ttl) file to write, atomically; '-' for stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "ttl"]),
    default=None,
    help="Output format (default: from the -o suffix, else yaml).",
)
@click.option(
    "--prefix",
    default=None,
    metavar="P",
    help="Prefix of the new ids (default: skos, mc, owl; roadmapsh: the roadmap's name); '' for none.",
)
@click.option(
    "--effort",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="HOURS",
    help="Placeholder effort of skills the source gives none for.",
)
@click.option(
    "--skill-property",
    metavar="IRI",
    help="owl: only restrictions on this property are skill links.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print no summary or warnings.")
def import_cmd(
    kind: str,
    sources: Sequence[Path],
    output: str,
    fmt: str | None,
    prefix: str | None,
    effort: float | None,
    skill_property: str | None,
    quiet: bool,
) -> None:
    """Turn a third-party graph into the aipath ontology (YAML or Turtle).

    KIND is skos (a SKOS concept scheme such as ESCO), metacademy (its content
    folder or app JSON dump), roadmapsh (a roadmap.sh roadmap you supply: NAME.json
    or its folder with content/, either format; personal use only, and every output
    made from it says so) or owl (class hierarchies with owl:Restriction skill links, such
    as the Occupation Ontology). What could not be mapped is reported as
    warnings with counts on stderr. Load the result with --data, beside the
    bundled graph or alone.

    \b
    Examples:
      aipath import skos esco_digital_skills.ttl --prefix esco -o esco.yaml
      aipath import metacademy metacademy-content/ -o metacademy.yaml
      aipath import roadmapsh ai-engineer/ -o ai-engineer.yaml
      aipath --data ai-engineer.yaml plan --to "Development Tools"
      aipath import owl occo_terms.owl skill_types.owl top_skills_axioms.owl -o occo.ttl
      aipath --data graph/ --data esco.yaml validate
    """
    from ..importers import import_graph
    from ..importers.common import output_format

    options: dict[str, object] = {}
    if prefix is not None:
        options["prefix"] = prefix
    if effort is not None:
        if kind == "metacademy":
            raise click.UsageError("--effort does not apply to metacademy (it has learning times)")
        options["effort"] = effort
    if skill_property:
        if kind != "owl":
            raise click.UsageError("--skill-property goes with owl")
        options["skill_property"] = skill_property
    start = time.perf_counter()
    result = import_graph(kind, sources, **options)
    fmt = fmt or output_format(output)
    text = result.render(fmt)
    seconds = time.perf_counter() - start
    for notice in result.notices:
        say(f"note: {notice}")
    write_output(text, output)
    if not quiet:
        counts = ", ".join(f"{n} {k.replace('_', '-')}" for k, n in result.counts().items())
        click.echo(f"imported {counts} from {result.source} in {seconds:.1f} s", err=True)
        for line in result.warnings.lines():
            say(f"warning: {line}")


COMMANDS = [export_cmd, import_cmd]
