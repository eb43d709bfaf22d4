"""``aipath plan``, ``path``, ``next``, ``gap`` and ``compare``: learning plans.

Each command resolves the names typed, calls :mod:`aipath_graph.plan` and formats
the result. A name the learner says they know that the graph lacks is a warning,
never a failure; a target that cannot be resolved is an error with suggestions.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import TermError, UsageError
from . import AppContext, output_option, pass_app, say, write_output

PLAN_FORMATS = ("table", "json", "md", "csv")


# ---------------------------------------------------------------- helpers


def _split(values: Iterable[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _hours(h: float) -> str:
    return f"{h:g} h" if h == int(h) else f"{h:.1f} h"


class _Session:
    """The graph of one command, its projection, and name resolution with warnings."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.G = app.prereq_graph()

    def label(self, n: Any) -> str:
        if n not in self.G:
            return str(n)
        label = self.G.nodes[n].get("label") or {}
        return label.get(self.app.lang) or label.get("en") or label.get("zh") or str(n)

    def named(self, n: Any) -> str:
        label = self.label(n)
        return label if label == str(n) else f"{label} ({n})"

    def resolve(self, term: str) -> str:
        node = self.app.resolve(term)
        if node not in self.G:
            raise UsageError(f"{term!r} ({node}) has no place in the prerequisite graph")
        return node

    def known(self, terms: Sequence[str]) -> list[str]:
        """Resolve what the learner knows; unknown names only warn."""
        out: list[str] = []
        for term in terms:
            try:
                out.append(self.app.resolve(term))
            except TermError as exc:
                say(f"warning: ignoring known item: {exc}")
        return out


def _profile(path: Path | None) -> Any:
    if path is None:
        return None
    from ..profile import read_profile

    return read_profile(path)


def _have_options(f: Callable) -> Callable:
    f = click.option(
        "--profile",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="YAML profile: knows, learning, goals, hours_per_week.",
    )(f)
    f = click.option(
        "--no-implied",
        is_flag=True,
        help="Knowing an item does not imply knowing its prerequisites.",
    )(f)
    return click.option(
        "--have",
        "have",
        multiple=True,
        metavar="TERM[,TERM…]",
        help="What you already know (repeatable, or comma-separated).",
    )(f)


def _format_option(choices: Sequence[str]) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default="table",
        show_default=True,
        help="Output format.",
    )


# ---------------------------------------------------------------- plan rendering


def plan_record(
    s: _Session, p: Any, hours_per_week: float | None, learning: Iterable[str] = ()
) -> dict[str, Any]:
    """The JSON shape of a plan (keys may be added, never renamed)."""
    learning = set(learning)
    return {
        "targets": [
            {
                "id": t,
                "iri": s.G.nodes[t].get("iri", ""),
                "label": s.label(t),
                "type": s.G.nodes[t].get("type"),
            }
            for t in p.targets
        ],
        "steps": [
            {
                "order": st.order,
                "id": st.id,
                "iri": st.iri,
                "label": s.label(st.id),
                "labels": st.label,
                "type": st.type,
                "effort_hours": st.effort,
                "phase": st.phase,
                "stage": st.stage,
                "stage_label": s.label(st.stage) if st.stage else None,
                "requires": list(st.requires),
                "status": "learning" if st.id in learning else "todo",
            }
            for st in p.steps
        ],
        "total_effort_hours": p.total_effort,
        "critical_path_hours": p.critical_path_effort,
        "critical_path": list(p.critical_path),
        "hours_per_week": hours_per_week,
        "weeks": round(p.weeks(hours_per_week), 2) if hours_per_week else None,
        "critical_path_weeks": (
            round(p.critical_weeks(hours_per_week), 2) if hours_per_week else None
        ),
        "choices": [
            {"group": c.group, "chosen": c.chosen, "options": list(c.options), "known": c.known}
            for c in p.choices
        ],
        "method": p.method,
        "ignored": [str(n) for n in p.ignored],
    }


def _tr(s: _Session, en: str, zh: str) -> str:
    """The frame text of a plan in the session's language (labels come from the graph)."""
    return zh if s.app.lang == "zh" else en


