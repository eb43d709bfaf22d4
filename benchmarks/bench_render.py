"""Benchmark the HTML map against pyvis defaults, in Python and in headless Chromium.

For the bundled graph and synthetic graphs of 1k and 5k nodes it measures, in one
run: the Python render time, the HTML size, and the time from navigation until the
page is interactive (ours: the first frame after the layout, which is computed in
Python; pyvis: its loading bar is gone, i.e. its stabilisation iterations are done,
though its physics keeps the map moving after that).
Network requests are blocked and counted (pyvis's "in_line" page still asks a CDN).

With ``--readability`` it measures instead what a reader sees at the first view of
the bundled graph's maps at 1400×900, in both languages: the default map, the plan
map to AI工程师, the role map of ai-engineer (each written by ``aipath render``) and
the explorer's embedded plan map (a live ``aipath serve`` on a free loopback port):
visible nodes and labels, the median label size on screen (font size × the
network's scale), the share of labels at 11 px or more, the share overlapping
another (see ``MEASURE_LABELS_JS`` in ``tests/conftest_browser.py``).

Usage::

    .venv/bin/python benchmarks/bench_render.py [--sizes 1000 5000] [--timeout 120]
    .venv/bin/python benchmarks/bench_render.py --readability [--shots DIR]

Not part of the test run. Uses Debian's /usr/bin/chromium through playwright.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from aipath_graph.render import render_html, write_html

ROOT = Path(__file__).resolve().parents[1]

# pyvis hides its loading bar once the stabilisation iterations are done; its physics
# then keeps running (on the bundled graph it had not settled after 40 s).
PYVIS_READY = (
    "(() => { const bar = document.getElementById('loadingBar');"
    " return typeof network !== 'undefined' && (!bar || bar.style.opacity === '0'); })()"
)
OURS_READY = "document.documentElement.dataset.ready === '1'"


def pyvis_html(G: nx.DiGraph) -> str:
    """What a pyvis user gets by default: from_nx, default physics, in-line resources."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for n, d in G.nodes(data=True):
        label = d.get("label")
        net.add_node(str(n), label=label.get("en", str(n)) if isinstance(label, dict) else str(n))
    for u, v in G.edges:
        net.add_edge(str(u), str(v))
    return net.generate_html()


