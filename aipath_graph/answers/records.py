"""One record shape per question, for every view: plain data, labels in one language.

Each function takes a :class:`~aipath_graph.answers.session.Session`, the
names as a user typed them, and ``lang``; it resolves the names (an unknown
*known* item is a warning in the record's ``warnings``, an unknown target an
error with suggestions), runs the algorithm and returns JSON-ready data. The
CLI formats these records as tables, CSV or Markdown; the JSON API returns
them as they are; the explorer reads the API. Keys may be added, never
renamed.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> from aipath_graph.answers import Session
>>> s = Session.over(load_graph())
>>> r = plan_record(s, ["backpropagation"], have=["python-basics", "no-such-thing"])
>>> r["targets"][0]["id"], r["steps"][-1]["id"], len(r["warnings"])
('backpropagation', 'backpropagation', 1)
>>> path_record(s, "calculus", "backpropagation")["nodes"][-1]["id"]
'backpropagation'
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import UsageError
from ..i18n import hours, join, named, t, weeks
from ..ids import LEARNABLE_TYPES
from .session import Session

__all__ = [
    "compare_record",
    "gap_record",
    "goal_choice",
    "next_record",
    "path_record",
    "plan_record",
    "queries_record",
    "related_rows",
    "show_record",
    "split_terms",
    "tree_record",
]

MAX_TERMS = 50


def split_terms(values: Iterable[str], *, limit: int | None = None) -> list[str]:
    """Names from repeated and comma-separated values (``a,b`` and ``a，b``).

    >>> split_terms(["a, b", "c，d", " "])
    ['a', 'b', 'c', 'd']
    """
    out = [v.strip() for value in values for v in value.replace("，", ",").split(",") if v.strip()]
    if limit is not None and len(out) > limit:
        raise UsageError(key="too_many_terms", n=limit)
    return out


def _ref(s: Session, n: Any, lang: str) -> dict[str, Any]:
    G = s.views()["relations"]
    d = G.nodes[n] if n in G else {}
    return {"id": str(n), "label": s.label(n, lang), "type": d.get("type")}


def _labels(s: Session, nodes: Iterable[Any], lang: str) -> dict[str, str]:
    return {str(n): s.label(n, lang) for n in nodes}


# ---------------------------------------------------------------- plans


def _plan_body(
    s: Session,
    p: Any,
    lang: str,
    hours_per_week: float | None,
    learning: Iterable[str] = (),
) -> dict[str, Any]:
    """The record of a :class:`~aipath_graph.plan.Plan` (see :func:`plan_record`)."""
    G = s.prereq(lang)
    learning = set(learning)
    targets = set(p.targets)
    # A plan's steps are what is learned; a role, level, stage or use case aimed at is
    # the goal the steps reach, not a step of its own.
    learned = [st for st in p.steps if st.type in LEARNABLE_TYPES or st.id not in targets]
    steps = [
        {
            "order": k,
            "id": st.id,
            "iri": st.iri,
            "label": s.label(st.id, lang),
            "labels": st.label,
            "type": st.type,
            "effort_hours": st.effort,
            "phase": st.phase,
            "stage": st.stage,
            "stage_label": s.label(st.stage, lang) if st.stage else None,
            "requires": [str(r) for r in st.requires],
            "status": "learning" if st.id in learning else "todo",
        }
        for k, st in enumerate(learned, 1)
    ]
    record: dict[str, Any] = {
        "targets": [
            {**_ref(s, n, lang), "iri": G.nodes[n].get("iri", "")} for n in p.targets if n in G
        ],
        "steps": steps,
        "total_effort_hours": p.total_effort,
        "critical_path_hours": p.critical_path_effort,
        "critical_path": [str(n) for n in p.critical_path],
        "hours_per_week": hours_per_week,
        "weeks": round(p.weeks(hours_per_week), 2) if hours_per_week else None,
        "critical_path_weeks": (
            round(p.critical_weeks(hours_per_week), 2) if hours_per_week else None
        ),
        "choices": [
            {
                "group": c.group,
                "group_label": s.label(c.group, lang),
                "chosen": c.chosen,
                "chosen_label": s.label(c.chosen, lang),
                "options": list(c.options),
                "known": c.known,
            }
            for c in p.choices
        ],
        "method": p.method,
        "ignored": [str(n) for n in p.ignored],
    }
    record["summary"] = plan_summary(s, record, lang)
    return record


def plan_summary(s: Session, record: dict[str, Any], lang: str) -> list[str]:
    """The sentences above a plan: steps and hours, weeks at a pace, the options chosen."""
    total, crit = (
        hours(record["total_effort_hours"], lang),
        hours(record["critical_path_hours"], lang),
    )
    first = t("steps_total", lang, n=len(record["steps"]), total=total)
    lines = [first + t("summary_sep", lang) + t("critical", lang, crit=crit)]
    hpw = record["hours_per_week"]
    if hpw:
        pace = t("per_week", lang, n=f"{hpw:g}")
        w, cw = weeks(record["weeks"], lang), weeks(record["critical_path_weeks"], lang)
        lines.append(t("pace", lang, pace=pace, weeks=w, cweeks=cw))
    for c in record["choices"]:
        others = join((s.label(o, lang) for o in c["options"] if o != c["chosen"]), lang)
        how = t("choice_known" if c["known"] else "choice_least", lang)
        rather = t("rather_than", lang, others=others) if others else ""
        chosen = named(c["chosen_label"], str(c["chosen"]), lang)
        lines.append(f"{c['group_label']} → {chosen}{t('colon', lang)}{how}{rather}")
    if record["method"] != "exact":
        lines.append(t("greedy", lang))
    return lines


def _warn_ignored(record: dict[str, Any], warnings: list[str], lang: str) -> dict[str, Any]:
    warnings = warnings + [t("not_in_graph_ignored", lang, node=n) for n in record["ignored"]]
    if warnings:
        record["warnings"] = warnings
    return record


def plan_record(
    s: Session,
    to: Sequence[str],
    *,
    have: Sequence[str] = (),
    learning: Sequence[str] = (),
    lang: str | None = None,
    hours_per_week: float | None = None,
    include_optional: bool = False,
    implied: bool = True,
) -> dict[str, Any]:
    """The plan from what is known (``have``) to the targets ``to``.

    Keys: ``targets``, ``steps`` (``order``, ``id``, ``label``, ``type``,
    ``effort_hours``, ``phase``, ``stage``, ``requires``, ``status``),
    ``total_effort_hours``, ``critical_path(_hours)``, ``hours_per_week``,
    ``weeks``, ``choices``, ``method``, ``ignored``, ``summary`` (sentences in
    ``lang``) and, when a name was passed over, ``warnings``.
    """
    from ..plan import plan

    lang = lang or s.lang
    if not to:
        raise UsageError(key="say_what_to_learn")
    targets = [s.node(x, lang) for x in to]
    known, warnings = s.known(list(have), lang)
    doing, more = s.known(list(learning), lang)
    p = plan(
        s.prereq(lang),
        targets,
        known=known,
        include_optional=include_optional,
        assume_prerequisites=implied,
    )
    record = _plan_body(s, p, lang, hours_per_week, doing)
    return _warn_ignored(record, warnings + more, lang)


def goal_choice(s: Session, goal: str, *, lang: str | None = None) -> tuple[Any, list[Any]]:
    """The node a goal in plain words means, and the next three: search hits that have a plan.

    Returns ``(best, close)`` as :class:`aipath_graph.search.Hit` records; a goal
    that matches nothing with a plan is a usage error that points to ``aipath search``.
    """
    lang = lang or s.lang
    G = s.prereq(lang)
    hits = [
        h
        for h in s.search_index().search(goal, lang=lang, limit=50)
        if h.id in G and (G.nodes[h.id].get("learnable") or G.in_degree(h.id))
    ]
    if not hits:
        raise UsageError(key="goal_none", goal=goal)
    return hits[0], hits[1:4]


def plan_command(record: dict[str, Any]) -> str:
    """The ``aipath plan`` command line that gives the full plan to a record's last node.

    >>> plan_command({"to": "ai-engineer"})
    'aipath plan --to ai-engineer'
    """
    return f"aipath plan --to {shlex.quote(str(record['to']))}"


def path_record(
    s: Session,
    source: str,
    target: str,
    *,
    by: str = "effort",
    include_optional: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    """The cheapest prerequisite chain from ``source`` up to ``target``.

    ``effort_hours`` is the effort along this one chain after its start, not
    the time to reach ``target`` (that is the plan: ``plan`` gives the command).
    """
    from ..plan import path

    lang = lang or s.lang
    a, b = s.node(source, lang), s.node(target, lang)
    G = s.prereq(lang)
    p = path(G, a, b, by=by, include_optional=include_optional)
    record: dict[str, Any] = {
        "from": a,
        "to": b,
        "by": by,
        "effort_hours": p.effort,
        "hops": p.hops,
        "nodes": [
            {
                **_ref(s, n, lang),
                "effort_hours": float(G.nodes[n].get("effort", 0.0)),
                "kind": G.edges[p.nodes[i - 1], n].get("kind") if i else None,
            }
            for i, n in enumerate(p.nodes)
        ],
    }
    record["plan"] = plan_command(record)
    return record


def next_record(
    s: Session,
    *,
    have: Sequence[str] = (),
    to: Sequence[str] = (),
    limit: int = 10,
    implied: bool = True,
    lang: str | None = None,
) -> dict[str, Any]:
    """What can be learned next: ``{"items": [...], "warnings"?}``, most unlocking first."""
    from ..plan import frontier, plan

    lang = lang or s.lang
    G = s.prereq(lang)
    known, warnings = s.known(list(have), lang)
    within = None
    if to:
        targets = [s.node(x, lang) for x in to]
        within = plan(G, targets, known=known, assume_prerequisites=implied).ids
    items = frontier(G, known, within=within, assume_prerequisites=implied)[:limit]
    record: dict[str, Any] = {
        "items": [
            {
                **_ref(s, i.id, lang),
                "effort_hours": i.effort,
                "stage": i.stage,
                "unlocks": [str(u) for u in i.unlocks],
                "unlocks_labels": [s.label(u, lang) for u in i.unlocks],
            }
            for i in items
        ]
    }
    if warnings:
        record["warnings"] = warnings
    return record


def gap_record(
    s: Session,
    role: str,
    *,
    have: Sequence[str] = (),
    include_optional: bool = False,
    implied: bool = True,
    hours_per_week: float | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """What separates a person from a role or career level, and the plan to close it."""
    from ..plan import gap

    lang = lang or s.lang
    r = s.role(role, lang)
    known, warnings = s.known(list(have), lang)
    g = gap(
        s.prereq(lang), r, known, include_optional=include_optional, assume_prerequisites=implied
    )
    record: dict[str, Any] = {
        "role": r,
        "label": s.label(r, lang),
        "have": [str(n) for n in g.have],
        "missing": [str(n) for n in g.missing],
        "optional_missing": [str(n) for n in g.optional_missing],
        "labels": _labels(s, [*g.have, *g.missing, *g.optional_missing], lang),
        "plan": _warn_ignored(_plan_body(s, g.plan, lang, hours_per_week), [], lang),
    }
    if warnings:
        record["warnings"] = warnings
    return record


def compare_record(
    s: Session,
    role_a: str,
    role_b: str,
    *,
    include_optional: bool = False,
    hours_per_week: float | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """Two roles side by side: shared and separate essentials, and the move from A to B."""
    from ..plan import transition

    lang = lang or s.lang
    a, b = s.role(role_a, lang), s.role(role_b, lang)
    tr = transition(s.prereq(lang), a, b, include_optional=include_optional)
    return {
        "from": a,
        "to": b,
        "from_label": s.label(a, lang),
        "to_label": s.label(b, lang),
        "shared": [str(n) for n in tr.shared],
        "only_from": [str(n) for n in tr.only_source],
        "only_to": [str(n) for n in tr.only_target],
        "labels": _labels(s, [*tr.shared, *tr.only_source, *tr.only_target], lang),
        "plan": _plan_body(s, tr.plan, lang, hours_per_week),
    }


# ---------------------------------------------------------------- prerequisites, dependents

ROW_FIELDS = ("id", "label", "type", "direct", "kind", "reason")


def related_rows(
    s: Session, name: str, term: str, *, lang: str | None = None, direct: bool = False
) -> list[dict[str, Any]]:
    """The rows of ``aipath prereqs`` (``name="prerequisites"``) or ``dependents``."""
    from rdflib import Literal

    from ..ids import node_id
    from ..sparql.query import get_named_query, run_query

    lang = lang or s.lang
    engine = s.sparql()  # first: the resolver then reads its names from the same entry
    node = s.iri(term, lang)
    result = run_query(
        engine, get_named_query(name).text, bindings={"skill": node, "lang": Literal(lang)}
    )
    first = result.vars[0]
    rows = []
    for row in result.rows:
        item = {
            "id": node_id(str(row[first])),
            "label": str(row.get("label", "")) or None,
            "type": str(row.get("type", "")) or None,
            "direct": "direct" in row and str(row["direct"]).lower() in ("true", "1"),
            "kind": str(row["kind"]) if "kind" in row else None,
            "reason": str(row["reason"]) if "reason" in row else None,
        }
        if item["direct"] or not direct:
            rows.append(item)
    return rows


def show_record(s: Session, term: str, *, lang: str | None = None) -> dict[str, Any]:
    """Everything about one node (see :func:`aipath_graph.show.describe`)."""
    from ..show import describe, node_graph

    lang = lang or s.lang
    engine = s.sparql()  # first: the resolver then reads its names from the same entry
    node = s.iri(term, lang)
    return describe(node_graph(engine, node), node, lang=lang)


def tree_record(s: Session, term: str, *, lang: str | None = None) -> dict[str, Any]:
    """The nested prerequisites of one node (see :func:`aipath_graph.show.prerequisite_tree`)."""
    from ..show import node_graph, prerequisite_tree

    lang = lang or s.lang
    engine = s.sparql()  # first: the resolver then reads its names from the same entry
    node = s.iri(term, lang)
    return prerequisite_tree(node_graph(engine, node, tree=True), node, lang=lang)


def queries_record() -> list[dict[str, Any]]:
    """The named queries: name, title, description and parameters."""
    from ..sparql.query import named_queries

    return [
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
        for q in named_queries().values()
    ]
