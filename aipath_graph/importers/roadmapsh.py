"""Import a roadmap.sh roadmap JSON that the user supplies.

roadmap.sh's content is licensed for personal use only: it is never bundled,
and the importer adds a reminder to its notices (the CLI prints it).

The JSON is a flow diagram: ``nodes`` (each with ``id``, ``type``, ``position``
and ``data.label``) and ``edges`` (``source``, ``target``). Mapping: ``topic``
nodes → skills that form the spine, ordered top to bottom (each topic
``requires`` the one above it along the drawn topic-to-topic edges, or, when
none are drawn, the previous topic by position); ``subtopic`` nodes → skills
that are parts (``broader``) of the topic they are linked to. Layout nodes
(titles, paragraphs, buttons, lines, sections…) are skipped and counted.

Examples
--------
>>> from pathlib import Path
>>> r = import_source([Path("tests/data/roadmapsh/mini-roadmap.json")])
>>> r.kinds["skills"]["rm-python-basics"]["broader"]
['rm-programming-fundamentals']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import DataError
from .common import Draft, ImportResult

NOTICE = (
    "roadmap.sh content is licensed for personal use only: keep the imported graph "
    "to yourself; do not publish or bundle it"
)
#: Default placeholder effort (hours) of an imported topic.
DEFAULT_EFFORT = 10.0


def _pos(node: dict[str, Any]) -> tuple[float, float]:
    pos = node.get("position") or {}
    try:
        return float(pos.get("y", 0)), float(pos.get("x", 0))
    except (TypeError, ValueError):
        return 0.0, 0.0


def _label(node: dict[str, Any]) -> str:
    data = node.get("data") or {}
    return str(data.get("label") or "").strip() if isinstance(data, dict) else ""


def import_source(
    paths: Sequence[Path], *, prefix: str = "rm", effort: float = DEFAULT_EFFORT
) -> ImportResult:
    """Import one roadmap.sh JSON file; see the module docstring."""
    if len(paths) != 1:
        raise DataError("roadmapsh: give one roadmap JSON file")
    path = paths[0]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read as JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        raise DataError(f"{path}: not a roadmap.sh roadmap (no 'nodes' list)")
    draft = Draft("roadmapsh", str(path), prefix=prefix)
    draft.notices.append(NOTICE)
    draft.header = [
        f"Imported by 'aipath import roadmapsh' from {path}.",
        "roadmap.sh content: personal use only. Do not publish or bundle this file.",
    ]
    nodes = {str(n["id"]): n for n in doc["nodes"] if isinstance(n, dict) and "id" in n}
    content = {i: n for i, n in nodes.items() if n.get("type") in ("topic", "subtopic")}
    for i, n in nodes.items():
        if i not in content:
            draft.warnings.add(
                "layout",
                "{n} layout nodes (titles, paragraphs, lines, buttons…) skipped",
                str(n.get("type")),
            )
    for i, n in list(content.items()):
        if not _label(n):
            draft.warnings.add("no-label", "{n} topics had no label; skipped", i)
            del content[i]
    topics = sorted(
        (i for i, n in content.items() if n["type"] == "topic"), key=lambda i: _pos(content[i])
    )
    edges = []
    for e in doc.get("edges") or []:
        if not isinstance(e, dict):
            continue
        s, t = str(e.get("source")), str(e.get("target"))
        if s not in nodes or t not in nodes:
            draft.warnings.add("dangling", "{n} edges pointed at no node; dropped", f"{s} -> {t}")
        elif s in content and t in content:
            edges.append((s, t))
    rank = {i: k for k, i in enumerate(topics)}
    spine: dict[str, set[str]] = {}
    parent: dict[str, list[str]] = {}
    for s, t in edges:
        if s in rank and t in rank:
            first, then = sorted((s, t), key=rank.__getitem__)
            spine.setdefault(then, set()).add(first)
        elif (s in rank) != (t in rank):
            topic, sub = (s, t) if s in rank else (t, s)
            parent.setdefault(sub, []).append(topic)
        else:
            draft.warnings.add(
                "sub-sub",
                "{n} links between two subtopics not mapped",
                f"{_label(content[s])} - {_label(content[t])}",
            )
    if topics and not spine and len(topics) > 1:
        draft.warnings.add(
            "spine",
            "no topic-to-topic edges: the topics were ordered by position ({n} roadmap)",
            path.name,
        )
        spine = {b: {a} for a, b in pairwise(topics)}
    slug = {i: draft.slug(i, _label(content[i])) for i in [*topics, *sorted(content)]}
    for i in topics:
        draft.add(
            "skills",
            i,
            {"en": _label(content[i])},
            effort=effort,
            requires=sorted(slug[p] for p in spine.get(i, ())),
        )
    for i in sorted(content, key=lambda i: _pos(content[i])):
        if content[i]["type"] != "subtopic":
            continue
        parents = sorted({slug[p] for p in parent.get(i, [])})
        if not parents:
            draft.warnings.add(
                "orphan", "{n} subtopics linked to no topic (kept on their own)", _label(content[i])
            )
        draft.add("skills", i, {"en": _label(content[i])}, effort=effort, broader=parents)
    n_skills = len(draft.kinds["skills"])
    for _ in range(n_skills):
        draft.warnings.add(
            "effort",
            f"{{n}} topics have no effort in the source; set to "
            f"{effort:g} h (a placeholder to curate)",
        )
    return draft.finish()
