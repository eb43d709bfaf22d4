"""The plan, path, next, gap and compare commands, run as a user would on the bundled graph."""

from __future__ import annotations

import csv
import json

import pytest

from aipath_graph.choose import expand_known
from aipath_graph.cli.plan import COMMANDS

STEP_KEYS = {"order", "id", "iri", "label", "type", "effort_hours", "phase", "stage", "requires"}
PLAN_KEYS = {
    "targets",
    "steps",
    "total_effort_hours",
    "critical_path_hours",
    "critical_path",
    "weeks",
    "choices",
    "method",
}


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_plan_ai_engineer_json_shape(invoke, prereq_graph):
    record = _json(invoke("plan", "--to", "AI工程师", "--format", "json", "--hours-per-week", "10"))
    assert set(record) >= PLAN_KEYS
    assert record["targets"][0]["id"] == "ai-engineer"
    assert {"id", "label"} <= set(record["targets"][0])
    steps = record["steps"]
    assert all(set(s) >= STEP_KEYS for s in steps)
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    pos = {s["id"]: s["order"] for s in steps}
    for s in steps:
        assert all(pos[r] < s["order"] for r in s["requires"])
        assert s["iri"].startswith("https://w3id.org/aipath/id/")
    # every essential skill of the role is planned, and the role comes last
    essentials = {
        u for u, _, k in prereq_graph.in_edges("ai-engineer", data="kind") if k == "essential"
    }
    assert essentials <= set(pos) and "ai-engineer" not in pos  # the goal is not a step
    assert record["total_effort_hours"] == pytest.approx(sum(s["effort_hours"] for s in steps))
    assert record["weeks"] == pytest.approx(record["total_effort_hours"] / 10, abs=0.01)
    assert 0 < record["critical_path_hours"] <= record["total_effort_hours"]
    assert record["method"] == "exact"
    assert {c["group"] for c in record["choices"]}
    assert all(c["chosen"] in pos for c in record["choices"])


