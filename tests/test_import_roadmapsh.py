"""`aipath import roadmapsh` on fixtures in roadmap.sh's JSON format (its data is never bundled)."""

from __future__ import annotations

from pathlib import Path

from aipath_graph.graph import load_graph
from aipath_graph.importers import import_graph
from aipath_graph.project import prerequisite_graph

DATA = Path(__file__).parent / "data" / "roadmapsh"


def test_topics_spine_and_subtopics():
    r = import_graph("roadmapsh", [DATA / "mini-roadmap.json"])
    s = r.kinds["skills"]
    assert s["rm-mathematics"]["requires"] == ["rm-programming-fundamentals"]
    assert s["rm-deep-learning"]["requires"] == ["rm-machine-learning"]  # edge drawn bottom-up
    assert s["rm-git"]["broader"] == ["rm-programming-fundamentals"]  # edge subtopic -> topic
    assert s["rm-git-2"]["broader"] == ["rm-deep-learning"]
    assert "broader" not in s["rm-prompt-engineering"]
    assert r.warnings.summary() == {
        "layout": 4,
        "no-label": 1,
        "dangling": 1,
        "sub-sub": 1,
        "copy-zh": 13,
        "orphan": 1,
        "effort": 13,
        "dup-label": 1,
    }
    assert any("personal use only" in n for n in r.notices)
    G = prerequisite_graph(r.graph())
    assert G.has_edge("rm-calculus", "rm-mathematics")


def test_spine_from_positions():
    r = import_graph("roadmapsh", [DATA / "no-spine.json"])
    s = r.kinds["skills"]
    assert s["rm-data-wrangling"]["requires"] == ["rm-statistics"]
    assert s["rm-visualisation"]["requires"] == ["rm-data-wrangling"]
    assert r.warnings.count("spine") == 1


def test_cli_prints_the_licence_reminder(invoke, tmp_path):
    out = tmp_path / "roadmap.yaml"
    result = invoke("import", "roadmapsh", str(DATA / "mini-roadmap.json"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "personal use only" in result.stderr
    assert "personal use only" in out.read_text(encoding="utf-8").splitlines()[1]
    load_graph([out])


def test_not_a_roadmap(invoke, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"title": "no nodes"}')
    result = invoke("import", "roadmapsh", str(bad))
    assert result.exit_code == 3 and "not a roadmap.sh roadmap" in result.stderr
