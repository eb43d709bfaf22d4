"""Fixtures for the map tests: small contract-shaped graphs and a headless Chromium.

Imported by ``test_render.py`` and ``test_render_browser.py`` (pytest does not load
this file by itself). Chromium is Debian's ``chromium`` package driven by the
``playwright`` Python package; no browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

CHROMIUM = os.environ.get("AIPATH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(2)</script>"
XSS_DEFINITION = "</script><script>alert(3)</script><!--"
XSS_REASON = "<b onmouseover=alert(4)>bold</b>"
XSS_ID = '"><svg onload=alert(5)>'


def _node(G: nx.DiGraph, slug: str, type_: str, zh: str, en: str, **extra: Any) -> None:
    learnable = type_ in ("Skill", "Tool", "Project")
    G.add_node(
        slug,
        iri=f"https://w3id.org/aipath/id/{slug}",
        type=type_,
        label={"zh": zh, "en": en},
        effort=float(extra.pop("effort", 0.0)),
        stage=extra.pop("stage", None),
        learnable=learnable,
        definition=extra.pop("definition", {}),
        category=extra.pop("category", None),
        **extra,
    )


def small_graph() -> nx.DiGraph:
    """A relation graph in the shape of the contract, with every edge kind the map styles."""
    G = nx.DiGraph()
    _node(G, "beginner", "Stage", "入门阶段", "Beginner stage", order=1)
    _node(G, "intermediate", "Stage", "进阶阶段", "Intermediate stage", order=2)
    _node(G, "foundations", "Category", "基础技能", "Foundational skills")
    _node(
        G,
        "programming",
        "Skill",
        "编程能力",
        "Programming",
        effort=20,
        stage="beginner",
        category="foundations",
    )
    _node(
        G,
        "python",
        "Skill",
        "Python编程",
        "Python programming",
        effort=40,
        stage="beginner",
        category="foundations",
    )
    _node(G, "git", "Skill", "版本控制(Git)", "Version control (Git)", effort=8, stage="beginner")
    _node(
        G,
        "linear-algebra",
        "Skill",
        "线性代数",
        "Linear algebra",
        effort=60,
        stage="beginner",
        definition={"zh": "向量、矩阵及其运算。", "en": "Vectors, matrices and their operations."},
    )
    _node(G, "calculus", "Skill", "微积分", "Calculus", effort=50, stage="beginner")
    _node(
        G,
        "backpropagation",
        "Skill",
        "反向传播算法",
        "Backpropagation",
        effort=6,
        stage="intermediate",
        definition={"zh": "用链式法则计算梯度。", "en": "Computing gradients with the chain rule."},
    )
    _node(
        G,
        "deep-learning-basics",
        "Skill",
        "深度学习基础",
        "Deep learning basics",
        effort=40,
        stage="intermediate",
    )
    _node(G, "pytorch", "Tool", "PyTorch", "PyTorch", effort=30, stage="intermediate")
    _node(G, "tensorflow", "Tool", "TensorFlow", "TensorFlow", effort=30, stage="intermediate")
    _node(G, "pytorch-or-tensorflow", "AnyOf", "PyTorch或TensorFlow", "PyTorch or TensorFlow")
    _node(G, "fine-tuning", "Skill", "微调技术", "Fine-tuning", effort=20, stage="intermediate")
    _node(
        G,
        "mnist-project",
        "Project",
        "手写数字识别",
        "Handwritten digit recognition",
        effort=15,
        stage="intermediate",
    )
    _node(G, "ai-engineer", "Role", "AI工程师", "AI engineer")
    _node(G, "d2l", "Resource", "动手学深度学习", "Dive into Deep Learning")
    _node(G, "healthcare", "Domain", "医疗", "Healthcare")
    _node(G, "medical-imaging", "UseCase", "医学影像分析", "Medical image analysis")
    _node(G, "agents", "Trend", "智能体", "AI agents")
    edges = [
        ("git", "programming", "part", None),
        ("python", "programming", "part", None),
        ("calculus", "backpropagation", "requires", "The chain rule is calculus."),
        ("linear-algebra", "backpropagation", "requires", "Gradients are vectors and matrices."),
        ("backpropagation", "deep-learning-basics", "requires", "Training needs gradients."),
        ("python", "deep-learning-basics", "requires", "The examples are in Python."),
        ("python", "pytorch", "requires", None),
        ("python", "tensorflow", "requires", None),
        ("pytorch", "pytorch-or-tensorflow", "option", None),
        ("tensorflow", "pytorch-or-tensorflow", "option", None),
        ("pytorch-or-tensorflow", "fine-tuning", "any", "Fine-tuning is done in a framework."),
        ("deep-learning-basics", "fine-tuning", "requires", None),
        ("fine-tuning", "ai-engineer", "essential", None),
        ("programming", "ai-engineer", "essential", None),
        ("git", "ai-engineer", "optional", None),
        ("deep-learning-basics", "mnist-project", "practises", None),
        ("deep-learning-basics", "medical-imaging", "applies", None),
        ("python", "beginner", "covers", None),
        ("linear-algebra", "beginner", "covers", None),
        ("backpropagation", "intermediate", "covers", None),
        ("pytorch", "deep-learning-basics", "serves", None),
        ("d2l", "deep-learning-basics", "teaches", None),
        ("medical-imaging", "healthcare", "in_domain", None),
        ("agents", "fine-tuning", "relates", None),
        ("mnist-project", "intermediate", "in_stage", None),
        ("python", "foundations", "in_category", None),
        ("programming", "foundations", "in_category", None),
    ]
    for u, v, kind, reason in edges:
        G.add_edge(u, v, kind=kind, reason=reason)
    return G


def small_plan() -> dict[str, Any]:
    """A plan for ``small_graph()`` in the planner's JSON shape (to fine-tuning)."""
    order = [  # as the planner orders them: by phase, then by id
        "calculus",
        "linear-algebra",
        "python",
        "backpropagation",
        "pytorch",
        "deep-learning-basics",
        "fine-tuning",
    ]
    phase = {"backpropagation": 2, "deep-learning-basics": 3, "fine-tuning": 4}
    requires = {
        "pytorch": ["python"],
        "backpropagation": ["calculus", "linear-algebra"],
        "deep-learning-basics": ["python", "backpropagation"],
        "fine-tuning": ["pytorch", "deep-learning-basics"],
    }
    return {
        "targets": ["fine-tuning"],
        "steps": [
            {
                "order": i,
                "id": slug,
                "phase": phase.get(slug, 2 if slug == "pytorch" else 1),
                "effort_hours": small_graph().nodes[slug]["effort"],
                "requires": requires.get(slug, []),
            }
            for i, slug in enumerate(order, start=1)
        ],
        "critical_path": [
            "linear-algebra",
            "backpropagation",
            "deep-learning-basics",
            "fine-tuning",
        ],
        "total_effort": 246.0,
    }


