"""The map page in a real headless Chromium: offline, complete, searchable, safe.

Screenshots go to ``tests/artifacts/`` (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from aipath_graph.render import render_html, write_html
from tests.conftest_browser import (
    ARTIFACTS,
    XSS_DEFINITION,
    XSS_IMG,
    XSS_REASON,
    XSS_SCRIPT,
    measure_labels,
    needs_chromium,
    open_map,
    small_graph,
    small_plan,
    xss_graph,
)
from tests.conftest_server import live_fixture  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, needs_chromium]

# Visible graph nodes and edges (column headers, whose ids start with §, are not nodes).
COUNTS = (
    "[aipathMap.network.body.nodeIndices.filter(id => !String(id).startsWith('§')).length,"
    " aipathMap.network.body.edgeIndices.length]"
)


def open_graph(chromium: Any, tmp_path: Path, G: nx.DiGraph, **options: Any) -> tuple[Any, Any]:
    path = write_html(render_html(G, **options), tmp_path / "map.html")
    return open_map(chromium, path)


def assert_clean(log: Any) -> None:
    assert log.requests == [], log.requests
    assert log.errors == [], log.errors
    assert log.dialogs == [], log.dialogs


def test_map_draws_every_node_and_edge_offline(chromium: Any, tmp_path: Path) -> None:
    G = small_graph()
    page, log = open_graph(chromium, tmp_path, G, show_all=True)
    assert page.evaluate(COUNTS) == [G.number_of_nodes(), G.number_of_edges()]
    assert page.text_content("#map-title") == "AI engineer skill map"
    legend = page.locator("#type-filters").inner_text()
    assert "Skill" in legend and "Any one of" in legend
    assert_clean(log)


def test_search_focuses_the_node(chromium: Any, tmp_path: Path) -> None:
    page, log = open_graph(chromium, tmp_path, small_graph())
    page.fill("#search", "反向传播")
    assert page.locator("#search-results li").first.inner_text().startswith("Backpropagation")
    page.press("#search", "Enter")
    assert page.evaluate("aipathMap.network.getSelectedNodes()") == ["backpropagation"]
    # The view is centred on it.
    centre = page.evaluate("aipathMap.network.getViewPosition()")
    node = page.evaluate("aipathMap.network.getPositions(['backpropagation']).backpropagation")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    assert page.text_content("#details h2") == "Backpropagation"
    page.fill("#search", "fine")
    page.locator("#search-results li", has_text="Fine-tuning").click()
    assert page.evaluate("aipathMap.network.getSelectedNodes()") == ["fine-tuning"]
    assert_clean(log)


def click_node(page: Any, node_id: str) -> None:
    box = page.locator("#network canvas").bounding_box()
    dom = page.evaluate(
        "id => { const n = aipathMap.network; return n.canvasToDOM(n.getPositions([id])[id]); }",
        node_id,
    )
    page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])


def test_click_opens_details_with_the_right_text(chromium: Any, tmp_path: Path) -> None:
    page, log = open_graph(chromium, tmp_path, small_graph())
    assert page.locator("#details").is_hidden()
    click_node(page, "backpropagation")
    details = page.locator("#details")
    assert details.is_visible()
    text = details.inner_text()
    for expected in (
        "Backpropagation",
        "反向传播算法",
        "6 h",
        "Intermediate stage",
        "Computing gradients with the chain rule.",
        "Calculus",
        "The chain rule is calculus.",
        "Gradients are vectors and matrices.",
        "Deep learning basics",
        "Training needs gradients.",
    ):
        assert expected in text, expected
    # Following a link in the panel moves to that node.
    page.locator("#details button.link", has_text="Calculus").click()
    assert page.text_content("#details h2") == "Calculus"
    assert_clean(log)


def test_hover_lights_the_prerequisite_chain(chromium: Any, tmp_path: Path) -> None:
    page, _ = open_graph(chromium, tmp_path, small_graph())
    box = page.locator("#network canvas").bounding_box()
    dom = page.evaluate(
        "(() => { const n = aipathMap.network;"
        " return n.canvasToDOM(n.getPositions(['deep-learning-basics'])"
        "['deep-learning-basics']); })()"
    )
    page.mouse.move(box["x"] + dom["x"], box["y"] + dom["y"])
    page.wait_for_function("aipathMap.nodes.get('calculus').borderWidth === 4")
    lit = page.evaluate("aipathMap.nodes.get().filter(n => n.borderWidth === 4).map(n => n.id)")
    assert set(lit) == {
        "deep-learning-basics",
        "backpropagation",
        "calculus",
        "linear-algebra",
        "python",
    }


def test_filters_hide_by_type_and_stage(chromium: Any, tmp_path: Path) -> None:
    G = small_graph()
    page, _ = open_graph(chromium, tmp_path, G, show_all=True)
    page.locator("#type-filters input[data-key='Resource']").uncheck()
    page.locator("#stage-filters input[data-key='beginner']").uncheck()
    hidden = page.evaluate("aipathMap.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    expected = {
        n for n, d in G.nodes(data=True) if d["type"] == "Resource" or d["stage"] == "beginner"
    }
    assert set(hidden) == expected
    visible = page.evaluate(COUNTS)
    assert visible[0] == G.number_of_nodes() - len(expected)


def test_hostile_labels_are_shown_as_text_and_run_nothing(chromium: Any, tmp_path: Path) -> None:
    page, log = open_graph(chromium, tmp_path, xss_graph(), title=XSS_SCRIPT)
    assert page.title() == XSS_SCRIPT
    assert page.text_content("#map-title") == XSS_SCRIPT
    page.fill("#search", "onerror")
    assert XSS_IMG in page.locator("#search-results").inner_text()
    page.press("#search", "Enter")
    details = page.locator("#details").inner_text()
    assert XSS_IMG in details and XSS_DEFINITION in details and XSS_REASON in details
    click_node(page, "script")
    assert XSS_SCRIPT in page.locator("#details h2").inner_text()
    # No element was created from the labels, and no dialog opened.
    assert page.locator("img, svg[onload], b[onmouseover]").count() == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert_clean(log)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-xss.png"))


def test_the_full_graph_and_a_plan_map(chromium: Any, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    G = small_graph()
    try:
        from aipath_graph.graph import load_graph
        from aipath_graph.project import relation_graph

        G = relation_graph(load_graph())
    except ImportError:  # pragma: no cover - before the foundation exists
        pass
    page, log = open_graph(chromium, tmp_path, G, show_all=True)
    assert page.evaluate(COUNTS) == [G.number_of_nodes(), G.number_of_edges()]
    assert_clean(log)
    page.screenshot(path=str(ARTIFACTS / "map-all.png"))
    page, log = open_graph(chromium, tmp_path, small_graph(), plan=small_plan())
    labels = page.evaluate("aipathMap.nodes.get(['calculus', 'fine-tuning']).map(n => n.label)")
    assert labels == ["1. Calculus\n50 h", "7. Fine-tuning\n20 h"]
    assert page.evaluate("aipathMap.nodes.get('backpropagation').borderWidth") == 3
    assert "7 steps" in page.text_content("#plan-summary")
    assert_clean(log)
    assert (ARTIFACTS / "map-all.png").stat().st_size > 10_000


def test_a_folded_parent_opens_on_click(chromium: Any, tmp_path: Path) -> None:
    page, log = open_graph(chromium, tmp_path, small_graph())
    visible = page.evaluate("aipathMap.network.body.nodeIndices")
    assert "python" not in visible and "▸programming" in visible
    assert page.evaluate("aipathMap.network.body.nodes['▸programming'].options.label") == (
        "Programming (+2)"
    )
    click_node(page, "▸programming")
    visible = page.evaluate("aipathMap.network.body.nodeIndices")
    assert {"python", "git", "programming"} <= set(visible)
    assert page.text_content("#details h2") == "Programming"
    # Opened, no box lies on another.
    boxes = page.evaluate(
        "['programming', 'python', 'git'].concat(aipathMap.network.body.nodeIndices)"
        ".map(id => aipathMap.network.getBoundingBox(id))"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a == b:
                continue
            overlap_w = min(a["right"], b["right"]) - max(a["left"], b["left"])
            overlap_h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert overlap_w <= 1 or overlap_h <= 1, (a, b)
    assert_clean(log)


def test_details_group_what_to_learn_first_and_from(chromium: Any, tmp_path: Path) -> None:
    page, _ = open_graph(chromium, tmp_path, small_graph(), lang="zh", show_all=True)
    page.evaluate("aipathMap.showDetails('deep-learning-basics')")
    headings = page.locator("#details h3").all_inner_texts()
    assert headings[:1] == ["先学"]
    assert {"常用工具", "学习资源", "学完可学"} <= set(headings)
    page.evaluate("aipathMap.showDetails('fine-tuning')")
    assert "需要它的岗位" in page.locator("#details h3").all_inner_texts()


def test_force_layout_settles_and_stops(chromium: Any, tmp_path: Path) -> None:
    G = small_graph()
    page, log = open_graph(chromium, tmp_path, G, layout="force")
    assert page.evaluate("aipathMap.network.physics.physicsEnabled") is False
    assert page.evaluate(COUNTS) == [G.number_of_nodes(), G.number_of_edges()]
    assert_clean(log)


# ---- the bundled graph's maps, as `aipath render` writes them ----

#: The three maps a learner opens: name → ``aipath render`` arguments.
MAPS = {
    "default": [],
    "plan": ["--plan-to", "AI工程师", "--hours-per-week", "8"],
    "role": ["--role", "ai-engineer"],
}


def render_cli(tmp_path: Path, lang: str, *args: str) -> Path:
    from click.testing import CliRunner

    from aipath_graph.cli import main

    out = tmp_path / f"map-{lang}.html"
    result = CliRunner().invoke(main, ["--lang", lang, "render", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def assert_readable(figures: dict[str, float]) -> None:
    """≥ 20 labels in view, ≥ 90% of them at ≥ 11 px, ≤ 5% overlapping."""
    assert figures["visible"] >= 20, figures
    assert figures["readable"] >= 0.9, figures
    assert figures["overlapping"] <= 0.05, figures


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(MAPS))
def test_first_view_is_readable(chromium: Any, tmp_path: Path, name: str, lang: str) -> None:
    """At 1400×900: ≥ 90% of visible labels at ≥ 11 px, ≤ 5% overlapping, ≤ 120 nodes."""
    page, log = open_map(chromium, render_cli(tmp_path, lang, *MAPS[name]))
    figures = measure_labels(page)
    assert_readable(figures)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}-{lang}.png"))
    if name == "default":
        assert figures["nodes"] <= 120, figures
        # Resources and the like wait behind the filters; one click shows everything.
        hidden = page.evaluate("aipathMap.data.hiddenTypes")
        assert {"Resource", "Category", "Trend", "UseCase"} <= set(hidden)
        page.click("#show-all")
        total = page.evaluate("aipathMap.data.nodes.length")
        assert page.evaluate(COUNTS)[0] == total
    assert_clean(log)
    page.context.close()


STEP_IDS = "aipathMap.plan().remaining.map(s => s.id)"


def test_ticks_survive_a_reload_shorten_the_plan_and_export_a_profile(
    chromium: Any, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from aipath_graph.cli import main

    path = render_cli(tmp_path, "en", *MAPS["plan"])
    page, log = open_map(chromium, path)
    before = page.evaluate(STEP_IDS)
    items = page.evaluate("aipathMap.data.plan.items")
    # Tick the first step and a later one that needs others.
    later = next(s["id"] for s in items if len(s["requires"]) >= 2 and s["phase"] >= 3)
    for step in (before[0], later):
        page.locator(f"#checklist li[data-node='{step}'] input").check()
    after = page.evaluate(STEP_IDS)
    assert before[0] not in after and later not in after and len(after) < len(before) - 2
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    assert page.evaluate("aipathMap.done()") == sorted([before[0], later])
    assert page.locator(f"#checklist li[data-node='{later}'] input").is_checked()
    assert page.evaluate(STEP_IDS) == after
    assert page.text_content("#plan-summary").startswith(f"{len(after)} steps")
    label = page.evaluate(f"aipathMap.nodes.get({after[0]!r}).label")
    assert label.startswith("1. ")  # the remaining plan is numbered anew
    assert page.evaluate(f"aipathMap.nodes.get({later!r}).label").startswith("✓ ")
    # The exported profile plans the same through the CLI.
    with page.expect_download() as download:
        page.click("#export-profile")
    profile = tmp_path / "me.yaml"
    download.value.save_as(profile)
    assert "knows:" in profile.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "--profile", str(profile), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    planned = json.loads(result.output)
    assert [s["id"] for s in planned["steps"]] == after
    assert planned["total_effort_hours"] == page.evaluate("aipathMap.plan().hours")
    assert planned["critical_path_hours"] == page.evaluate("aipathMap.plan().criticalHours")
    # Clearing the ticks gives the whole plan back.
    page.click("#reset-ticks")
    assert page.evaluate(STEP_IDS) == before
    assert_clean(log)


def test_a_plan_prints_as_a_one_page_checklist_and_saves_a_png(
    chromium: Any, tmp_path: Path
) -> None:
    import re

    page, log = open_map(chromium, render_cli(tmp_path, "zh", *MAPS["plan"]))
    steps = page.evaluate("aipathMap.data.plan.items.length")
    page.emulate_media(media="print")
    assert page.locator("#network").is_hidden()
    assert page.locator("#checklist li.step").count() == steps
    assert page.locator("#checklist li.step input").first.is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    (ARTIFACTS / "map-plan-zh-print.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("#export-png")
    png = tmp_path / "map.png"
    download.value.save_as(png)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert_clean(log)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_explorers_plan_map_is_readable(chromium: Any, live: Any, lang: str) -> None:
    context = chromium.new_context(
        viewport={"width": 1400, "height": 900}, locale="zh-CN" if lang == "zh" else "en-US"
    )
    page = context.new_page()
    page.goto(live.url + "/")
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    page.fill("#target", "AI工程师")
    page.click("#plan-button")
    holder = page.wait_for_selector("#plan-map[src]")
    holder.scroll_into_view_if_needed()  # Chromium does not draw a frame out of sight
    frame = holder.content_frame()
    frame.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    assert frame.evaluate("() => aipathMap.data.lang") == lang
    figures = measure_labels(frame)
    assert_readable(figures)
    ARTIFACTS.mkdir(exist_ok=True)
    holder.screenshot(path=str(ARTIFACTS / f"explorer-plan-{lang}.png"))
    context.close()
