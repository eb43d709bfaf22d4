"""``aipath plan``, ``path``, ``next``, ``gap`` and ``compare``: learning plans.

Each command parses its options, asks :mod:`aipath_graph.answers` for a record
and formats it. A name the learner says they know that the graph lacks is a
warning, never a failure; a target that cannot be resolved is an error with
suggestions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..answers import (
    Session,
    compare_record,
    gap_record,
    next_record,
    path_record,
    plan_record,
    split_terms,
)
from ..i18n import hours, kind, named, t
from ..text import display_width, pad
from . import pass_app
from .options import (
    csv_text,
    emit,
    format_option,
    have_options,
    hours_option,
    optional_option,
    output_option,
    read_profile,
    say,
    warn,
)

PLAN_FORMATS = ("table", "json", "md", "csv")


# ---------------------------------------------------------------- plan formats


def _title(record: dict[str, Any], lang: str, *, ids: bool = True) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        named(x["label"], x["id"], lang) if ids else x["label"] for x in record["targets"]
    )


def plan_table(record: dict[str, Any], lang: str, learning: bool = True) -> str:
    """A plan as a terminal table: summary, then the steps by phase (* critical)."""
    out = [t("plan_for", lang, targets=_title(record, lang)), *record["summary"]]
    steps = record["steps"]
    if not steps:
        return "\n".join([*out, t("nothing_to_learn", lang)]) + "\n"
    width = max(display_width(st["label"]) for st in steps)
    idw = max(len(st["id"]) for st in steps)
    critical = set(record["critical_path"])
    phase = None
    for st in steps:
        if st["phase"] != phase:
            phase = st["phase"]
            out.append("\n" + t("phase", lang, n=phase))
        mark = "*" if st["id"] in critical else " "
        note = "  " + t("learning_now", lang) if st["status"] == "learning" else ""
        effort = pad(hours(st["effort_hours"], lang), 9, right=True)
        out.append(
            f" {mark}{st['order']:>3}. {pad(st['label'], width)}  {st['id']:<{idw}}  "
            f"{effort}  {st['stage_label'] or ''}{note}".rstrip()
        )
    out.append("\n" + t("critical_mark", lang))
    return "\n".join(out) + "\n"


def plan_md(record: dict[str, Any], lang: str) -> str:
    """A plan as a Markdown checklist."""
    out = [t("plan_md_title", lang, targets=_title(record, lang, ids=False)), ""]
    out += [f"- {line}" for line in record["summary"]]
    phase = None
    sep = "，" if lang == "zh" else ", "
    for st in record["steps"]:
        if st["phase"] != phase:
            phase = st["phase"]
            out += ["", "## " + t("phase", lang, n=phase), ""]
        extra = [f"`{st['id']}`", hours(st["effort_hours"], lang)]
        if st["stage_label"]:
            extra.append(st["stage_label"])
        if st["status"] == "learning":
            extra.append(t("in_progress", lang))
        inner = sep.join(extra)
        out.append(f"- [ ] {st['label']} " + (f"（{inner}）" if lang == "zh" else f"({inner})"))
    return "\n".join(out) + "\n"


def plan_csv(record: dict[str, Any]) -> str:
    """A plan as CSV, one row per step (machine columns, not translated)."""
    header = ["order", "id", "label", "type", "effort_hours", "phase", "stage", "requires"]
    rows = (
        [
            st["order"],
            st["id"],
            st["label"],
            st["type"],
            f"{st['effort_hours']:g}",
            st["phase"],
            st["stage"] or "",
            " ".join(st["requires"]),
        ]
        for st in record["steps"]
    )
    return csv_text(header, rows)


def plan_formats(lang: str) -> dict[str, Any]:
    """The text formats of a plan record."""
    return {
        "table": lambda r: plan_table(r, lang),
        "md": lambda r: plan_md(r, lang),
        "csv": plan_csv,
    }


def _nodes(title: str, items: list[str], labels: dict[str, str], lang: str) -> list[str]:
    body = [f"  - {named(labels[x], x, lang)}" for x in items] or ["  " + t("none", lang)]
    return [t("count_title", lang, title=title, n=len(items)), *body]


# ---------------------------------------------------------------- commands


@click.command("plan")
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="TERM",
    help="What to learn: a skill, tool, project, role, level, stage or use case "
    "(repeatable; default: the profile's goals).",
)
@click.option(
    "--goal",
    default=None,
    metavar="TEXT",
    help="What to learn in your own words (Chinese or English): plans to the best match "
    "of `aipath search` and says on stderr which it chose and what else was close.",
)
@have_options
@hours_option
@optional_option
@format_option(*PLAN_FORMATS)
@output_option
@pass_app
def plan_cmd(
    app: Session,
    to: tuple[str, ...],
    goal: str | None,
    have: tuple[str, ...],
    profile: Path | None,
    no_implied: bool,
    hours_per_week: float | None,
    include_optional: bool,
    fmt: str,
    output: str,
) -> None:
    """Plan the steps from what you know to one or more targets.

    Steps come after all their prerequisites, grouped into phases (a phase
    needs only earlier phases); where the graph offers alternatives (PyTorch
    or TensorFlow) the plan picks the options with the least total effort.
    The critical path (marked *) is the least calendar time if independent
    steps are studied in parallel. The md format is a checklist.

    \b
    Examples:
      aipath plan --to AI工程师
      aipath plan --to AI工程师 --lang zh
      aipath plan --goal 我想学深度学习 --have python-basics
      aipath plan --to fine-tuning --have python-basics --hours-per-week 10
      aipath plan --to fine-tuning --format md -o plan.md
      aipath --lang zh plan --to ai-engineer --include-optional --format json
    """
    prof = read_profile(profile)
    targets = list(to) or ([] if goal else prof.goals if prof else [])
    if goal:
        targets.append(_goal_target(app, goal))
    record = plan_record(
        app,
        targets,
        have=split_terms(have) + (prof.knows if prof else []),
        learning=prof.learning if prof else [],
        hours_per_week=hours_per_week or (prof.hours_per_week if prof else None),
        include_optional=include_optional,
        implied=not no_implied,
    )
    emit(record, fmt, output, plan_formats(app.lang))


def _goal_target(app: Session, goal: str) -> str:
    """The id a goal in plain words means; says on stderr which it chose and what was close."""
    from ..answers import goal_choice
    from .search import why_text

    lang = app.lang
    best, close = goal_choice(app, goal, lang=lang)
    say(
        t(
            "goal_chosen",
            lang,
            goal=goal,
            label=best.label,
            id=best.id,
            score=f"{best.score:.2f}",
            why=why_text(best.why, lang),
        )
    )
    if close:
        sep = "、" if lang == "zh" else ", "
        left, right = ("（", "）") if lang == "zh" else (" (", ")")
        comma = "，" if lang == "zh" else ", "
        others = sep.join(f"{h.label}{left}{h.id}{comma}{h.score:.2f}{right}" for h in close)
        say(t("goal_close", lang, others=others))
    return str(best.id)


def path_table(record: dict[str, Any], lang: str) -> str:
    """A prerequisite chain, its hours along the chain and the command of the full plan."""
    nodes = record["nodes"]
    first, last = nodes[0], nodes[-1]
    head = t(
        "path_head",
        lang,
        a=named(first["label"], first["id"], lang),
        b=named(last["label"], last["id"], lang),
        n=record["hops"],
        effort=hours(record["effort_hours"], lang),
        plan=f"{record['plan']} --have {first['id']}",
    )
    labels = [named(n["label"], n["id"], lang) for n in nodes]
    width = max(display_width(x) for x in labels)
    lines = [head]
    for i, (n, shown) in enumerate(zip(nodes, labels, strict=True)):
        how = kind(n["kind"], lang) if i else t("start", lang)
        effort = pad(hours(n["effort_hours"], lang), 9, right=True)
        lines.append(f"  {i:>2}. {pad(shown, width)}  {effort}  {how}")
    return "\n".join(lines) + "\n"


@click.command("path")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option(
    "--by",
    type=click.Choice(["effort", "hops"]),
    default="effort",
    show_default=True,
    help="Cheapest by summed effort, or fewest steps.",
)
@click.option("--include-optional", is_flag=True, help="Also walk optional skills of roles.")
@format_option("table", "json")
@output_option
@pass_app
def path_cmd(
    app: Session,
    source: str,
    target: str,
    by: str,
    include_optional: bool,
    fmt: str,
    output: str,
) -> None:
    """Show the cheapest prerequisite chain from FROM up to TO.

    The hours are those along this one chain after FROM, not the time to
    reach TO; the first line gives the command of the full plan. Exit code 4
    when FROM is not a prerequisite of TO (the message says whether TO is a
    prerequisite of FROM instead).

    \b
    Examples:
      aipath path linear-algebra fine-tuning
      aipath path 线性代数 AI工程师 --by hops
      aipath path python-basics fine-tuning --format json
    """
    record = path_record(app, source, target, by=by, include_optional=include_optional)
    emit(record, fmt, output, {"table": lambda r: path_table(r, app.lang)})


def next_table(record: dict[str, Any], lang: str) -> str:
    """What can be learned next, most unlocking first."""
    items = record["items"]
    if not items:
        return t("nothing_next", lang) + "\n"
    labels = [named(i["label"], i["id"], lang) for i in items]
    width = max(display_width(x) for x in labels)
    lines = []
    for k, (i, shown) in enumerate(zip(items, labels, strict=True), 1):
        opens = ("、" if lang == "zh" else ", ").join(i["unlocks_labels"])
        more = t("unlocks_list", lang, items=opens) if opens else ""
        effort = pad(hours(i["effort_hours"], lang), 9, right=True)
        lines.append(f"{k:>3}. {pad(shown, width)}  {effort}  {more}".rstrip())
    return "\n".join(lines) + "\n"


def next_csv(record: dict[str, Any]) -> str:
    """What can be learned next, as CSV."""
    header = ["id", "label", "type", "effort_hours", "stage", "unlocks"]
    rows = (
        [
            i["id"],
            i["label"],
            i["type"],
            f"{i['effort_hours']:g}",
            i["stage"] or "",
            " ".join(i["unlocks"]),
        ]
        for i in record["items"]
    )
    return csv_text(header, rows)


@click.command("next")
@have_options
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="TERM",
    help="Only what leads to these targets (repeatable).",
)
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many items to show.",
)
@format_option("table", "json", "csv")
@output_option
@pass_app
def next_cmd(
    app: Session,
    have: tuple[str, ...],
    profile: Path | None,
    no_implied: bool,
    to: tuple[str, ...],
    limit: int,
    fmt: str,
    output: str,
) -> None:
    """What you can learn next: items whose prerequisites you all know.

    Most unlocking first: an item that is the last missing prerequisite of
    many others comes before one that opens nothing new; then the cheaper.

    \b
    Examples:
      aipath next
      aipath next --have python-basics,linear-algebra
      aipath next --have python-basics --to AI工程师 -n 5
    """
    prof = read_profile(profile)
    record = next_record(
        app,
        have=split_terms(have) + (prof.knows if prof else []),
        to=list(to) or (prof.goals if prof else []),
        limit=limit,
        implied=not no_implied,
    )
    warn(record.get("warnings", ()))
    formats = {
        "table": lambda r: next_table({"items": r}, app.lang),
        "csv": lambda r: next_csv({"items": r}),
    }
    emit(record["items"], fmt, output, formats)


def gap_text(record: dict[str, Any], fmt: str, lang: str) -> str:
    """The gap to a role: what is had, what is missing, then the plan."""
    lines = [
        t("gap_to", lang, role=named(record["label"], record["role"], lang)),
        *_nodes(t("have", lang), record["have"], record["labels"], lang),
        *_nodes(t("missing", lang), record["missing"], record["labels"], lang),
        *_nodes(t("optional_missing", lang), record["optional_missing"], record["labels"], lang),
        "",
    ]
    return "\n".join(lines) + plan_formats(lang)[fmt](record["plan"])


@click.command("gap")
@click.argument("role")
@have_options
@click.option("--include-optional", is_flag=True, help="Plan the optional skills too.")
@hours_option
@format_option("table", "json", "md")
@output_option
@pass_app
def gap_cmd(
    app: Session,
    role: str,
    have: tuple[str, ...],
    profile: Path | None,
    no_implied: bool,
    include_optional: bool,
    hours_per_week: float | None,
    fmt: str,
    output: str,
) -> None:
    """What separates you from ROLE (a role or career level), and the plan to close it.

    \b
    Examples:
      aipath gap AI工程师 --have python-basics,git
      aipath gap mlops-engineer --have python-basics --format md
    """
    prof = read_profile(profile)
    record = gap_record(
        app,
        role,
        have=split_terms(have) + (prof.knows if prof else []),
        include_optional=include_optional,
        implied=not no_implied,
        hours_per_week=hours_per_week or (prof.hours_per_week if prof else None),
    )
    formats = {f: (lambda r, f=f: gap_text(r, f, app.lang)) for f in ("table", "md")}
    emit(record, fmt, output, formats)


def compare_text(record: dict[str, Any], fmt: str, lang: str) -> str:
    """Two roles: shared and separate essential skills, then the plan from A to B."""
    a, b = record["from_label"], record["to_label"]
    lines = [
        f"{named(a, record['from'], lang)} → {named(b, record['to'], lang)}",
        *_nodes(t("shared", lang), record["shared"], record["labels"], lang),
        *_nodes(t("only", lang, role=a), record["only_from"], record["labels"], lang),
        *_nodes(t("only", lang, role=b), record["only_to"], record["labels"], lang),
        "",
    ]
    return "\n".join(lines) + plan_formats(lang)[fmt](record["plan"])


@click.command("compare")
@click.argument("role_a")
@click.argument("role_b")
@click.option("--include-optional", is_flag=True, help="Plan the optional skills too.")
@hours_option
@format_option("table", "json", "md")
@output_option
@pass_app
def compare_cmd(
    app: Session,
    role_a: str,
    role_b: str,
    include_optional: bool,
    hours_per_week: float | None,
    fmt: str,
    output: str,
) -> None:
    """Compare two roles: shared and separate skills, and the move from ROLE_A to ROLE_B.

    Someone in ROLE_A is taken to know its essential skills and their
    prerequisites; the plan is what they must learn for ROLE_B.

    \b
    Examples:
      aipath compare data-scientist ai-engineer
      aipath compare 数据科学家 MLOps工程师 --format json
    """
    record = compare_record(
        app, role_a, role_b, include_optional=include_optional, hours_per_week=hours_per_week
    )
    formats = {f: (lambda r, f=f: compare_text(r, f, app.lang)) for f in ("table", "md")}
    emit(record, fmt, output, formats)


COMMANDS = [plan_cmd, path_cmd, next_cmd, gap_cmd, compare_cmd]
