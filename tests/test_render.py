"""The HTML map without a browser: content, safety, layout, subgraphs and the CLI."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from aipath_graph.render import (
    RenderedMap,
    map_data,
    render_html,
    render_map,
    select_subgraph,
    to_network,
    write_html,
)
from aipath_graph.render.layout import PREREQUISITE_KINDS, layered_positions
from tests.conftest_browser import (
    XSS_DEFINITION,
    XSS_ID,
    XSS_IMG,
    XSS_REASON,
    XSS_SCRIPT,
    small_graph,
    small_plan,
    synthetic_graph,
    xss_graph,
)

VENDOR = Path(__file__).parents[1] / "aipath_graph" / "render" / "assets" / "vendor"


def embedded_data(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="aipath-data">(.*?)</script>', page, re.S
    )
    assert match, "no data element"
    return json.loads(match.group(1))


def test_page_is_self_contained() -> None:
    page = render_html(small_graph())
    assert page.startswith("<!DOCTYPE html>")
    for tag in ("<script src", "<link", "<img", "<iframe", "@import", "url(http"):
        assert tag not in page.lower(), tag
    # The only URLs are those inside vis-network's own code and licence comment.
    vendored = (VENDOR / "vis-network.min.js").read_text(encoding="utf-8")
    vendored += (VENDOR / "vis-network.css").read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    assert urls <= set(re.findall(r"https?://[^\s\"')]+", vendored))
    assert not [u for u in urls if "cdn" in u or "bootstrap" in u]
    assert "default-src 'none'" in page  # the page's CSP forbids any fetch


def test_data_carries_every_node_and_edge_with_text() -> None:
    G = small_graph()
    data = embedded_data(render_html(G, lang="zh"))
    assert {n["id"] for n in data["nodes"]} == set(G)
    assert {(e["from"], e["to"]) for e in data["edges"]} == set(G.edges)
    backprop = next(n for n in data["nodes"] if n["id"] == "backpropagation")
    assert backprop["label"] == "反向传播算法"
    assert backprop["labels"]["en"] == "Backpropagation"
    assert backprop["definition"]["zh"] == "用链式法则计算梯度。"
    assert backprop["effort"] == 6.0
    reasons = {(e["from"], e["to"]): e["reason"] for e in data["edges"]}
    assert reasons["calculus", "backpropagation"] == "The chain rule is calculus."
    assert data["ui"]["prerequisites"] == "前置要求"
    assert [t["id"] for t in data["types"]][:2] == ["Skill", "Tool"]
    assert {k["id"] for k in data["kinds"]} == {d["kind"] for *_, d in G.edges(data=True)}
    assert [s[0] for s in data["stages"]] == ["beginner", "intermediate"]


def test_hostile_text_never_reaches_the_markup() -> None:
    page = render_html(xss_graph(), title=XSS_SCRIPT)
    for hostile in (XSS_IMG, XSS_SCRIPT, XSS_DEFINITION, XSS_REASON, XSS_ID, "alert(1)>"):
        assert hostile not in page, hostile
    assert f"<title>{'&lt;script&gt;alert(2)&lt;/script&gt;'}</title>" in page
    # ...but the text itself survives the JSON round trip, to be shown as text.
    data = embedded_data(page)
    assert data["title"] == XSS_SCRIPT
    assert {n["label"] for n in data["nodes"]} >= {XSS_IMG, XSS_SCRIPT}
    assert any(n["id"] == XSS_ID for n in data["nodes"])
    assert {e["reason"] for e in data["edges"]} == {XSS_REASON, XSS_SCRIPT}
    assert page.count("</script>") == 3  # data, vis-network, map script


def test_every_prerequisite_points_right_and_stages_are_bands() -> None:
    for G in (small_graph(), synthetic_graph(1000)):
        pos = layered_positions(G)
        assert set(pos) == set(G)
        for u, v, kind in G.edges(data="kind"):
            if kind in PREREQUISITE_KINDS and G.nodes[v]["type"] != "Stage":
                assert pos[u][0] < pos[v][0], (u, v, kind)
    G = small_graph()
    pos = layered_positions(G)
    beginner = [pos[n][0] for n, s in G.nodes(data="stage") if s == "beginner"]
    intermediate = [pos[n][0] for n, s in G.nodes(data="stage") if s == "intermediate"]
    assert max(beginner) < min(intermediate)
    assert pos["beginner"][1] < min(
        y for n, (_, y) in pos.items() if n not in ("beginner", "intermediate")
    )
    assert len(set(pos.values())) == len(pos)  # no two nodes on top of each other


def test_hierarchy_layout_ignores_stages() -> None:
    G = nx.DiGraph()
    G.add_node("late-but-basic", type="Skill", stage="s2")
    G.add_node("early", type="Skill", stage="s1")
    G.add_node("s1", type="Stage", order=1)
    G.add_node("s2", type="Stage", order=2)
    stages = layered_positions(G, layout="stages")
    flat = layered_positions(G, layout="hierarchy")
    assert stages["early"][0] < stages["late-but-basic"][0]
    assert flat["early"][0] == flat["late-but-basic"][0]


def test_cyclic_display_relations_still_lay_out() -> None:
    G = small_graph()
    G.add_edge("deep-learning-basics", "pytorch", kind="requires")  # closes a cycle
    pos = layered_positions(G)
    assert set(pos) == set(G)


def test_plan_numbers_steps_and_marks_the_critical_path() -> None:
    data = map_data(small_graph(), plan=small_plan())
    steps = {n["id"]: n["step"] for n in data["nodes"] if n["step"] is not None}
    assert steps == {s["id"]: s["order"] for s in small_plan()["steps"]}
    assert {n["id"] for n in data["nodes"] if n["critical"]} == set(small_plan()["critical_path"])
    summary = data["plan"]
    assert (summary["steps"], summary["total"]) == (7, 246.0)
    assert summary["critical"] == small_plan()["critical_path"]
    assert summary["targets"] == ["fine-tuning"]
    assert [s["phase"] for s in summary["items"]] == [1, 1, 1, 2, 2, 3, 4]
    assert data["title"] == "Learning plan"
    # Steps sit in phase columns, numbered top to bottom, each with its hours.
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["calculus"]["lines"] == ["1. Calculus", "50 h"]
    assert by_id["python"]["x"] == by_id["calculus"]["x"] < by_id["backpropagation"]["x"]
    assert by_id["calculus"]["y"] < by_id["linear-algebra"]["y"] < by_id["python"]["y"]
    assert [h["lines"][0] for h in data["headers"]] == ["Phase 1", "Phase 2", "Phase 3", "Phase 4"]


def test_size_by_effort_and_by_unlocks() -> None:
    G = small_graph()
    by_effort = {n["id"]: n["size"] for n in map_data(G)["nodes"]}
    assert by_effort["linear-algebra"] > by_effort["backpropagation"]
    by_unlocks = {n["id"]: n["size"] for n in map_data(G, size_by="unlocks")["nodes"]}
    assert by_unlocks["python"] > by_unlocks["fine-tuning"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lang": "fr"}, "language"), ({"layout": "circle"}, "layout"), ({"size_by": "x"}, "size")],
)
def test_bad_options_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_html(small_graph(), **kwargs)


def test_force_layout_turns_physics_on_only_for_small_graphs() -> None:
    assert map_data(small_graph(), layout="force")["physics"] is True
    assert map_data(small_graph())["physics"] is False
    assert map_data(synthetic_graph(600), layout="force")["physics"] is False


def test_select_subgraph() -> None:
    G = small_graph()
    near = select_subgraph(G, focus=["backpropagation"], depth=1)
    assert {"calculus", "linear-algebra", "deep-learning-basics", "intermediate"} <= set(near)
    assert "python" not in near and "fine-tuning" not in near
    everything_before = select_subgraph(G, focus=["backpropagation"])
    assert "ai-engineer" in everything_before
    role = select_subgraph(G, role="ai-engineer")
    assert {"python", "git", "pytorch", "tensorflow", "calculus"} <= set(role)
    assert "d2l" not in role and "mnist-project" not in role
    assert select_subgraph(G) is G
    with pytest.raises(nx.NodeNotFound):
        select_subgraph(G, focus=["nope"])


def test_write_is_atomic_and_leaves_no_lib_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = write_html(render_html(small_graph()), tmp_path / "map.html")
    net = to_network(small_graph())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    assert target.read_text(encoding="utf-8").endswith("</html>\n")
    assert len(net.nodes) == 20 and len(net.edges) == 27
    assert {n["id"]: n["x"] for n in net.nodes}["calculus"] < {n["id"]: n["x"] for n in net.nodes}[
        "backpropagation"
    ]


def test_rendered_map_shows_in_jupyter_in_a_sandboxed_iframe(tmp_path: Path) -> None:
    m = render_map(xss_graph())
    assert isinstance(m, RenderedMap)
    frame = m._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame
    assert "<script" not in frame  # all escaped inside the attribute
    assert m.save(tmp_path / "m.html").read_text(encoding="utf-8") == str(m)


# ---- on the bundled graph, through the CLI ----


def bundled_relation_graph() -> nx.DiGraph:
    graph = pytest.importorskip("aipath_graph.graph")
    project = pytest.importorskip("aipath_graph.project")
    return project.relation_graph(graph.load_graph())


def test_bundled_graph_renders_every_node_and_edge() -> None:
    G = bundled_relation_graph()
    data = embedded_data(render_html(G))
    assert len(data["nodes"]) == G.number_of_nodes() > 100
    assert len(data["edges"]) == G.number_of_edges()
    assert [s[0] for s in data["stages"]] == ["beginner", "intermediate", "professional", "expert"]


def cli():
    pytest.importorskip("aipath_graph.cli.render")
    from aipath_graph.cli import main

    return main


def test_cli_writes_the_map(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli(), ["render", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["lang"] == "en" and len(data["nodes"]) > 100
    assert "wrote" in result.output


def test_cli_focus_role_lang_and_stdout() -> None:
    main = cli()
    result = CliRunner().invoke(
        main, ["render", "--focus", "反向传播算法", "--depth", "1", "--lang", "zh", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    data = embedded_data(result.output)
    assert data["lang"] == "zh"
    ids = {n["id"] for n in data["nodes"]}
    assert "backpropagation" in ids and len(ids) < 40
    result = CliRunner().invoke(
        main, ["--lang", "zh", "render", "--role", "ai-engineer", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    assert embedded_data(result.output)["lang"] == "zh"
    assert embedded_data(result.output)["title"] == "AI工程师 · 技能图谱"


def test_cli_plan_map(tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    profile = tmp_path / "me.yaml"
    profile.write_text("knows: [python-basics]\ngoals: [微调技术]\n", encoding="utf-8")
    result = CliRunner().invoke(cli(), ["render", "--profile", str(profile), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    steps = sorted((n["step"], n["id"]) for n in data["nodes"] if n["step"] is not None)
    assert steps[-1][1] == "fine-tuning" and [s for s, _ in steps] == list(range(1, len(steps) + 1))
    assert "python-basics" not in {n["id"] for n in data["nodes"]}
    assert data["plan"]["critical"][-1] == "fine-tuning"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "no-such-role"], "unknown term"),
        (["--have", "python-basics"], "--plan-to"),
        (["--depth", "2"], "--focus"),
    ],
)
def test_cli_errors_are_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli(), ["render", "-o", "-", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_render_into_a_missing_folder_is_one_line(invoke, tmp_path):
    result = invoke("render", "-o", str(tmp_path / "no" / "such" / "map.html"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1


def test_a_plan_map_names_its_stages_though_the_stage_nodes_are_left_out(invoke, tmp_path):
    out = tmp_path / "plan.html"
    result = invoke("--lang", "zh", "render", "--plan-to", "微调技术", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '"stageLabel": "入门阶段"' in page or '"stageLabel":"入门阶段"' in page
    assert '"stageLabel": "beginner"' not in page and '"stageLabel":"beginner"' not in page


# ---- the readable box maps ----


def boxes_overlap(data: dict, ids: set[str]) -> list[tuple[str, str]]:
    """Pairs of boxes (estimated from the layout's widths and lines) that overlap."""
    from aipath_graph.render.layout import box_height

    rects = []
    for n in data["nodes"]:
        if n["id"] in ids:
            h = box_height(len(n["lines"]))
            rects.append(
                (n["id"], n["x"] - n["w"] / 2, n["y"] - h / 2, n["x"] + n["w"] / 2, n["y"] + h / 2)
            )
    out = []
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5:
                out.append((a[0], b[0]))
    return out


def test_the_overview_folds_parents_and_keeps_details_behind_filters() -> None:
    G = bundled_relation_graph()
    data = map_data(G, overview=True)
    assert {"Resource", "Category", "Trend", "UseCase"} <= set(data["hiddenTypes"])
    assert "teaches" not in data["firstKinds"] and "requires" in data["firstKinds"]
    folded = {p for c in data["clusters"] for p in c["parts"]}
    assert folded and all(
        c["lines"][-1].endswith(f"(+{len(c['parts'])})") for c in data["clusters"]
    )
    hidden = set(data["hiddenTypes"])
    first = {n["id"] for n in data["nodes"] if n["type"] not in hidden and n["id"] not in folded}
    assert len(first) <= 120
    # Shown boxes never overlap, nor do the hidden ones once shown (they go below).
    assert boxes_overlap(data, first) == []
    assert boxes_overlap(data, {n["id"] for n in data["nodes"] if n["id"] not in folded}) == []
    everything = map_data(G, overview=True, show_all=True)
    assert everything["hiddenTypes"] == [] and everything["clusters"] == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_box_labels_are_wrapped_to_their_box(lang: str) -> None:
    from aipath_graph.render.layout import FONT, MARGIN, text_em

    data = map_data(bundled_relation_graph(), lang=lang, overview=True)
    for n in data["nodes"]:
        widest = max(text_em(line) for line in n["lines"]) * FONT
        assert widest + 2 * MARGIN <= n["w"], n
    long = max(data["nodes"], key=lambda n: len(n["label"]))
    assert len(long["lines"]) >= 2


def test_text_width_counts_cjk_as_full_width() -> None:
    from aipath_graph.render.layout import text_em, wrap_label

    assert text_em("微调技术") == 4.0 > text_em("tune")
    assert wrap_label("反向传播算法与自动微分", 6) == ["反向传播算法", "与自动微分"]
    assert wrap_label("Backpropagation", 3) == ["Backpropagation"]  # a word is not split


def test_a_synthetic_map_of_5000_nodes_lays_out_without_overlap() -> None:
    data = map_data(synthetic_graph(5000))
    ids = {n["id"] for n in data["nodes"] if n["type"] != "Stage"}
    xs = sorted({n["x"] for n in data["nodes"] if n["id"] in ids})
    # No overlap within a lane (boxes of a lane share x).
    by_x: dict[float, list[dict]] = {}
    for n in data["nodes"]:
        if n["id"] in ids:
            by_x.setdefault(n["x"], []).append(n)
    from aipath_graph.render.layout import box_height

    for lane in by_x.values():
        lane.sort(key=lambda n: n["y"])
        for a, b in itertools.pairwise(lane):
            assert (
                a["y"] + box_height(len(a["lines"])) / 2 <= b["y"] - box_height(len(b["lines"])) / 2
            )
    assert len(xs) > 4


def test_cli_all_hours_per_week_and_their_errors(tmp_path: Path) -> None:
    main = cli()
    result = CliRunner().invoke(main, ["render", "--all", "-o", "-"])
    assert result.exit_code == 0, result.output
    data = embedded_data(result.output)
    assert data["hiddenTypes"] == [] and data["clusters"] == []
    result = CliRunner().invoke(main, ["render", "-o", "-"])
    assert embedded_data(result.output)["clusters"]
    result = CliRunner().invoke(
        main, ["render", "--plan-to", "微调技术", "--hours-per-week", "8", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    assert embedded_data(result.output)["plan"]["hoursPerWeek"] == 8.0
    result = CliRunner().invoke(main, ["render", "--plan-to", "微调技术", "-o", "-"])
    assert embedded_data(result.output)["plan"]["hoursPerWeek"] == 10.0
    result = CliRunner().invoke(main, ["render", "--hours-per-week", "8", "-o", "-"])
    assert result.exit_code == 2 and "--plan-to" in result.output
    result = CliRunner().invoke(
        main, ["render", "--plan-to", "x", "--hours-per-week", "0", "-o", "-"]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