def xss_graph() -> nx.DiGraph:
    """A graph whose every text field tries to run script."""
    G = nx.DiGraph()
    _node(G, "img", "Skill", XSS_IMG, XSS_IMG, effort=1, definition={"en": XSS_DEFINITION})
    _node(G, "script", "Skill", XSS_SCRIPT, XSS_SCRIPT, effort=2, stage="</script>")
    _node(G, XSS_ID, "Tool", "工具" + XSS_IMG, "tool " + XSS_SCRIPT, effort=3)
    G.add_edge("img", "script", kind="requires", reason=XSS_REASON)
    G.add_edge(XSS_ID, "script", kind="<i>kind</i>", reason=XSS_SCRIPT)
    return G


def synthetic_graph(n: int, *, seed: int = 1) -> nx.DiGraph:
    """A random layered prerequisite DAG of ``n`` skills over four stages (for scale)."""
    import random

    rng = random.Random(seed)
    G = nx.DiGraph()
    stages = ["s1", "s2", "s3", "s4"]
    for i, s in enumerate(stages, start=1):
        _node(G, s, "Stage", f"阶段{i}", f"Stage {i}", order=i)
    for i in range(n):
        _node(
            G,
            f"n{i}",
            "Skill" if i % 5 else "Tool",
            f"技能{i}",
            f"Skill {i}",
            effort=rng.randint(2, 80),
            stage=stages[min(3, i * 4 // n)],
        )
        for _ in range(min(i, rng.randint(0, 3))):
            j = rng.randrange(max(0, i - 200), i)
            G.add_edge(f"n{j}", f"n{i}", kind="requires", reason=f"reason {j}→{i}")
    return G


# ---- the browser ----

HAVE_CHROMIUM = shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists()
needs_chromium = pytest.mark.skipif(
    not HAVE_CHROMIUM and not os.environ.get("CI"),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium); set CI=1 to make this fail",
)


@dataclass
class PageLog:
    """What a page did: requests other than its own document, console errors, dialogs."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="session", name="chromium")
def chromium_fixture() -> Iterator[Any]:
    """One headless Chromium for the session (fails under CI when it is missing)."""
    if not HAVE_CHROMIUM:
        pytest.fail(f"CI is set but there is no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_map(browser: Any, path: Path, *, timeout_ms: int = 60_000) -> tuple[Any, PageLog]:
    """Open a map file in a fresh page, recording network use, errors and dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    log = PageLog()
    url = path.resolve().as_uri()

    def on_request(request: Any) -> None:
        if request.url != url and not request.url.startswith("data:"):
            log.requests.append(request.url)

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("request", on_request)
    page.on("requestfailed", on_request)
    page.on("console", lambda m: m.type == "error" and log.errors.append(m.text))
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.on("dialog", on_dialog)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url == url
            else (log.requests.append(route.request.url), route.abort())[1]
        ),
    )
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.ready === '1'", timeout=timeout_ms)
    return page, log


