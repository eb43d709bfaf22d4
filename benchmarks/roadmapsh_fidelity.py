"""How faithfully ``aipath import roadmapsh`` carries real roadmap.sh roadmaps.

Run it on roadmaps you have (roadmap.sh's data is for personal use: keep the files
out of this repository), e.g. folders ``NAME/NAME.json`` + ``NAME/content/``
taken from kamranahmedse/developer-roadmap::

    python benchmarks/roadmapsh_fidelity.py /tmp/roadmaps/ai-engineer /tmp/roadmaps/mlops …

For each roadmap it reads the JSON itself (not through the importer) and prints one
row of figures, with the targets of issue 14 in brackets:

- topics / subtopics that arrive (all, ≥ 95%): source nodes with a label whose id
  maps to an imported skill with that label;
- under a topic (≥ 90%): subtopics and checklist items whose ``broader`` chain
  reaches a topic, or that are options of an OR group a topic requires;
- reversed arrows (0): arrows drawn from topic A to topic B where the imported
  prerequisites put B before A;
- plan share (≥ 80%): the plan to the spine's last topic holds that share of the
  topics before it in the spine;
- described (≥ 80%): nodes whose ``content/…@id.md`` file has a paragraph of text that
  carry it as their definition (older files sometimes hold only links);
- placed by: how many parts each rule put under their topic (``nearest`` is a guess
  from placement alone; the others follow something drawn).

Older formats (the "mockup" JSON) and files with a byte-order mark are imported too:
give them as further paths; their row reports what arrived.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from aipath_graph.importers import import_graph
from aipath_graph.importers.roadmapsh.content import parse_content
from aipath_graph.importers.roadmapsh.layout import attach, how_counts, spine
from aipath_graph.importers.roadmapsh.read import read_roadmap
from aipath_graph.plan import plan
from aipath_graph.project import prerequisite_graph


def _raw_nodes(path: Path) -> tuple[list[dict], list[dict], set[str]]:
    file = path / f"{path.name}.json" if path.is_dir() else path
    doc = json.loads(file.read_bytes().decode("utf-8-sig"))
    content = path / "content" if path.is_dir() else path.parent / "content"
    with_file = (
        {p.stem.rsplit("@", 1)[1] for p in content.glob("*@*.md")} if content.is_dir() else set()
    )
    if "nodes" not in doc:
        return [], [], set()
    nodes = [n for n in doc["nodes"] if isinstance(n, dict) and n.get("id")]
    return nodes, [e for e in doc.get("edges") or [] if isinstance(e, dict)], with_file


def _label(node: dict) -> str:
    return " ".join(str((node.get("data") or {}).get("label") or "").split())


def _has_description(path: Path) -> bool:
    """Whether a content file has a paragraph of text (some hold only links)."""
    return bool(parse_content(path.read_text(encoding="utf-8-sig")).definition)


def figures(path: Path) -> dict[str, object]:
    start = time.perf_counter()
    r = import_graph("roadmapsh", [path])
    seconds = time.perf_counter() - start
    skills = r.kinds["skills"]
    row: dict[str, object] = {"roadmap": path.name, "seconds": round(seconds, 2)}
    nodes, edges, with_file = _raw_nodes(path)
    if not nodes:  # older format: report what arrived
        rm = read_roadmap(path)
        row["format"] = rm.format
        row["topics"] = sum(1 for b in rm.boxes.values() if b.type == "topic")
        parts = [b.id for b in rm.boxes.values() if b.type in ("subtopic", "todo")]
        arrived = [i for i in parts if r.ids.get(i) in skills]
        row["subtopics"] = f"{len(arrived)}/{len(parts)}"
        under = sum(1 for i in arrived if skills[r.ids[i]].get("broader"))
        row["under topic"] = f"{under}/{len(parts)} = {under / max(len(parts), 1):.0%}"
        with_text = [i for i in rm.content if _has_description(rm.content[i])]
        described = sum(1 for i in with_text if "definition" in skills.get(r.ids.get(i, ""), {}))
        row["described"] = f"{described}/{len(with_text)} ({len(rm.content)} files)"
        row["resources"] = len(r.kinds["resources"])
        return row
    by_type: dict[str, list[dict]] = {}
    for n in nodes:
        if _label(n):
            by_type.setdefault(str(n.get("type")), []).append(n)

    def arrived(n: dict) -> bool:
        slug = r.ids.get(str(n["id"]))
        return slug in skills and skills[slug]["label"]["en"] == _label(n)

    topics = by_type.get("topic", [])
    parts = by_type.get("subtopic", []) + by_type.get("todo", [])
    topic_slugs = {r.ids.get(str(n["id"])) for n in topics}
    row["topics"] = f"{sum(map(arrived, topics))}/{len(topics)}"
    row["subtopics"] = f"{sum(map(arrived, parts))}/{len(parts)}"
    row["todo"] = len(by_type.get("todo", []))

    chosen = {}  # option → topics requiring its group
    for slug, s in skills.items():
        for req in s.get("requires_any", []):
            for opt in r.kinds["any_of"][req["id"]]["options"]:
                chosen.setdefault(opt, set()).add(slug)

    def under_topic(slug: str | None, depth: int = 0) -> bool:
        if slug is None or slug not in skills or depth > 5:
            return False
        ups = [*skills[slug].get("broader", []), *chosen.get(slug, ())]
        return any(u in topic_slugs or under_topic(u, depth + 1) for u in ups)

    under = sum(under_topic(r.ids.get(str(n["id"]))) for n in parts)
    row["under topic"] = f"{under}/{len(parts)} = {under / max(len(parts), 1):.0%}"

    G = prerequisite_graph(r.graph())
    ids = {str(n["id"]) for n in topics}
    drawn = [(str(e.get("source")), str(e.get("target"))) for e in edges]
    drawn = [(s, t) for s, t in drawn if s in ids and t in ids and s != t]
    reversed_ = [
        (s, t)
        for s, t in drawn
        if r.ids[t] in G and r.ids[s] in G and nx.has_path(G, r.ids[t], r.ids[s])
    ]
    row["arrows"] = len(drawn)
    row["reversed"] = len(reversed_)

    order = [r.ids[i] for i in spine(read_roadmap(path)).order]
    last = order[-1]
    steps = set(plan(G, [last]).ids) - {last}
    before = set(order[:-1])
    share = len(steps & before) / max(len(before), 1)
    row["plan to last"] = f"{len(steps & before)}/{len(before)} = {share:.0%}"

    files = read_roadmap(path).content
    content_nodes = [
        n
        for n in nodes
        if str(n["id"]) in with_file
        and r.ids.get(str(n["id"]))
        and _has_description(files[str(n["id"])])
    ]
    described = sum(1 for n in content_nodes if "definition" in skills.get(r.ids[str(n["id"])], {}))
    row["described"] = (
        f"{described}/{len(content_nodes)} = {described / max(len(content_nodes), 1):.0%}"
    )
    row["resources"] = len(r.kinds["resources"])
    rm = read_roadmap(path)
    placed = how_counts(attach(rm, spine(rm).order))
    row["placed by"] = " ".join(f"{how} {n}" for how, n in sorted(placed.items()))
    return row


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    rows = []
    for arg in argv:
        path = Path(arg)
        rows.append(figures(path))
        if path.is_file() and path.read_bytes()[:3] != b"\xef\xbb\xbf":  # the same with a BOM
            with tempfile.TemporaryDirectory() as tmp:
                bom = Path(tmp) / path.name
                bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
                row = figures(bom)
                row["roadmap"] = f"{path.name} (with BOM)"
                rows.append(row)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row.get(k, "")) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