def timed(fn: Callable[[], str]) -> tuple[str, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def time_in_browser(browser: Any, path: Path, ready: str, timeout_s: float) -> tuple[float, int]:
    """Seconds from navigation until ``ready`` holds, and the number of blocked requests."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    url = path.resolve().as_uri()
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    start = time.perf_counter()
    try:
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_function(ready, timeout=timeout_s * 1000, polling=100)
        elapsed = time.perf_counter() - start
    except PlaywrightTimeout:  # a timeout is a result here
        elapsed = float("inf")
    context.close()
    return elapsed, len(blocked)


def graphs(sizes: list[int]) -> list[tuple[str, nx.DiGraph]]:
    out = []
    try:
        from aipath_graph.graph import load_graph
        from aipath_graph.project import relation_graph

        out.append(("bundled", relation_graph(load_graph())))
    except ImportError:
        pass
    from tests.conftest_browser import synthetic_graph

    out += [(f"synthetic-{n}", synthetic_graph(n)) for n in sizes]
    return out


#: The maps whose first view is measured: name → ``aipath render`` arguments.
READABILITY_MAPS = {
    "default": [],
    "plan AI工程师": ["--plan-to", "AI工程师"],
    "role ai-engineer": ["--role", "ai-engineer"],
}


def readability(browser: Any, tmp: Path, shots: Path | None) -> list[tuple[str, str, dict]]:
    """Measure the first view of each map in each language (see the module docstring)."""
    import subprocess

    from tests.conftest_browser import measure_labels, open_map

    rows = []
    for lang in ("en", "zh"):
        for name, args in READABILITY_MAPS.items():
            path = tmp / f"{name.split()[0]}-{lang}.html"
            cmd = [sys.executable, "-m", "aipath_graph", "--lang", lang, "render", *args]
            subprocess.run([*cmd, "-o", str(path)], check=True, cwd=ROOT, capture_output=True)
            page, _ = open_map(browser, path)
            rows.append((name, lang, measure_labels(page)))
            if shots:
                page.screenshot(path=str(shots / f"{path.stem}.png"))
            page.context.close()
    from tests.conftest_server import start_server, stop_server

    live = start_server()
    try:
        for lang in ("en", "zh"):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto(f"{live.url}/")
            page.wait_for_function("document.documentElement.dataset.ready === '1'")
            if page.evaluate("document.documentElement.lang").startswith("zh") != (lang == "zh"):
                page.click("#lang-toggle")
            page.fill("#target", "AI工程师")
            page.click("#plan-button")
            holder = page.wait_for_selector("#plan-map[src]")
            holder.scroll_into_view_if_needed()  # an iframe out of sight is not drawn
            frame = holder.content_frame()
            frame.wait_for_function("() => document.documentElement.dataset.ready === '1'")
            rows.append(("explorer plan", lang, measure_labels(frame)))
            if shots:
                page.locator("#plan-map").screenshot(path=str(shots / f"explorer-{lang}.png"))
            context.close()
    finally:
        stop_server(live)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--tools", nargs="*", default=["aipath", "pyvis"], help="whose pages to time"
    )
    parser.add_argument("--readability", action="store_true", help="measure the first views")
    parser.add_argument("--shots", type=Path, help="with --readability: screenshots here")
    args = parser.parse_args()
    if str(ROOT) not in sys.path:  # the synthetic graphs live beside the tests
        sys.path.insert(0, str(ROOT))
    if args.readability:
        from playwright.sync_api import sync_playwright

        from tests.conftest_browser import CHROMIUM, CHROMIUM_ARGS

        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if args.shots:
                args.shots.mkdir(parents=True, exist_ok=True)
            found = readability(browser, Path(tmp), args.shots)
            browser.close()
        print(
            f"{'map':<18}{'lang':<5}{'nodes':>6}{'labels':>7}{'median px':>10}"
            f"{'>=11px':>8}{'overlap':>8}"
        )
        for name, lang, m in found:
            print(
                f"{name:<18}{lang:<5}{m['nodes']:>6}{m['visible']:>7}{m['median_px']:>10.1f}"
                f"{m['readable']:>8.0%}{m['overlapping']:>8.0%}"
            )
        return
    from playwright.sync_api import sync_playwright

    from tests.conftest_browser import CHROMIUM, CHROMIUM_ARGS

    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, G in graphs(args.sizes):
            for tool, make, ready in (
                ("aipath", lambda G=G: render_html(G), OURS_READY),
                ("pyvis", lambda G=G: pyvis_html(G), PYVIS_READY),
            ):
                if tool not in args.tools:
                    continue
                page, seconds = timed(make)
                path = write_html(page, Path(tmp) / f"{name}-{tool}.html")
                ready_s, blocked = time_in_browser(browser, path, ready, args.timeout)
                rows.append(
                    (
                        name,
                        G.number_of_nodes(),
                        G.number_of_edges(),
                        tool,
                        seconds,
                        len(page.encode()) / 1e6,
                        ready_s,
                        blocked,
                    )
                )
        browser.close()
    print(
        f"{'graph':<16}{'nodes':>6}{'edges':>7}  {'tool':<7}{'python s':>9}{'MB':>7}"
        f"{'ready s':>9}{'blocked':>8}"
    )
    for name, n, m, tool, py_s, mb, ready_s, blocked in rows:
        ready_txt = f">{args.timeout:.0f}" if ready_s == float("inf") else f"{ready_s:.2f}"
        print(f"{name:<16}{n:>6}{m:>7}  {tool:<7}{py_s:>9.3f}{mb:>7.2f}{ready_txt:>9}{blocked:>8}")


if __name__ == "__main__":
    main()
