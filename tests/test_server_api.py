"""The JSON API of a live server: same answers as the CLI, one error envelope, CORS."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from tests.conftest_server import LiveServer, live_fixture  # noqa: F401 - a fixture


def api(live: LiveServer, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{live.url}/api/{path}", params=params, timeout=30)


def cli_json(invoke: Any, *args: str) -> Any:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "q, first",
    [
        ("fine-tuning", "fine-tuning"),
        ("微调技术", "fine-tuning"),
        ("AI工程师", "ai-engineer"),
        ("ai engineer", "ai-engineer"),
    ],
)
def test_search_in_both_languages(live: LiveServer, q: str, first: str) -> None:
    r = api(live, "search", q=q, lang="zh")
    assert r.status_code == 200
    hits = r.json()["results"]
    assert hits[0]["id"] == first
    assert hits[0]["labels"]["zh"] and hits[0]["labels"]["en"]
    assert api(live, "search", q="zzzz-nothing").json()["results"] == []


def test_node_equals_show(live: LiveServer, invoke: Any) -> None:
    got = api(live, "node/微调技术", lang="zh").json()
    assert got == cli_json(invoke, "show", "fine-tuning", "--format", "json", "--lang", "zh")


def test_prerequisites_and_dependents_equal_the_cli(live: LiveServer, invoke: Any) -> None:
    assert api(live, "prerequisites/fine-tuning").json() == cli_json(
        invoke, "prereqs", "fine-tuning", "--format", "json"
    )
    assert api(live, "prerequisites/fine-tuning", direct="1", lang="zh").json() == cli_json(
        invoke, "prereqs", "fine-tuning", "--direct", "--format", "json", "--lang", "zh"
    )
    assert api(live, "prerequisites/backpropagation", tree="true").json() == cli_json(
        invoke, "prereqs", "backpropagation", "--tree", "--format", "json"
    )
    assert api(live, "dependents/python-basics", direct="1").json() == cli_json(
        invoke, "dependents", "python-basics", "--direct", "--format", "json"
    )


def test_plan_equals_the_cli_json(live: LiveServer, invoke: Any) -> None:
    r = api(live, "plan", to="AI工程师", have="python-basics,linear-algebra", hours_per_week="10")
    assert r.status_code == 200
    expected = cli_json(
        invoke,
        "plan",
        "--to",
        "AI工程师",
        "--have",
        "python-basics,linear-algebra",
        "--hours-per-week",
        "10",
        "--format",
        "json",
    )
    assert r.json() == expected
    # POST with a JSON body gives the same plan; zh labels on request.
    r = httpx.post(
        f"{live.url}/api/plan",
        timeout=30,
        json={
            "to": ["AI工程师"],
            "have": ["python-basics", "linear-algebra"],
            "hours_per_week": 10,
        },
    )
    assert r.json() == expected
    zh = api(live, "plan", to="fine-tuning", lang="zh").json()
    assert zh == cli_json(invoke, "--lang", "zh", "plan", "--to", "fine-tuning", "--format", "json")


def test_plan_warns_about_unknown_known_items(live: LiveServer) -> None:
    body = api(live, "plan", to="fine-tuning", have="python-basics,klingon").json()
    assert body["steps"]
    assert any("klingon" in w for w in body["warnings"])


def test_path_and_next_equal_the_cli(live: LiveServer, invoke: Any) -> None:
    assert api(live, "path", **{"from": "linear-algebra", "to": "fine-tuning"}).json() == cli_json(
        invoke, "path", "linear-algebra", "fine-tuning", "--format", "json"
    )
    assert api(live, "next", have="python-basics", limit="5").json() == cli_json(
        invoke, "next", "--have", "python-basics", "-n", "5", "--format", "json"
    )


def test_named_queries(live: LiveServer, invoke: Any) -> None:
    listed = api(live, "queries").json()
    assert {q["name"] for q in listed} >= {"prerequisites", "dependents"}
    got = api(live, "queries/prerequisites", skill="微调技术").json()
    assert got == cli_json(
        invoke, "query", "--name", "prerequisites", "--param", "skill=微调技术", "--format", "json"
    )


@pytest.mark.parametrize(
    "path, params, status, kind",
    [
        ("node/fine-tunning", {}, 404, "UnknownTermError"),
        ("plan", {}, 400, "UsageError"),
        ("plan", {"to": "fine-tuning", "hours_per_week": "-3"}, 400, "UsageError"),
        ("path", {"from": "fine-tuning", "to": "linear-algebra"}, 404, "NoPathError"),
        ("queries/no-such-query", {}, 404, "UnknownQueryError"),
        (
            "queries/prerequisites",
            {"nope": "1", "skill": "python-basics"},
            400,
            "UnknownParameterError",
        ),
        ("search", {"q": "x", "lang": "fr"}, 400, "UsageError"),
    ],
)
def test_one_error_envelope(
    live: LiveServer, path: str, params: dict, status: int, kind: str
) -> None:
    r = api(live, path, **params)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status and body["type"] == kind
    assert isinstance(body["error"], str) and "\n" not in body["error"]
    if kind == "UnknownTermError":
        assert any("fine-tuning" in s for s in body["suggestions"])


def test_plan_map_is_offline_html(live: LiveServer) -> None:
    r = api(live, "map", to="fine-tuning", have="python-basics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "connect-src 'none'" in r.headers["content-security-policy"]
    assert "http://" not in r.text.split("<body")[0].replace("http://www.w3.org", "")
    assert '"fine-tuning"' in r.text


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_cors_is_off_by_default_and_configurable(live: LiveServer, bundled: Any) -> None:
    r = httpx.get(
        live.sparql,
        params={"query": "ASK {}"},
        timeout=30,
        headers={"Origin": "https://yasgui.example"},
    )
    assert "access-control-allow-origin" not in r.headers
    from starlette.testclient import TestClient

    from aipath_graph.server import create_app

    app = create_app(bundled, workers=1, cors=["https://yasgui.example"])
    with TestClient(app) as client:
        pre = client.options(
            "/sparql",
            headers={
                "Origin": "https://yasgui.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://yasgui.example"
        r = client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"}
        )
        assert r.headers["access-control-allow-origin"] == "https://yasgui.example"
        r = client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    "path, params",
    [
        ("node/fine-tunning", {}),
        ("plan", {}),
        ("plan", {"to": "fine-tuning", "hours_per_week": "-3"}),
        ("plan", {"to": "fine-tuning", "include_optional": "maybe"}),
        ("path", {"from": "fine-tuning"}),
        ("path", {"from": "no-such-thing", "to": "fine-tuning"}),
        ("path", {"from": "fine-tuning", "to": "linear-algebra"}),
        ("path", {"from": "git", "to": "linear-algebra", "by": "speed"}),
    ],
)
def test_error_envelopes_speak_chinese(live: LiveServer, path: str, params: dict) -> None:
    from tests.test_answers import ENGLISH_FRAME

    body = api(live, path, lang="zh", **params).json()
    assert body["ok"] is False
    text = body["error"]
    # the names and values the request itself carried are not frame text
    names = ("fine-tunning", "no-such-thing", "fine-tuning", "linear-algebra", "git")
    for word in (*names, "hours_per_week", "include_optional", "effort", "hops", "speed"):
        text = text.replace(word, "")
    if "include_optional" in params:  # the values the API accepts are literal
        text = text.replace("true", "").replace("false", "")
    assert not ENGLISH_FRAME.search(text), body["error"]
    assert re.search(r"[\u4e00-\u9fff]", body["error"]), body["error"]


def test_api_listing_is_clean(live: LiveServer) -> None:
    body = api(live, "").json()
    assert body["ok"] is True
    first = body["endpoints"][0]
    assert first == {"method": "GET", "path": "/api", "what": "this list"}
    for e in body["endpoints"]:
        assert "``" not in json.dumps(e, ensure_ascii=False) and e["path"].startswith("/api")
    assert {"/api/plan", "/api/map", "/api/node/{term}"} <= {e["path"] for e in body["endpoints"]}


def test_map_of_a_plan_has_its_total_and_target(live: LiveServer) -> None:
    r = api(live, "map", to="fine-tuning", have="python-basics")
    from tests.test_render import embedded_data

    data = embedded_data(r.text)
    plan = api(live, "plan", to="fine-tuning", have="python-basics").json()
    assert data["plan"]["total"] == plan["total_effort_hours"]
    targets = [n for n in data["nodes"] if n.get("target")]
    assert [n["id"] for n in targets] == ["fine-tuning"]


def test_node_of_a_role_lists_its_essential_skills(live: LiveServer, prereq_graph: Any) -> None:
    essentials = {
        u for u, _, k in prereq_graph.in_edges("ai-engineer", data="kind") if k == "essential"
    }
    body = api(live, "node/AI工程师", lang="zh").json()
    assert {e["id"] for e in body["essential"]} == essentials
    assert body["responsibilities"]["zh"] and body["focus"]["zh"]
