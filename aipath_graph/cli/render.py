"""``aipath render``: write the interactive HTML map (offline, one file)."""

from __future__ import annotations

import webbrowser
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
    help="stages: by stage then prerequisite depth; hierarchy: by depth; force: physics.",
)
@click.option(
    "--size-by",
    type=click.Choice(("effort", "unlocks")),
    default="effort",
    show_default=True,
    help="Node size by effort hours or by how much it unlocks.",
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
    title: str | None,
    output: str,
    open_: bool,
) -> None:
    """Write an interactive map of the graph as one offline HTML file.

    The page needs no network: search (zh or en), filters by type and stage,
    details on click, the prerequisite chain on hover.

    \b
    Examples:
      aipath render -o skill-map.html
      aipath render --focus 反向传播算法 --depth 2 -o backprop.html
      aipath render --role ai-engineer --lang zh
      aipath render --plan-to 微调技术 --have python-basics -o plan.html
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
    page = render_html(G, lang=lang, layout=layout, title=title, plan=plan, size_by=size_by)  # type: ignore[arg-type]
    if output == "-":
        click.echo(page, nl=False)
        return
    path = write_html(page, output)
    click.echo(t("wrote", lang, path=output), err=True)
    if open_:
        webbrowser.open(path.resolve().as_uri())


COMMANDS = [render]
