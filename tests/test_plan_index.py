"""The planner's per-graph index: kept for a frozen graph, never stale for any other.

:func:`aipath_graph.choose.graph_index` memoises prerequisite lists. A plan must see
every change made to a graph between calls, whether the graph is a plain DiGraph,
a copy of a frozen one, or a view of a graph that changes; and a frozen graph must
give the very same plans as the plain one.
"""

from __future__ import annotations

import dataclasses
import pickle

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from aipath_graph.choose import graph_index
from aipath_graph.plan import closure, plan
from tests.test_plan import career_graph, instances


def _same(p, q) -> None:
    assert dataclasses.astuple(p) == dataclasses.astuple(q)


@pytest.mark.parametrize("target", ["ai-engineer", "senior", "fine-tuning", "chatbot"])
@pytest.mark.parametrize("include_optional", [False, True])
def test_frozen_graph_plans_equal_plain_ones(target, include_optional):
    G = career_graph()
    F = nx.freeze(career_graph())
    for known in ([], ["python"], ["tensorflow", "git"]):
        for _ in range(2):  # the second call on F uses the kept index
            _same(
                plan(F, [target], known=known, include_optional=include_optional),
                plan(G, [target], known=known, include_optional=include_optional),
            )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_frozen_and_plain_agree_on_random_graphs(inst):
    G, targets, known = inst
    F = nx.freeze(G.copy())
    for bound in (2**16, 0):
        _same(
            plan(F, targets, known=known, max_combinations=bound),
            plan(G, targets, known=known, max_combinations=bound),
        )


def test_index_is_kept_only_for_a_frozen_graph():
    F = nx.freeze(career_graph())
    plan(F, ["ai-engineer"])
    ix = graph_index(F)
    assert ix is graph_index(F) and "fine-tuning" in ix.prereqs
    assert graph_index(F, include_optional=True) is not ix
    G = career_graph()
    assert graph_index(G) is not graph_index(G)


def test_plain_graph_changes_are_seen_between_plans():
    G = career_graph()
    before = plan(G, ["fine-tuning"])
    G.add_node("statistics", type="Skill", effort=30.0, stage="beginner")
    G.add_edge("statistics", "ml-basics", kind="requires")
    G.nodes["python"]["effort"] = 10.0
    after = plan(G, ["fine-tuning"])
    assert "statistics" not in before.ids and "statistics" in after.ids
    assert after.total_effort == before.total_effort - 40.0 + 10.0 + 30.0
    assert next(s.effort for s in after.steps if s.id == "python") == 10.0


def test_copy_of_a_frozen_graph_gets_its_own_index():
    F = nx.freeze(career_graph())
    assert "docker" not in closure(F, ["fine-tuning"])
    H = F.copy()  # shares F.graph's entries, the kept index among them
    H.add_edge("docker", "fine-tuning", kind="requires")
    assert "docker" in closure(H, ["fine-tuning"])
    H = nx.freeze(H)
    assert "docker" in closure(H, ["fine-tuning"])
    assert "docker" not in closure(F, ["fine-tuning"])


def test_view_of_a_changing_graph_is_not_cached():
    G = career_graph()
    V = G.subgraph(["python", "ml-basics", "docker", "git"])  # frozen, yet follows G
    assert nx.is_frozen(V)
    assert closure(V, ["ml-basics"]) == {"python"}
    G.add_edge("docker", "ml-basics", kind="requires")
    assert closure(V, ["ml-basics"]) == {"docker", "python"}


def test_pickled_frozen_graph_plans_the_same_with_a_fresh_index():
    F = nx.freeze(career_graph())
    before = plan(F, ["ai-engineer"], include_optional=True)
    assert graph_index(F, include_optional=True).prereqs
    G = pickle.loads(pickle.dumps(F))
    assert nx.is_frozen(G)
    assert not graph_index(G, include_optional=True).prereqs
    _same(plan(G, ["ai-engineer"], include_optional=True), before)
    assert graph_index(G, include_optional=True).G is G
