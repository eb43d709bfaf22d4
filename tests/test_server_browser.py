"""The web explorer of a live server in a real headless Chromium.

Search 'fine-tuning', open it, build a plan to 'AI工程师' from two known skills,
see the steps and the map, run a SPARQL query; a screenshot goes to
``tests/artifacts/``. Every request the page makes stays on the server.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest_browser import (
    ARTIFACTS,
    PageLog,
    needs_chromium,
)
from tests.conftest_server import LiveServer, live_fixture  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, needs_chromium]


def open_explorer(chromium: Any, live: LiveServer) -> tuple[Any, Any, PageLog]:
    context = chromium.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")
    page = context.new_page()
    log = PageLog()
    origin = urlsplit(live.url).netloc

    def route(r: Any) -> None:
        url = r.request.url
        if urlsplit(url).netloc == origin or url.startswith(("data:", "about:", "blob:")):
            r.continue_()
        else:
            log.requests.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and log.errors.append(m.text))
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.on("dialog", lambda d: (log.dialogs.append(d.message), d.dismiss()))
    page.goto(live.url + "/")
    # A selector, not a JS predicate: the explorer's CSP forbids the eval a polled
    # predicate needs, and the page is ready only once its words have loaded.
    page.wait_for_selector("html[data-ready='1']", state="attached", timeout=30_000)
    return context, page, log


def test_search_open_plan_and_map(chromium: Any, live: LiveServer) -> None:
    context, page, log = open_explorer(chromium, live)
    try:
        page.fill("#search", "fine-tuning")
        first = page.locator("#search-results li").first
        first.wait_for()
        assert first.inner_text().startswith("Fine-tuning")
        first.click()
        page.wait_for_selector("#details:not([hidden])")
        assert page.text_content("#details-title").startswith("Fine-tuning")
        assert "微调技术" in page.text_content("#details-title")
        assert page.locator("#tree li").count() > 3  # the prerequisite tree is drawn

        page.fill("#have", "python-basics, 线性代数")
        page.fill("#target", "AI工程师")
        page.click("#plan-button")
        page.wait_for_selector("#plan-result:not([hidden])")
        steps = page.locator("#plan-steps li.step")
        assert steps.count() > 10
        ids = [steps.nth(i).get_attribute("data-id") for i in range(steps.count())]
        assert "python-basics" not in ids and "linear-algebra" not in ids
        assert "rag" in ids  # the role's plan reaches its LLM essentials
        assert "steps" in page.text_content("#plan-summary")

        page.locator("#plan-map").scroll_into_view_if_needed()  # offscreen frames are throttled
        frame = page.frame_locator("#plan-map")
        frame.locator("#network canvas").wait_for(timeout=60_000)
        map_frame = next(f for f in page.frames if f.url.startswith(live.url + "/api/map"))
        map_frame.wait_for_function(
            "document.documentElement.dataset.ready === '1'", timeout=60_000
        )
        count = map_frame.evaluate("aipathMap.network.body.nodeIndices.length")
        assert count >= len(ids)

        page.click("#sparql-run")
        page.wait_for_selector("#sparql-table td")
        assert page.locator("#sparql-table tbody tr").count() >= 3
        assert "AI工程师" in page.inner_text("#sparql-table")

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "server-explorer.png"), full_page=True)
        assert (ARTIFACTS / "server-explorer.png").stat().st_size > 10_000
        assert log.requests == [], log.requests
        assert log.errors == [], log.errors
        assert log.dialogs == []
    finally:
        context.close()


def test_chinese_interface_and_errors_are_text(chromium: Any, live: LiveServer) -> None:
    context, page, log = open_explorer(chromium, live)
    try:
        page.click("#lang-toggle")
        page.locator("#plan-button", has_text="生成计划").wait_for()  # words come from the server
        page.fill("#search", "微调")
        page.locator("#search-results li").first.wait_for()
        assert page.locator("#search-results li").first.inner_text().startswith("微调技术")
        # A target that does not exist: a message, not a crash; no markup is interpreted.
        page.fill("#target", "<img src=x onerror=alert(1)>")
        page.click("#plan-button")
        page.locator("#plan-message", has_text="未知名称").wait_for()  # errors in Chinese too
        assert "unknown term" not in page.text_content("#plan-message")
        assert page.locator("#plan-message img").count() == 0
        assert log.dialogs == [] and log.requests == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "server-explorer-zh.png"))
    finally:
        context.close()


def test_a_role_shows_its_skills_and_duties(
    chromium: Any, live: LiveServer, prereq_graph: Any
) -> None:
    essentials = {
        u for u, _, k in prereq_graph.in_edges("ai-engineer", data="kind") if k == "essential"
    }
    context, page, log = open_explorer(chromium, live)
    try:
        page.fill("#search", "AI Engineer")
        page.locator("#search-results li[data-id='ai-engineer']").first.click()
        page.wait_for_selector("#details:not([hidden]) [data-section='essential']")
        box = page.locator("[data-section='essential']")
        assert "essential skills" in box.locator("h3").inner_text()
        shown = {
            page.evaluate("(n) => n.textContent", h)
            for h in box.locator("li .link").element_handles()
        }
        assert len(shown) == len(essentials)
        assert page.locator("[data-section='optional'] li").count() > 0
        assert page.locator("[data-section='responsibilities'] li").count() > 0
        assert "focus" in page.inner_text("[data-section='focus']")
        # the same in Chinese, headings from the server's translation table
        page.click("#lang-toggle")
        page.locator("[data-section='essential'] h3", has_text="必备技能").wait_for()
        assert page.locator("[data-section='essential'] li").count() == len(essentials)
        # a skill: tools and resources apart from prerequisites
        page.click("#lang-toggle")
        page.fill("#search", "fine-tuning")
        page.locator("#search-results li[data-id='fine-tuning']").first.click()
        page.locator("[data-section='resources'] h3", has_text="learn from").wait_for()
        assert "used by" in page.inner_text("[data-section='tools'] h3")
        assert log.errors == [] and log.requests == []
    finally:
        context.close()