# ---- readability at the first view ----

#: Measures, in the page, what a reader sees at the first view: every node vis-network
#: draws (not hidden, not inside a closed cluster) whose label box lies at least partly
#: inside the canvas. A label's size on screen is its font size times the view's scale;
#: two labels overlap when their boxes (``labelModule.size``, in canvas units) intersect
#: by more than one screen pixel each way.
MEASURE_LABELS_JS = """() => {
  const net = window.aipathMap.network;
  const scale = net.getScale();
  const frame = net.canvas.frame.canvas;
  const W = frame.clientWidth, H = frame.clientHeight;
  const boxes = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id];
    const label = node.options.label;
    if (label === undefined || label === null || String(label).trim() === "") continue;
    const s = node.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top});
    const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    if (b.x < 0 || b.y < 0 || a.x > W || a.y > H) continue;
    boxes.push({id: String(id), px: node.options.font.size * scale,
                l: a.x, t: a.y, r: b.x, b: b.y});
  }
  let overlapping = 0;
  for (const p of boxes) {
    if (boxes.some(q => q !== p && Math.min(p.r, q.r) - Math.max(p.l, q.l) > 1
                       && Math.min(p.b, q.b) - Math.max(p.t, q.t) > 1)) overlapping++;
  }
  const px = boxes.map(b => b.px).sort((x, y) => x - y);
  const n = px.length;
  return {
    visible: n,
    nodes: net.body.nodeIndices.length,
    scale: scale,
    median_px: n ? px[Math.floor((n - 1) / 2)] : 0,
    readable: n ? px.filter(v => v >= 11 - 1e-9).length / n : 0,
    overlapping: n ? overlapping / n : 0,
  };
}"""


def measure_labels(page_or_frame: Any) -> dict[str, float]:
    """Readability figures of a map page (or of a frame holding one), see ``MEASURE_LABELS_JS``."""
    return page_or_frame.evaluate(MEASURE_LABELS_JS)
