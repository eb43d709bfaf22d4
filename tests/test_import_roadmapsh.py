"""`aipath import roadmapsh` on synthetic roadmaps in roadmap.sh's shapes (its data is never bundled)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aipath_graph.errors import DataError
from aipath_graph.graph import load_graph
from aipath_graph.importers import import_graph
from aipath_graph.plan import plan
from aipath_graph.project import prerequisite_graph

DATA = Path(__file__).parent / "data" / "roadmapsh"
MINI = DATA / "mini-roadmap"
P = "mini-roadmap-"


@pytest.fixture(scope="module")
def mini():
    return import_graph("roadmapsh", [MINI])


def _box(i, kind, label, x, y, w=200, h=49):
    """A roadmap.sh node at (x, y), w × h."""
    return {"id": i, "type": kind, "position": {"x": x, "y": y}, "width": w,
            "height": h, "data": {"label": label}}  # fmt: skip


def _reqs(node):
    return [r["id"] for r in node.get("requires", [])]


def test_spine_follows_arrows_and_the_drawn_path(mini):
    s = mini.kinds["skills"]
    # an arrow through a heading paragraph joins two topics
    assert _reqs(s[P + "mathematics"]) == [P + "programming-fundamentals"]
    # an arrow drawn right to left on one row keeps its direction (not left-to-right order)
    assert _reqs(s[P + "calculus"]) == [P + "mathematics"]
    # no arrow: the vertical line and the positions give the next step
    assert _reqs(s[P + "machine-learning"]) == [P + "calculus"]
    assert "after 'Calculus'" in s[P + "machine-learning"]["requires"][0]["reason"]
    G = prerequisite_graph(mini.graph())
    steps = plan(G, [P + "deep-learning"]).ids
    topics = ["programming-fundamentals", "mathematics", "calculus", "machine-learning"]
    assert all(P + t in steps for t in topics)
    assert steps.index(P + "mathematics") < steps.index(P + "calculus")


def test_subtopics_sit_under_their_topics(mini):
    s = mini.kinds["skills"]
    assert s[P + "python-basics"]["broader"] == [P + "programming-fundamentals"]  # arrow
    assert s[P + "git"]["broader"] == [P + "programming-fundamentals"]  # stacked under it
    assert s[P + "linear-regression"]["broader"] == [P + "machine-learning"]  # nearest
    # the same label twice: two ids, each named after its topic, and a warning
    assert s[P + "datasets-machine-learning"]["broader"] == [P + "machine-learning"]
    assert s[P + "datasets-deep-learning"]["broader"] == [P + "deep-learning"]  # arrow to topic
    assert mini.warnings.count("dup-label") == 1
    # a checklist item is a skill of the topic above it
    assert s[P + "train-a-small-network"]["broader"] == [P + "deep-learning"]


def test_sections_become_categories_and_pick_one_an_or_group(mini):
    s = mini.kinds["skills"]
    assert s[P + "overfitting"]["category"] == P + "core-ideas"
    # a heading outside any section names the stack under it
    assert s[P + "git"]["category"] == s[P + "python-basics"]["category"] == P + "getting-started"
    assert mini.kinds["categories"][P + "core-ideas"]["label"]["en"] == "Core Ideas"
    group = P + "one-of-popular-frameworks-pick-one"
    assert mini.kinds["any_of"][group]["options"] == [P + "pytorch", P + "tensorflow"]
    assert [r["id"] for r in s[P + "machine-learning"]["requires_any"]] == [group]
    assert "broader" not in s[P + "pytorch"]  # an option is not a required part
    G = prerequisite_graph(mini.graph())
    p = plan(G, [P + "machine-learning"])
    assert len({P + "pytorch", P + "tensorflow"} & set(p.ids)) == 1


def test_content_gives_definitions_and_resources(mini):
    s, res = mini.kinds["skills"], mini.kinds["resources"]
    assert s[P + "programming-fundamentals"]["definition"]["en"] == (
        "Writing small programs that read data, loop over it and report results, "
        "in a language such as Python."
    )
    assert "definition" in s[P + "pytorch"]  # a subtopic's file
    by_url = {r["url"]: r for r in res.values()}
    assert by_url["https://example.org/python/tutorial"]["type"] == "docs"
    assert by_url["https://example.org/videos/ten-minutes"]["type"] == "video"
    assert by_url["https://example.org/repos/pytorch"]["type"] == "repo"
    shared = by_url["https://example.org/articles/thinking"]
    assert shared["type"] == "article"
    assert shared["teaches"] == [P + "programming-fundamentals", P + "pytorch"]
    assert "https://example.org/roadmaps/deep-learning" not in by_url
    assert mini.warnings.count("link-roadmap") == 1
    # a resource button teaches the checklist item above it
    button = by_url["https://example.org/courses/deep-learning-basics"]
    assert (button["type"], button["teaches"]) == ("course", [P + "train-a-small-network"])


def test_warnings_count_topics_and_subtopics_apart(mini):
    w = mini.warnings.summary()
    assert (w["effort-topic"], w["effort-subtopic"], w["effort-todo"]) == (5, 8, 1)
    assert w["no-label"] == 1 and w["dangling"] == 1 and w["nearest"] == 2
    lines = "\n".join(mini.warnings.lines())
    assert "5 topics have no effort" in lines and "8 subtopics have no effort" in lines


def test_a_json_file_alone_reads_the_content_beside_it():
    r = import_graph("roadmapsh", [MINI / "mini-roadmap.json"])
    assert "definition" in r.kinds["skills"][P + "mathematics"]


def test_older_mockup_format():
    r = import_graph("roadmapsh", [DATA / "mini-mockup" / "mini-mockup.json"])
    s = r.kinds["skills"]
    # the author's numbers give the order, though Tooling is drawn above
    assert _reqs(s["mini-mockup-tooling"]) == ["mini-mockup-the-basics"]
    assert s["mini-mockup-syntax"]["broader"] == ["mini-mockup-the-basics"]
    assert s["mini-mockup-vim"]["broader"] == ["mini-mockup-editors"]
    assert s["mini-mockup-editors"]["broader"] == ["mini-mockup-tooling"]
    assert len(s) == 6  # the note and the external link are layout
    # its content folder: NNN-topic/index.md and NNN-sub.md, numbers stripped to match
    assert "syntax and the built-in" in s["mini-mockup-the-basics"]["definition"]["en"]
    assert "definition" in s["mini-mockup-data-types"] and "definition" in s["mini-mockup-vim"]
    res = r.kinds["resources"]["mini-mockup-a-tour-of-the-basics"]
    assert res["teaches"] == ["mini-mockup-the-basics"]
    untagged = r.kinds["resources"]["mini-mockup-types-explained"]  # older content: no tag
    assert (untagged["type"], untagged["teaches"]) == ("article", ["mini-mockup-data-types"])


def test_older_checklist_mockup():
    """Early 2024: titled boxes as topics, checklist groups, ext_link resource groups."""
    r = import_graph("roadmapsh", [DATA / "mini-checklist"])
    s = r.kinds["skills"]
    P2 = "mini-checklist-"
    # one row: Mathematics is drawn 4 px lower but to the left, so it comes first
    assert _reqs(s[P2 + "statistics"]) == [P2 + "mathematics"]
    assert _reqs(s[P2 + "coding"]) == [P2 + "statistics"]
    assert s[P2 + "hypothesis-tests"]["broader"] == [P2 + "statistics"]
    assert s[P2 + "learn-sql"]["broader"] == [P2 + "coding"]
    assert "definition" in s[P2 + "linear-algebra-and-calculus"]
    by_url = {v["url"]: v for v in r.kinds["resources"].values()}
    paper = by_url["https://example.org/papers/testing"]
    assert (paper["type"], paper["teaches"]) == ("paper", [P2 + "hypothesis-tests"])
    assert not any("roadmap.sh" in url for url in by_url)


def test_byte_order_mark():
    r = import_graph("roadmapsh", [DATA / "bom-roadmap.json"])
    assert r.kinds["skills"]["bom-roadmap-charts"]["broader"] == ["bom-roadmap-visualisation"]


def test_spine_from_positions_alone():
    r = import_graph("roadmapsh", [DATA / "no-spine.json"])
    s = r.kinds["skills"]
    assert _reqs(s["no-spine-data-wrangling"]) == ["no-spine-statistics"]
    assert _reqs(s["no-spine-visualisation"]) == ["no-spine-data-wrangling"]


def test_two_imports_load_together_beside_the_bundled_graph(tmp_path):
    a, b = tmp_path / "mini.yaml", tmp_path / "bom.ttl"
    import_graph("roadmapsh", [MINI]).write(a)
    import_graph("roadmapsh", [DATA / "bom-roadmap.json"]).write(b)
    from aipath_graph.bundled import default_sources

    g = load_graph([*default_sources(), a, b])
    G = prerequisite_graph(g)
    assert P + "deep-learning" in G and "bom-roadmap-visualisation" in G


def test_prefix_can_be_given():
    r = import_graph("roadmapsh", [DATA / "bom-roadmap.json"], prefix="rm")
    assert "rm-charts" in r.kinds["skills"]


def test_cli_imports_a_folder_with_the_licence_note(invoke, tmp_path):
    out = tmp_path / "roadmap.yaml"
    result = invoke("import", "roadmapsh", str(MINI), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "personal use only" in result.stderr
    assert "14 skills" in result.stderr and "5 topics have no effort" in result.stderr
    head = out.read_text(encoding="utf-8").splitlines()[:3]
    assert any("personal use only" in line for line in head)
    load_graph([out])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"title": "no nodes"}', "not a roadmap.sh roadmap"),
        ('{"nodes": [', "not valid JSON"),
        ('{"nodes": [{"id": "x", "type": "paragraph", "data": {"label": "hi"}}]}', "no topics"),
    ],
)
def test_bad_input_is_one_line(invoke, tmp_path, text, expected):
    bad = tmp_path / "x.json"
    bad.write_text(text)
    result = invoke("import", "roadmapsh", str(bad))
    assert result.exit_code == 3, result.output
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_folder_without_its_json_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no roadmap JSON"):
        import_graph("roadmapsh", [tmp_path / "empty"])


@pytest.fixture
def imported(tmp_path):
    out = tmp_path / "bom.yaml"
    import_graph("roadmapsh", [DATA / "bom-roadmap.json"]).write(out)
    return out


@pytest.mark.parametrize(
    ("command", "marker"),
    [
        (["build", "--format", "ttl"], "# roadmap.sh content is licensed for personal use only"),
        (["build", "--format", "jsonld"], "notice: roadmap.sh content"),
        (["export", "--format", "graphml"], "<!-- roadmap.sh content is licensed"),
        (["export", "--format", "mermaid"], "%% roadmap.sh content is licensed"),
        (["export", "--format", "nt"], "# roadmap.sh content is licensed"),
        (["render"], 'class="licence-note"'),
    ],
)
def test_outputs_from_an_import_carry_its_licence_note(invoke, tmp_path, imported, command, marker):
    out = tmp_path / "out.txt"
    result = invoke("--data", str(imported), *command, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert marker in out.read_text(encoding="utf-8")


def test_bundled_outputs_have_no_licence_note(invoke):
    result = invoke("export", "--format", "mermaid", "--focus", "backpropagation", "--depth", "1")
    assert result.exit_code == 0, result.output
    assert "personal use" not in result.stdout


def test_a_stack_of_topics_is_read_together(tmp_path):
    """Two columns of stacked topics whose rows interleave: each stack stays in one piece."""
    import json

    def topic(i, label, x, y):
        return {"id": i, "type": "topic", "position": {"x": x, "y": y}, "width": 200,
                "height": 49, "data": {"label": label}}  # fmt: skip

    doc = {
        "nodes": [
            topic("a1", "Alpha one", 0, 100),
            topic("a2", "Alpha two", 0, 153),
            topic("a3", "Alpha three", 0, 206),
            topic("b1", "Beta one", 400, 130),
            topic("b2", "Beta two", 400, 183),
        ],
        "edges": [],
    }
    path = tmp_path / "stacks.json"
    path.write_text(json.dumps(doc))
    s = import_graph("roadmapsh", [path]).kinds["skills"]
    assert _reqs(s["stacks-alpha-three"]) == ["stacks-alpha-two"]
    assert _reqs(s["stacks-beta-one"]) == ["stacks-alpha-three"]
    assert _reqs(s["stacks-beta-two"]) == ["stacks-beta-one"]


def test_lines_wire_a_stack_to_its_topic(tmp_path):
    """A stack hangs from a topic by two lines joined end to end, one stopping short."""
    import json

    doc = {
        "nodes": [
            _box("t1", "topic", "Clustering", 0, 0),
            _box("t2", "topic", "Evaluation", 0, 600),
            _box("l1", "vertical", "vertical node", 90, 49, 20, 100),  # topic ... l2
            _box("l2", "vertical", "vertical node", 90, 152, 20, 78),  # l1 ... 10 px short
            _box("s1", "subtopic", "K-Means", 0, 240),
            _box("s2", "subtopic", "DBSCAN", 0, 293),
            _box("s3", "subtopic", "Mixture Models", 0, 346),
        ],
        "edges": [],
    }
    path = tmp_path / "wired.json"
    path.write_text(json.dumps(doc))
    s = import_graph("roadmapsh", [path]).kinds["skills"]
    # Mixture Models sits nearer to Evaluation, but its stack is wired to Clustering
    assert {s[f"wired-{k}"]["broader"][0] for k in ("k-means", "dbscan", "mixture-models")} == {
        "wired-clustering"
    }


@pytest.mark.parametrize(
    "doc",
    [
        # a topic with no label still has arrows; values of the wrong type everywhere
        {"nodes": [{"id": "a", "type": "topic", "data": {"label": "A"}},
                   {"id": "b", "type": "topic", "data": None, "position": [1, 2]},
                   {"id": "c", "type": "subtopic", "data": {"label": 7}, "style": "x"}],
         "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}, 3]},
        {"nodes": [{"id": "a", "type": "topic", "data": {"label": "A"}}], "edges": 2.5},
        {"mockup": {"controls": {"control": [
            {"typeID": "__group__", "properties": [], "children": 5},
            {"typeID": "__group__", "properties": {"controlName": "100-a"},
             "children": {"controls": {"control": [{"typeID": "Canvas"},
                                                    {"typeID": "Label", "properties": None}]}}},
            {"typeID": "Label", "properties": {"text": "Lone"}}]}}},
    ],
)  # fmt: skip
def test_malformed_roadmaps_never_raise_a_traceback(invoke, tmp_path, doc):
    import json

    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    result = invoke("import", "roadmapsh", str(path))  # an exception would propagate
    assert result.exit_code in (0, 3), result.output


def test_headings_under_their_groups(tmp_path):
    """roadmap.sh often writes a heading under the items it names, two to a section."""
    import json

    doc = {
        "nodes": [
            _box("t", "topic", "Safety", 0, 0),
            {"id": "sec", "type": "section", "position": {"x": 300, "y": 0}, "width": 220},
            _box("a1", "subtopic", "Prompt Injection", 310, 10),
            _box("h1", "label", "Risks", 320, 62, 180, 36),
            _box("b1", "subtopic", "Moderation", 310, 110),
            _box("b2", "subtopic", "Red Teaming", 310, 163),
            _box("h2", "label", "Practices", 320, 215, 180, 36),
        ],
        "edges": [{"source": "t", "target": "sec"}],
    }
    doc["nodes"][1]["height"] = 260
    path = tmp_path / "under.json"
    path.write_text(json.dumps(doc))
    s = import_graph("roadmapsh", [path]).kinds["skills"]
    assert s["under-prompt-injection"]["category"] == "under-risks"
    assert s["under-moderation"]["category"] == s["under-red-teaming"]["category"]
    assert s["under-red-teaming"]["category"] == "under-practices"
    assert s["under-moderation"]["broader"] == ["under-safety"]  # the arrow to its section


def test_arrows_in_a_loop_keep_the_one_pointing_down(tmp_path):
    import json

    def topic(i, label, y):
        return {"id": i, "type": "topic", "position": {"x": 0, "y": y}, "width": 200,
                "height": 49, "data": {"label": label}}  # fmt: skip

    doc = {
        "nodes": [topic("a", "Above", 0), topic("b", "Below", 200)],
        "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}],
    }
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(doc))
    r = import_graph("roadmapsh", [path])
    assert _reqs(r.kinds["skills"]["loop-below"]) == ["loop-above"]
    assert "loop-below" not in _reqs(r.kinds["skills"]["loop-above"])
    assert r.warnings.count("cycle-arrow") == 1
