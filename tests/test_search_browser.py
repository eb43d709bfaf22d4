"""The explorer's search box ranks a goal in plain words, in a real headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest_browser import needs_chromium
from tests.conftest_server import LiveServer, live_fixture  # noqa: F401 - a fixture
from tests.test_server_browser import open_explorer

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_goal_with_a_typo_finds_the_tool(chromium: Any, live: LiveServer) -> None:
    context, page, log = open_explorer(chromium, live)
    try:
        page.fill("#search", "learn tensorflw")
        first = page.locator("#search-results li").first
        first.wait_for()
        assert first.get_attribute("data-id") == "tensorflow-keras"
        assert first.locator(".why").inner_text() == "TensorFlow"  # the alt label it names
        page.fill("#search", "我想成为AI工程师")
        page.locator("#search-results li[data-id='ai-engineer']").wait_for()
        assert first.get_attribute("data-id") == "ai-engineer"
        assert first.locator(".why").inner_text() == "AI工程师"
        first.click()
        page.wait_for_selector("#details:not([hidden])")
        assert "AI Engineer" in page.text_content("#details-title")
        assert not log.errors and not log.requests and not log.dialogs
    finally:
        context.close()
