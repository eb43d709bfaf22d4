"""Shared fixtures: the bundled graph (built once per session) and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the compiled-graph cache of the test run out of the user's cache folder."""
    import os

    old = os.environ.get("AIPATH_CACHE_DIR")
    os.environ["AIPATH_CACHE_DIR"] = str(tmp_path_factory.mktemp("aipath-cache"))
    yield
    if old is None:
        os.environ.pop("AIPATH_CACHE_DIR", None)
    else:
        os.environ["AIPATH_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def bundled():
    """The bundled graph as an rdflib Graph."""
    from aipath_graph.graph import load_graph

    return load_graph()


@pytest.fixture(scope="session")
def prereq_graph(bundled):
    """The prerequisite DiGraph of the bundled graph."""
    from aipath_graph.project import prerequisite_graph

    return prerequisite_graph(bundled)


@pytest.fixture()
def runner() -> CliRunner:
    """A click runner; stderr is kept apart from stdout."""
    return CliRunner()


@pytest.fixture()
def invoke(runner):
    """Run ``aipath`` with arguments; returns the click Result."""
    from aipath_graph.cli import main

    def run(*args: str, **kwargs):
        return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)

    return run


# One headless Chromium for the whole run, shared by the map and explorer tests
# (a session fixture imported into two modules would start two Playwright loops).
from .conftest_browser import chromium_fixture  # noqa: E402, F401

#: Test modules that take more than a few seconds each: the quick lane
#: (``pytest -m "not slow"``) leaves them out; CI runs everything.
SLOW_MODULES = {
    "test_notebooks",
    "test_backends",
    "test_fuzz_yaml",
    "test_render_browser",
    "test_server_browser",
    "test_server_security",
}


def pytest_collection_modifyitems(config, items):
    """Mark browser tests and the slow modules ``slow``."""
    for item in items:
        module = getattr(item, "module", None)
        name = module.__name__.rsplit(".", 1)[-1] if module is not None else ""
        if name in SLOW_MODULES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
