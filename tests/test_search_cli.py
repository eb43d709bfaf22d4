"""``aipath search`` and ``aipath plan --goal``, run as a user runs them."""

from __future__ import annotations

import json
import shlex

import pytest

from tests.conftest_server import live_fixture  # noqa: F401 - a fixture

from .conftest import DATA


def test_search_table_says_why(invoke):
    result = invoke("search", "learn", "pytroch", "--limit", "3")
    assert result.exit_code == 0, result.output
    header, _, first, *rest = result.stdout.splitlines()
    assert header.split() == ["score", "label", "id", "type", "why"]
    assert "pytorch" in first.split() and "read pytroch → pytorch" in first
    assert len(rest) == 2


def test_search_json_in_chinese(invoke):
    result = invoke("search", "深度学习", "--lang", "zh", "--format", "json", "--type", "skill")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["query"] == "深度学习" and record["lang"] == "zh"
    hits = record["results"]
    assert hits[0]["id"] == "dl-fundamentals" and hits[0]["label"] == "深度学习基础"
    assert {h["type"] for h in hits} == {"Skill"}
    assert hits == sorted(hits, key=lambda h: -h["score"])


def test_search_table_in_chinese_has_chinese_frame(invoke):
    result = invoke("--lang", "zh", "search", "微调", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.split()[:5] == ["得分", "名称", "id", "类型", "匹配原因"]
    assert "微调技术" in result.stdout and "名称“微调”" in result.stdout


def test_search_without_a_match_exits_1_with_one_line(invoke):
    result = invoke("search", "zzzz-nothing")
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr == "no node matches 'zzzz-nothing'\n"


def test_search_needs_text(invoke):
    result = invoke("search")
    assert result.exit_code == 2 and "Missing argument" in result.stderr


def test_search_over_another_graph(invoke):
    result = invoke("--data", str(DATA / "search" / "names.yaml"), "search", "深度学习")
    assert result.exit_code == 0, result.output
    assert " dl-fundamentals " in result.stdout.splitlines()[2]


def test_search_help_examples_run(invoke):
    text = invoke("search", "--help").output.split("Examples:", 1)[1].strip()
    examples = [shlex.split(line)[1:] for line in text.split("\n\n")[0].splitlines()]
    assert len(examples) >= 3
    for args in examples:
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)


# ---------------------------------------------------------------- plan --goal


def test_plan_goal_plans_to_the_best_match_and_says_so(invoke):
    result = invoke("plan", "--goal", "learn pytroch", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [t["id"] for t in json.loads(result.stdout)["targets"]] == ["pytorch"]
    chosen, close = result.stderr.splitlines()
    assert chosen.startswith("goal 'learn pytroch' → PyTorch (pytorch, score ")
    assert close.startswith("also close: ") and "--to ID" in close


def test_plan_goal_in_chinese_with_what_you_know(invoke):
    args = ("--lang", "zh", "plan", "--goal", "我想成为AI工程师", "--have", "python-basics")
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("目标“我想成为AI工程师”→ AI工程师（ai-engineer")
    plan = json.loads(result.stdout)
    assert [t["id"] for t in plan["targets"]] == ["ai-engineer"]
    steps = [s["id"] for s in plan["steps"]]
    assert len(steps) > 10 and "python-basics" not in steps


def test_plan_goal_adds_to_the_targets(invoke):
    result = invoke("plan", "--to", "git", "--goal", "docker and kubernetes", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [t["id"] for t in json.loads(result.stdout)["targets"]] == ["git", "containers"]


@pytest.mark.parametrize("goal", ["zzzz", "Deep Learning Book publishers"])
def test_plan_goal_only_takes_what_has_a_plan(invoke, goal):
    result = invoke("plan", "--goal", goal, "--format", "json")
    if result.exit_code == 0:  # a book matches best, but a book has no plan: a skill is chosen
        target = json.loads(result.stdout)["targets"][0]
        assert target["type"] in {"Skill", "Tool", "Project", "Role", "CareerLevel", "Stage"}
    else:
        assert result.exit_code == 2
        assert result.stderr.startswith("error: no skill, tool, project or role matches")
        assert result.stderr.count("\n") == 1


# ---------------------------------------------------------------- /api/search over real HTTP


def test_api_search_ranks_goals_like_the_cli(live, invoke):
    import httpx

    r = httpx.get(f"{live.url}/api/search", params={"q": "learn pytroch", "lang": "zh"}, timeout=30)
    assert r.status_code == 200, r.text
    hits = r.json()["results"]
    assert hits[0]["id"] == "pytorch" and hits[0]["label"] == "PyTorch"
    assert {"field": "typo", "terms": ["pytroch", "pytorch"]} in hits[0]["why"]
    cli = json.loads(invoke("search", "learn pytroch", "--format", "json", "--lang", "zh").stdout)
    assert [h["id"] for h in hits[:10]] == [h["id"] for h in cli["results"]]

    r = httpx.get(
        f"{live.url}/api/search", params={"q": "深度学习", "type": "Skill,Tool"}, timeout=30
    )
    assert {h["type"] for h in r.json()["results"]} <= {"Skill", "Tool"}
    r = httpx.get(f"{live.url}/api/search", params={"q": "x", "type": "Book"}, timeout=30)
    assert r.status_code == 400 and r.json()["type"] == "UsageError"
    assert "type must be one of Skill, Tool" in r.json()["error"]


def test_a_cached_search_needs_neither_jieba_nor_rdflib(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import sys, aipath_graph.cli as c\n"
        "try:\n    c.main(['search', '我想做一个基于公司文档的问答机器人'])\n"
        "except SystemExit:\n    pass\n"
        "print('jieba' in sys.modules, 'rdflib' in sys.modules)"
    )
    env = {**os.environ, "AIPATH_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]
    assert runs[0].stdout.splitlines()[-1] == "True True"  # the first run builds the index
    assert runs[1].stdout.splitlines()[-1] == "False False", runs[1].stderr
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
