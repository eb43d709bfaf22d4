"""``aipath push``: one Graph Store PUT, verified; failures change nothing remote."""

from __future__ import annotations

import pytest

from .oxigraph_server import OxigraphServer
from .processes import free_port

GRAPH = "https://w3id.org/aipath/graph"


@pytest.fixture()
def server(tmp_path):
    srv = OxigraphServer(tmp_path / "oxigraph")
    yield srv
    srv.stop()


def test_push_replaces_the_default_graph_and_verifies(server, invoke, bundled):
    result = invoke("push", "--to", server.store_url)
    assert result.exit_code == 0, result.output
    assert server.count() == len(bundled)
    assert f"pushed {len(bundled)} triples" in result.stderr
    # pushing again replaces rather than duplicates
    assert invoke("push", "--to", server.store_url).exit_code == 0
    assert server.count() == len(bundled)


def test_push_to_a_named_graph(server, invoke, bundled):
    assert invoke("push", "--to", server.store_url, "--graph", GRAPH).exit_code == 0
    assert server.count(GRAPH) == len(bundled)
    assert server.count() == 0


def test_push_to_a_server_that_is_down(invoke):
    result = invoke("push", "--to", f"http://127.0.0.1:{free_port()}/store")
    assert result.exit_code == 1
    assert "cannot reach" in result.stderr and "nothing was changed" in result.stderr
    assert result.stderr.count("\n") == 1


def test_push_to_an_endpoint_that_answers_an_error_leaves_the_graph(server, invoke, bundled):
    assert invoke("push", "--to", server.store_url).exit_code == 0
    result = invoke("push", "--to", server.base + "/no-such-endpoint")
    assert result.exit_code == 1
    assert "answered 404" in result.stderr and "refused the graph" in result.stderr
    assert server.count() == len(bundled)


def test_push_refuses_a_non_http_url(invoke):
    result = invoke("push", "--to", "file:///etc/passwd")
    assert result.exit_code == 1 and "not an http(s) URL" in result.stderr