def _summary(s: _Session, p: Any, hours_per_week: float | None) -> list[str]:
    total, crit = _hours(p.total_effort), _hours(p.critical_path_effort)
    lines = [
        _tr(
            s,
            f"{len(p.steps)} steps, {total} in all; critical path {crit} "
            "(the least time with parallel study)",
            f"共 {len(p.steps)} 步,合计 {total};关键路径 {crit}(并行学习时的最短用时)",
        )
    ]
    if hours_per_week:
        weeks, cweeks = p.weeks(hours_per_week), p.critical_weeks(hours_per_week)
        lines.append(
            _tr(
                s,
                f"at {hours_per_week:g} h/week: {weeks:.1f} weeks one at a time, "
                f"{cweeks:.1f} weeks along the critical path",
                f"每周 {hours_per_week:g} 小时:逐项学习需 {weeks:.1f} 周,"
                f"沿关键路径需 {cweeks:.1f} 周",
            )
        )
    for c in p.choices:
        others = ", ".join(s.label(o) for o in c.options if o != c.chosen)
        if c.known:
            how = _tr(s, "already known", "已掌握")
        else:
            how = _tr(
                s,
                "the least total effort (a tie goes to the first id)",
                "总时长最少(时长相同时取 id 靠前者)",
            )
        rather = _tr(s, f", rather than {others}", f",而非 {others}")
        lines.append(f"{s.label(c.group)} → {s.named(c.chosen)}: {how}{rather}")
    if p.method != "exact":
        lines.append(
            _tr(
                s,
                "options chosen by the greedy heuristic (too many combinations)",
                "选项由贪心启发式选出(组合过多)",
            )
        )
    return lines


def _plan_table(s: _Session, p: Any, hours_per_week: float | None, learning: set[str]) -> str:
    title = ", ".join(s.named(t) for t in p.targets)
    out = [_tr(s, f"Plan for {title}", f"学习计划:{title}"), *_summary(s, p, hours_per_week)]
    if not p.steps:
        done = _tr(s, "nothing to learn: every target is already known", "无需再学:目标均已掌握")
        return "\n".join([*out, done]) + "\n"
    width = max(_width(s.label(st.id)) for st in p.steps)
    idw = max(len(str(st.id)) for st in p.steps)
    critical = set(p.critical_path)
    for phase, steps in p.phases().items():
        out.append(_tr(s, f"\nPhase {phase}", f"\n第 {phase} 轮"))
        for st in steps:
            mark = "*" if st.id in critical else " "
            stage = s.label(st.stage) if st.stage else ""
            note = _tr(s, "  (learning)", "  (学习中)") if st.id in learning else ""
            out.append(
                f" {mark}{st.order:>3}. {_pad(s.label(st.id), width)}  {st.id!s:<{idw}}  "
                f"{_hours(st.effort):>7}  {stage}{note}".rstrip()
            )
    out.append(_tr(s, "\n* on the critical path", "\n* 关键路径上的步骤"))
    return "\n".join(out) + "\n"


def _plan_md(s: _Session, p: Any, hours_per_week: float | None, learning: set[str]) -> str:
    title = ", ".join(s.label(t) for t in p.targets)
    out = [_tr(s, f"# Learning plan: {title}", f"# 学习计划:{title}"), ""]
    out += [f"- {line}" for line in _summary(s, p, hours_per_week)]
    for phase, steps in p.phases().items():
        out += ["", _tr(s, f"## Phase {phase}", f"## 第 {phase} 轮"), ""]
        for st in steps:
            extra = [f"`{st.id}`", _hours(st.effort)]
            if st.stage:
                extra.append(s.label(st.stage))
            if st.id in learning:
                extra.append(_tr(s, "in progress", "学习中"))
            out.append(f"- [ ] {s.label(st.id)} ({', '.join(extra)})")
    return "\n".join(out) + "\n"


def _plan_csv(s: _Session, p: Any) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["order", "id", "label", "type", "effort_hours", "phase", "stage", "requires"])
    for st in p.steps:
        w.writerow(
            [
                st.order,
                st.id,
                s.label(st.id),
                st.type,
                f"{st.effort:g}",
                st.phase,
                st.stage or "",
                " ".join(map(str, st.requires)),
            ]
        )
    return buf.getvalue()