@pytest.mark.parametrize("fmt", ["table", "json", "md", "csv"])
def test_plan_formats(invoke, fmt):
    result = invoke("plan", "--to", "fine-tuning", "--have", "python-basics", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "python-basics" not in out
    if fmt == "table":
        assert out.startswith("Plan for Fine-tuning (fine-tuning)") and "Phase 1" in out
    elif fmt == "md":
        assert out.startswith("# Learning plan: Fine-tuning")
        assert sum(line.startswith("- [ ] ") for line in out.splitlines()) >= 5
    elif fmt == "csv":
        rows = list(csv.DictReader(out.splitlines()))
        assert rows[-1]["id"] == "fine-tuning" and rows[0]["phase"] == "1"
    else:
        ids = [s["id"] for s in json.loads(out)["steps"]]
        assert ids[-1] == "fine-tuning" and "linear-algebra" in ids


def test_knowing_implies_prerequisites_switch(invoke):
    implied = _json(
        invoke("plan", "--to", "fine-tuning", "--have", "backpropagation", "--format", "json")
    )
    strict = _json(
        invoke(
            "plan",
            "--to",
            "fine-tuning",
            "--have",
            "backpropagation",
            "--no-implied",
            "--format",
            "json",
        )
    )
    assert len(strict["steps"]) >= len(implied["steps"])
    assert "calculus" not in {s["id"] for s in implied["steps"]}


def test_include_optional_adds_steps(invoke):
    base = _json(invoke("plan", "--to", "ai-engineer", "--format", "json"))
    more = _json(invoke("plan", "--to", "ai-engineer", "--include-optional", "--format", "json"))
    assert set(s["id"] for s in base["steps"]) < set(s["id"] for s in more["steps"])


def test_plan_in_chinese(invoke):
    result = invoke("--lang", "zh", "plan", "--to", "ai-engineer")
    assert result.exit_code == 0, result.output
    assert "AI工程师" in result.stdout and "线性代数" in result.stdout


def test_unknown_target_suggests(invoke):
    result = invoke("plan", "--to", "fine-tunning")
    assert result.exit_code == 1
    assert "did you mean" in result.stderr and "fine-tuning" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_known_item_warns(invoke):
    result = invoke("plan", "--to", "git", "--have", "cobol", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "cobol" in result.stderr


def test_missing_target(invoke):
    result = invoke("plan")
    assert result.exit_code == 2 and "--to" in result.stderr


def test_profile(invoke, tmp_path):
    prof = tmp_path / "me.yaml"
    prof.write_text(
        "name: Ada\nknows: [Python编程基础, git]\nlearning: [calculus]\n"
        "goals: [fine-tuning]\nhours_per_week: 8\n",
        encoding="utf-8",
    )
    record = _json(invoke("plan", "--profile", str(prof), "--format", "json"))
    ids = {s["id"]: s for s in record["steps"]}
    assert "python-basics" not in ids and "fine-tuning" in ids
    assert ids["calculus"]["status"] == "learning"
    assert record["weeks"] == pytest.approx(record["total_effort_hours"] / 8, abs=0.01)
    md = invoke("plan", "--profile", str(prof), "--format", "md").stdout
    assert "in progress" in md


def test_bad_profile_is_one_line(invoke, tmp_path):
    prof = tmp_path / "me.yaml"
    prof.write_text("know: [python]\n", encoding="utf-8")
    result = invoke("plan", "--to", "git", "--profile", str(prof))
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and "unknown key 'know'" in result.stderr


def test_cycle_in_user_graph(invoke, tmp_path):
    ttl = tmp_path / "cycle.ttl"
    ttl.write_text(
        "@prefix aip: <https://w3id.org/aipath/ontology#> .\n"
        "@prefix id: <https://w3id.org/aipath/id/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "id:a a aip:Skill ; skos:prefLabel 'a'@en , 'a'@zh ; aip:effortHours 1.0 ;"
        " aip:requires id:b .\n"
        "id:b a aip:Skill ; skos:prefLabel 'b'@en , 'b'@zh ; aip:effortHours 1.0 ;"
        " aip:requires id:a .\n",
        encoding="utf-8",
    )
    result = invoke("--data", str(ttl), "plan", "--to", "a")
    assert result.exit_code != 0
    assert "cycle" in result.stderr and "a" in result.stderr and "b" in result.stderr
    assert "Traceback" not in result.output


def test_path(invoke):
    record = _json(invoke("path", "linear-algebra", "fine-tuning", "--format", "json"))
    ids = [n["id"] for n in record["nodes"]]
    assert ids[0] == "linear-algebra" and ids[-1] == "fine-tuning"
    assert record["hops"] == len(ids) - 1
    hops = _json(invoke("path", "线性代数", "fine-tuning", "--by", "hops", "--format", "json"))
    assert hops["hops"] <= record["hops"]
    table = invoke("path", "linear-algebra", "fine-tuning")
    assert table.exit_code == 0 and "Fine-tuning (fine-tuning)" in table.stdout


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [("fine-tuning", "linear-algebra", "swap them"), ("git", "linear-algebra", "neither")],
)
def test_no_path(invoke, a, b, why):
    result = invoke("path", a, b)
    assert result.exit_code == 4
    assert why in result.stderr and "is not a prerequisite of" in result.stderr


def test_next(invoke):
    first = _json(invoke("next", "--format", "json"))
    assert first and all(not n["id"].startswith("http") for n in first)
    counts = [len(n["unlocks"]) for n in first]
    assert counts == sorted(counts, reverse=True)
    after = _json(invoke("next", "--have", "python-basics", "-n", "50", "--format", "json"))
    assert "python-basics" not in {n["id"] for n in after}
    assert "numpy" in {n["id"] for n in after}
    toward = _json(invoke("next", "--to", "fine-tuning", "-n", "50", "--format", "json"))
    plan = _json(invoke("plan", "--to", "fine-tuning", "--format", "json"))
    assert {n["id"] for n in toward} <= {s["id"] for s in plan["steps"]}


def test_gap(invoke):
    record = _json(invoke("gap", "AI工程师", "--have", "ml-fundamentals", "--format", "json"))
    assert record["role"] == "ai-engineer"
    # the role lists the parts of ml-fundamentals it needs (RL is optional); knowing the parent
    # covers them all
    parts = {"supervised-learning", "unsupervised-learning", "model-evaluation"}
    assert parts <= set(record["have"]) and not parts & set(record["missing"])
    assert record["missing"] and record["plan"]["targets"][0]["id"] == "ai-engineer"
    assert "ai-engineer" not in {s["id"] for s in record["plan"]["steps"]}  # not a step of its own
    table = invoke("gap", "ai-engineer", "--format", "md")
    assert table.exit_code == 0 and "missing" in table.stdout and "- [ ]" in table.stdout


def test_compare(invoke, prereq_graph):
    record = _json(invoke("compare", "data-scientist", "ai-engineer", "--format", "json"))
    assert record["shared"] and record["only_to"]
    steps = {s["id"] for s in record["plan"]["steps"]}
    assert not steps & set(record["shared"])
    # what only the AI engineer lists is planned, unless a data scientist needs it anyway
    already = expand_known(prereq_graph, ["data-scientist"])
    assert set(record["only_to"]) - steps <= already
    assert not steps & already
    table = invoke("compare", "data-scientist", "ai-engineer")
    assert table.exit_code == 0 and "shared" in table.stdout


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c.name)
def test_help_has_examples(invoke, cmd):
    result = invoke(cmd.name, "--help")
    assert result.exit_code == 0 and "Examples:" in result.stdout


def test_plan_frame_text_follows_lang(invoke):
    zh = invoke("--lang", "zh", "plan", "--to", "微调技术", "--hours-per-week", "10")
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.startswith("学习计划：微调技术（fine-tuning）")
    assert "第 1 轮" in zh.stdout and "关键路径" in zh.stdout and "每周 10 小时" in zh.stdout
    md = invoke("--lang", "zh", "plan", "--to", "微调技术", "--format", "md")
    assert md.stdout.startswith("# 学习计划：微调技术") and "## 第 1 轮" in md.stdout
    en = invoke("plan", "--to", "微调技术")
    assert en.stdout.startswith("Plan for Fine-tuning (fine-tuning)") and "Phase 1" in en.stdout
