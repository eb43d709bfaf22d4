"""A live server is read-only and bounded: updates, SERVICE, traversal, big bodies, slow queries."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest_server import MAX_BODY, TIMEOUT, LiveServer, live_fixture  # noqa: F401

#: A cross join of every triple with itself, three times over: it would run for hours.
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def raw_get(live: LiveServer, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (no client-side normalisation of ``..``)."""
    parts = urlsplit(live.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["form", "direct", "get", "update-endpoint"])
def test_updates_are_refused(live: LiveServer, how: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "form":
        r = httpx.post(live.sparql, data={"update": update}, timeout=30)
    elif how == "direct":
        r = httpx.post(
            live.sparql,
            content=update.encode(),
            timeout=30,
            headers={"Content-Type": "application/sparql-update"},
        )
    elif how == "get":
        r = httpx.get(live.sparql, params={"update": update}, timeout=30)
    else:
        r = httpx.post(live.url + "/update", data={"update": update}, timeout=30)
    assert r.status_code == 403
    assert "read-only" in r.text
    # An update sent as a query is refused by the query guard, also with 403.
    r = httpx.get(live.sparql, params={"query": "DROP ALL"}, timeout=30)
    assert r.status_code == 403 and "DROP is refused" in r.text
    r = httpx.get(
        live.sparql,
        params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"},
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    assert r.text == "false\n"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://example.org/> { ?s ?p ?o } } }",
        "SELECT * FROM <http://example.org/data.ttl> { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_service_and_remote_loads_are_refused(live: LiveServer, query: str) -> None:
    r = httpx.get(live.sparql, params={"query": query}, timeout=30)
    assert r.status_code == 403, r.text
    assert "refused" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/static/....//app.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
    ],
)
def test_static_path_traversal_is_refused(live: LiveServer, path: str) -> None:
    status, body = raw_get(live, path)
    assert status in (400, 404), (status, body[:200])
    assert b"import" not in body and b"root:" not in body and b"[project]" not in body
    # The real files are served.
    assert raw_get(live, "/static/app.js")[0] == 200


def test_oversized_body_is_refused(live: LiveServer) -> None:
    big = "SELECT * { ?s ?p ?o } #" + "x" * (MAX_BODY + 10)
    r = httpx.post(
        live.sparql,
        content=big.encode(),
        timeout=30,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413
    r = httpx.post(
        live.url + "/api/plan",
        content=b"{" + b" " * (MAX_BODY + 1) + b"}",
        timeout=30,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["ok"] is False

    # A chunked body with no Content-Length is counted as it arrives.
    def chunks():
        for _ in range(MAX_BODY // 1024 + 5):
            yield b"x" * 1024

    r = httpx.post(
        live.sparql,
        content=chunks(),
        timeout=30,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413


def test_malformed_query_gets_the_parser_message_and_no_traceback(live: LiveServer) -> None:
    r = httpx.get(live.sparql, params={"query": "SELECT * {\n  ?s ?p\n}"}, timeout=30)
    assert r.status_code == 400
    assert r.text.strip() == "SPARQL syntax error at line 2, column 3: near '?s ?p'"
    r = httpx.get(live.sparql, params={"query": "SELECT * { ?s nope:x ?o }"}, timeout=30)
    assert r.status_code == 400 and "Traceback" not in r.text
    r = httpx.get(live.url + "/api/node/%00%ff", timeout=30)
    assert r.status_code in (400, 404) and "Traceback" not in r.text


def test_slow_query_times_out_while_another_client_gets_answers(live: LiveServer) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        start = time.monotonic()
        r = httpx.get(live.sparql, params={"query": RUNAWAY}, timeout=60)
        outcome["status"], outcome["text"] = r.status_code, r.text
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # the runaway query now holds one worker
    answered = []
    # Another client: the server tells clients apart by address (one may not hold every worker).
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    while thread.is_alive() and len(answered) < 200:
        # A different query each time, so the answer is computed, not taken from the cache.
        r = other.get(
            live.sparql,
            params={"query": f"ASK {{ ?s ?p ?o FILTER(?o != {len(answered)}) }}"},
            headers={"Accept": "text/csv"},
            timeout=TIMEOUT * 2,
        )
        answered.append((r.status_code, r.text))
        plan = other.get(live.url + "/api/plan", params={"to": "fine-tuning"}, timeout=10)
        assert plan.status_code == 200
    other.close()
    thread.join(60)
    assert outcome["status"] == 503, outcome
    assert "time limit" in str(outcome["text"])
    assert TIMEOUT - 0.5 <= float(outcome["seconds"]) < TIMEOUT + 3  # type: ignore[arg-type]
    assert answered and all(a == (200, "true\n") for a in answered), answered[:3]
    # The stopped worker is replaced: both workers answer again afterwards.
    for i in range(4):
        r = httpx.get(
            live.sparql,
            params={"query": f"ASK {{ ?s ?p ?o FILTER(?o != -{i}) }}"},
            headers={"Accept": "text/csv"},
            timeout=30,
        )
        assert r.status_code == 200


def test_errors_and_unknown_routes_use_the_envelope(live: LiveServer) -> None:
    r = httpx.get(live.url + "/api/nothing-here", timeout=30)
    assert r.status_code == 404
    assert r.json() == {"ok": False, "error": "Not Found", "status": 404, "type": "HTTPError"}
    r = httpx.delete(live.sparql, timeout=30)
    assert r.status_code == 405
    r = httpx.get(live.url + "/", timeout=30)
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