def _render_plan(
    s: _Session, p: Any, fmt: str, hours_per_week: float | None, learning: Iterable[str] = ()
) -> str:
    learning = set(learning)
    if fmt == "json":
        record = plan_record(s, p, hours_per_week, learning)
        return json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "md":
        return _plan_md(s, p, hours_per_week, learning)
    if fmt == "csv":
        return _plan_csv(s, p)
    return _plan_table(s, p, hours_per_week, learning)


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
@_have_options
@click.option(
    "--hours-per-week",
    type=click.FloatRange(min=0.001, max=168),
    default=None,
    help="Study hours a week, to turn hours into weeks.",
)
@click.option(
    "--include-optional",
    is_flag=True,
    help="Also learn the optional skills of roles and career levels.",
)
@_format_option(PLAN_FORMATS)
@output_option
@pass_app
def plan_cmd(
    app: AppContext,
    to: tuple[str, ...],
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
      aipath plan --to fine-tuning --have python-basics --hours-per-week 10
      aipath plan --profile me.yaml --format md -o plan.md
      aipath --lang zh plan --to ai-engineer --include-optional --format json
    """
    from ..plan import plan

    prof = _profile(profile)
    terms = list(to) or (prof.goals if prof else [])
    if not terms:
        raise UsageError("say what to learn: --to TERM (or goals: in --profile)")
    s = _Session(app)
    targets = [s.resolve(t) for t in terms]
    known = s.known(_split(have) + (prof.knows if prof else []))
    learning = s.known(prof.learning) if prof else []
    hpw = hours_per_week or (prof.hours_per_week if prof else None)
    p = plan(
        s.G,
        targets,
        known=known,
        include_optional=include_optional,
        assume_prerequisites=not no_implied,
    )
    for n in p.ignored:
        say(f"warning: {n!r} is not in the prerequisite graph; ignored")
    write_output(_render_plan(s, p, fmt, hpw, learning), output)


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
@_format_option(("table", "json"))
@output_option
@pass_app
def path_cmd(
    app: AppContext,
    source: str,
    target: str,
    by: str,
    include_optional: bool,
    fmt: str,
    output: str,
) -> None:
    """Show the cheapest prerequisite chain from FROM up to TO.

    Exit code 4 when FROM is not a prerequisite of TO (the message says
    whether TO is a prerequisite of FROM instead).

    \b
    Examples:
      aipath path linear-algebra fine-tuning
      aipath path 线性代数 AI工程师 --by hops
      aipath path python-basics rag --format json
    """
    from ..plan import path

    s = _Session(app)
    a, b = s.resolve(source), s.resolve(target)
    p = path(s.G, a, b, by=by, include_optional=include_optional)
    if fmt == "json":
        record = {
            "from": a,
            "to": b,
            "by": by,
            "effort_hours": p.effort,
            "hops": p.hops,
            "nodes": [
                {
                    "id": n,
                    "label": s.label(n),
                    "type": s.G.nodes[n].get("type"),
                    "effort_hours": float(s.G.nodes[n].get("effort", 0.0)),
                }
                for n in p.nodes
            ],
        }
        text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    else:
        lines = [
            f"{s.named(a)} → {s.named(b)}: {p.hops} hops, {_hours(p.effort)} after {s.label(a)}"
        ]
        width = max(_width(s.named(n)) for n in p.nodes)
        for i, n in enumerate(p.nodes):
            kind = s.G.edges[p.nodes[i - 1], n].get("kind") if i else "start"
            lines.append(
                f"  {i:>2}. {_pad(s.named(n), width)}  "
                f"{_hours(float(s.G.nodes[n].get('effort', 0.0))):>7}  {kind}"
            )
        text = "\n".join(lines) + "\n"
    write_output(text, output)


@click.command("next")
@_have_options
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
@_format_option(("table", "json", "csv"))
@output_option
@pass_app
def next_cmd(
    app: AppContext,
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
      aipath next --profile me.yaml --to AI工程师 -n 5
    """
    from ..plan import frontier, plan

    prof = _profile(profile)
    s = _Session(app)
    known = s.known(_split(have) + (prof.knows if prof else []))
    terms = list(to) or (prof.goals if prof else [])
    within = None
    if terms:
        within = plan(
            s.G, [s.resolve(t) for t in terms], known=known, assume_prerequisites=not no_implied
        ).ids
    items = frontier(s.G, known, within=within, assume_prerequisites=not no_implied)[:limit]
    if fmt == "json":
        record = [
            {
                "id": i.id,
                "label": s.label(i.id),
                "type": i.type,
                "effort_hours": i.effort,
                "stage": i.stage,
                "unlocks": list(i.unlocks),
            }
            for i in items
        ]
        text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["id", "label", "type", "effort_hours", "stage", "unlocks"])
        for i in items:
            w.writerow(
                [
                    i.id,
                    s.label(i.id),
                    i.type,
                    f"{i.effort:g}",
                    i.stage or "",
                    " ".join(map(str, i.unlocks)),
                ]
            )
        text = buf.getvalue()
    else:
        if not items:
            text = "nothing to learn next: everything in reach is known\n"
        else:
            width = max(_width(s.named(i.id)) for i in items)
            lines = []
            for k, i in enumerate(items, 1):
                opens = ", ".join(s.label(u) for u in i.unlocks)
                lines.append(
                    f"{k:>3}. {_pad(s.named(i.id), width)}  {_hours(i.effort):>7}"
                    f"  {'unlocks ' + opens if opens else ''}".rstrip()
                )
            text = "\n".join(lines) + "\n"
    write_output(text, output)


