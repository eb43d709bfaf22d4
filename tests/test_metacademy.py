"""Plans on third-party data: an excerpt of Metacademy's prerequisite graph.

The excerpt (tests/data/metacademy, CC BY-SA 3.0, see its README) is loaded the way a
user would load their own graph, through ``--data``; every plan must cover exactly
what Metacademy's own learning plan for that concept lists.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aipath_graph.cli import main
from aipath_graph.graph import load_graph
from aipath_graph.plan import plan
from aipath_graph.project import prerequisite_graph

DATA = Path(__file__).parent / "data" / "metacademy"
TTL = DATA / "metacademy.ttl"


def _slug(tag: str) -> str:
    return tag.replace("_", "-")


def _metacademy_plans() -> dict[str, set[str]]:
    with (DATA / "learning_plans.csv").open(encoding="utf-8") as f:
        return {
            _slug(r["target"]): {_slug(t) for t in r["concepts"].split()} for r in csv.DictReader(f)
        }


PLANS = _metacademy_plans()


@pytest.fixture(scope="module")
def graph():
    return prerequisite_graph(load_graph([TTL]))


def test_excerpt_is_complete(graph):
    assert len(PLANS) == 59
    assert set(PLANS) == {n for n, d in graph.nodes(data=True) if d["type"] == "Skill"}


@pytest.mark.parametrize("target", sorted(PLANS))
def test_plan_equals_metacademy_plan(graph, target):
    p = plan(graph, [target])
    assert set(p.ids) == PLANS[target]
    pos = {n: i for i, n in enumerate(p.ids)}
    for u, v in graph.subgraph(p.ids).edges:
        assert pos[u] < pos[v], (u, v)


@pytest.mark.parametrize(
    "tag", ["backpropagation", "expectation_maximization", "principal_component_analysis"]
)
def test_cli_plan_through_data(tag):
    result = CliRunner().invoke(
        main, ["--data", str(TTL), "plan", "--to", tag, "--format", "json", "--hours-per-week", "5"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    ids = [s["id"] for s in record["steps"]]
    assert set(ids) == PLANS[_slug(tag)]
    assert record["method"] == "exact" and record["choices"] == []
    assert record["total_effort_hours"] == pytest.approx(
        sum(s["effort_hours"] for s in record["steps"])
    )
    assert record["weeks"] == pytest.approx(record["total_effort_hours"] / 5, abs=0.01)
    assert record["critical_path"][-1] == _slug(tag)


def test_cli_plan_by_english_title():
    result = CliRunner().invoke(
        main, ["--data", str(TTL), "plan", "--to", "Chain Rule", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert {r["id"] for r in rows} == PLANS["chain-rule"]
