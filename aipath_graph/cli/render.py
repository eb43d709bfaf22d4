"""``aipath render``: write the interactive HTML map (offline, one file)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import UsageError
from ..i18n import t
from . import AppContext, pass_app
from .options import warn

LAYOUT_CHOICES = ("stages", "hierarchy", "force")


@click.command("render")
@click.option(
    "--focus",
    "focus",
    multiple=True,
    metavar="TERM",
    help="Show only this node, what it needs and what it unlocks; repeatable.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="With --focus: at most N prerequisite steps each way.",
)
@click.option(
    "--role", metavar="ROLE", help="Show only this role (or career level) and what it needs."
)
@click.option(
    "--plan-to",
    "plan_to",
    multiple=True,
    metavar="TERM",
    help="Draw a learning plan to this target; repeatable.",
)
@click.option(
    "--have",
    "have",
    multiple=True,
    metavar="TERM",
    help="With --plan-to: something already known; repeatable.",
)
@click.option(
    "--profile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Learner profile (YAML: knows, goals …): plan from what it knows to its goals.",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUT_CHOICES),
    default="stages",
    show_default=True,
    help="stages: boxes in stage (or plan phase) columns, readable at once; "
    "hierarchy: dots by prerequisite depth; force: dots, physics.",
)
@click.option(
    "--size-by",
    type=click.Choice(("effort", "unlocks")),
    default="effort",
    show_default=True,
    help="Dot size (hierarchy, force) by effort hours or by how much it unlocks.",
)
@click.option(
    "--hours-per-week",
    type=click.FloatRange(min=0.001, max=168),
    default=None,
    metavar="H",
    help="With a plan: study hours a week, for the weeks scale (default: the profile's, else 10).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Show the whole graph at once: every type, every relation, parents unfolded.",
)
@click.option("--title", help="Title of the page.")
@click.option(
    "-o",
    "--output",
    default="skill-map.html",
    show_default=True,
    metavar="PATH",
    help="HTML file to write (atomically); '-' for stdout.",
)
@click.option("--open", "open_", is_flag=True, help="Open the written map in a web browser.")
@pass_app
def render(
    app: AppContext,
    focus: Sequence[str],
    depth: int | None,
    role: str | None,
    plan_to: Sequence[str],
    have: Sequence[str],
    profile: Path | None,
    layout: str,
    size_by: str,
    hours_per_week: float | None,
    show_all: bool,
    title: str | None,
    output: str,
    open_: bool,
) -> None:
    """Write an interactive map of the graph as one offline HTML file.

    With no selection the map opens on a calm overview: the stages as columns
    of skills, tools and projects, what comes before what, parents folded into
    one box that opens on click; resources, roles, trends, use cases … wait
    behind the filters (--all shows everything). A plan map numbers its steps
    in phase columns with hours and a weeks scale, marks the critical path,
    lets you tick steps done (kept in the browser) and re-plans the rest,
    exports a profile for `aipath plan --profile`, prints as a checklist.
    The page needs no network: search (zh or en), filters, details on click,
    the prerequisite chain on hover, PNG export.

    \b
    Examples:
      aipath render -o skill-map.html
      aipath render --all -o everything.html
      aipath render --focus 反向传播算法 --depth 2 -o backprop.html
      aipath render --role ai-engineer --lang zh
      aipath render --plan-to 微调技术 --have python-basics -o plan.html
      aipath render --plan-to AI工程师 --hours-per-week 8 -o plan.html
    """
    from ..render.html import render_html, select_subgraph, write_html

    lang = app.lang
    prof = None
    if profile is not None:
        from ..profile import read_profile

        prof = read_profile(profile)
        plan_to = list(plan_to) or prof.goals
    if (have or profile) and not plan_to:
        raise UsageError(key="goes_with", option="--have/--profile", other="--plan-to")
    if depth is not None and not focus:
        raise UsageError(key="goes_with", option="--depth", other="--focus")
    if plan_to and (focus or role):
        raise UsageError(key="not_together", option="--plan-to", other="--focus/--role")
    if hours_per_week is not None and not plan_to:
        raise UsageError(key="goes_with", option="--hours-per-week", other="--plan-to")
    G = app.relations(lang)
    plan = None
    if plan_to:
        from ..answers import plan_record, split_terms
        from ..subgraph import with_groups

        plan = plan_record(
            app,
            list(plan_to),
            have=split_terms(have) + (prof.knows if prof else []),
            learning=prof.learning if prof else [],
        )
        warn(plan.get("warnings", ()))
        ids = {s["id"] for s in plan["steps"]} | {t["id"] for t in plan["targets"]}
        G = G.subgraph(with_groups(G, ids))
    else:
        G = select_subgraph(
            G,
            focus=[app.resolve(t) for t in focus],
            depth=depth,
            role=app.role(role) if role else None,
        )
    if role and title is None:  # a role map says whose map it is
        title = t("role_map_title", lang, name=app.label(app.resolve(role), lang))
    if plan is not None:
        hours_per_week = hours_per_week or (prof.hours_per_week if prof else None) or 10.0
    page = render_html(
        G,
        lang=lang,  # type: ignore[arg-type]
        layout=layout,  # type: ignore[arg-type]
        title=title,
        plan=plan,
        size_by=size_by,  # type: ignore[arg-type]
        hours_per_week=hours_per_week,
        overview=not (plan_to or focus or role),
        show_all=show_all,
    )
    if app.data:  # a licence note of imported data (the bundled graph has none)
        from ..notice import notes, stamp_html

        page = stamp_html(page, notes(app.graph()))
    if output == "-":
        from ..text import printable

        click.echo(printable(page), nl=False)
        return
    path = write_html(page, output)
    click.echo(t("wrote", lang, path=output), err=True)
    if open_:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


COMMANDS = [render]