def _list(s: _Session, title: str, nodes: Sequence[Any]) -> list[str]:
    body = [f"  - {s.named(n)}" for n in nodes] or ["  (none)"]
    return [f"{title} ({len(nodes)}):", *body]


@click.command("gap")
@click.argument("role")
@_have_options
@click.option("--include-optional", is_flag=True, help="Plan the optional skills too.")
@click.option(
    "--hours-per-week",
    type=click.FloatRange(min=0.001, max=168),
    default=None,
    help="Study hours a week, to turn hours into weeks.",
)
@_format_option(("table", "json", "md"))
@output_option
@pass_app
def gap_cmd(
    app: AppContext,
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
      aipath gap mlops-engineer --profile me.yaml --format md
    """
    from ..plan import gap

    prof = _profile(profile)
    s = _Session(app)
    r = s.resolve(role)
    known = s.known(_split(have) + (prof.knows if prof else []))
    hpw = hours_per_week or (prof.hours_per_week if prof else None)
    g = gap(s.G, r, known, include_optional=include_optional, assume_prerequisites=not no_implied)
    if fmt == "json":
        record = {
            "role": r,
            "label": s.label(r),
            "have": g.have,
            "missing": g.missing,
            "optional_missing": g.optional_missing,
            "plan": plan_record(s, g.plan, hpw),
        }
        text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    else:
        lines = [
            f"Gap to {s.named(r)}",
            *_list(s, "have", g.have),
            *_list(s, "missing", g.missing),
            *_list(s, "optional, missing", g.optional_missing),
            "",
        ]
        text = "\n".join(lines) + _render_plan(s, g.plan, fmt, hpw)
    write_output(text, output)


@click.command("compare")
@click.argument("role_a")
@click.argument("role_b")
@click.option("--include-optional", is_flag=True, help="Plan the optional skills too.")
@click.option(
    "--hours-per-week",
    type=click.FloatRange(min=0.001, max=168),
    default=None,
    help="Study hours a week, to turn hours into weeks.",
)
@_format_option(("table", "json", "md"))
@output_option
@pass_app
def compare_cmd(
    app: AppContext,
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
    from ..plan import transition

    s = _Session(app)
    a, b = s.resolve(role_a), s.resolve(role_b)
    t = transition(s.G, a, b, include_optional=include_optional)
    if fmt == "json":
        record = {
            "from": a,
            "to": b,
            "shared": t.shared,
            "only_from": t.only_source,
            "only_to": t.only_target,
            "plan": plan_record(s, t.plan, hours_per_week),
        }
        text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    else:
        lines = [
            f"{s.named(a)} → {s.named(b)}",
            *_list(s, "shared", t.shared),
            *_list(s, f"only {s.label(a)}", t.only_source),
            *_list(s, f"only {s.label(b)}", t.only_target),
            "",
        ]
        text = "\n".join(lines) + _render_plan(s, t.plan, fmt, hours_per_week)
    write_output(text, output)


COMMANDS = [plan_cmd, path_cmd, next_cmd, gap_cmd, compare_cmd]
