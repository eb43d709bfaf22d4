"""Tests of the learning-plan algorithms (aipath_graph.plan, aipath_graph.choose).

Hand-built graphs follow the projection contract: edges "u before v" with a kind,
nodes with type, effort and stage. Property tests compare plans on random DAGs with
OR groups against a brute-force optimum computed independently here.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aipath_graph.errors import CycleError, NodeNotFound, NoPathError, UsageError
from aipath_graph.plan import closure, frontier, gap, path, plan, transition


def career_graph() -> nx.DiGraph:
    """A small graph with every kind of node and edge the projection produces."""
    G = nx.DiGraph()
    skills = {
        "python": (40, "beginner"),
        "linear-algebra": (60, "beginner"),
        "calculus": (50, "beginner"),
        "ml-basics": (60, "beginner"),
        "dl-basics": (40, "intermediate"),
        "keras": (15, "intermediate"),
        "pytorch": (30, "intermediate"),
        "tensorflow": (20, "intermediate"),
        "fine-tuning": (25, "professional"),
        "docker": (12, "professional"),
        "git": (8, "beginner"),
        "programming": (5, "beginner"),
    }
    for n, (effort, stage) in skills.items():
        G.add_node(n, type="Skill", effort=float(effort), stage=stage, label={"en": n})
    G.add_node("dl-framework", type="AnyOf", effort=0.0, stage=None)
    G.add_node("chatbot", type="Project", effort=20.0, stage="intermediate")
    for n, t in [
        ("ai-engineer", "Role"),
        ("junior", "CareerLevel"),
        ("senior", "CareerLevel"),
        ("beginner", "Stage"),
        ("qa", "UseCase"),
        ("finance", "Domain"),
    ]:
        G.add_node(n, type=t, effort=0.0, stage=None)
    req = [
        ("python", "ml-basics"),
        ("linear-algebra", "ml-basics"),
        ("calculus", "ml-basics"),
        ("ml-basics", "dl-basics"),
        ("python", "pytorch"),
        ("keras", "tensorflow"),
        ("dl-basics", "fine-tuning"),
    ]
    G.add_edges_from(req, kind="requires")
    G.add_edges_from([("python", "programming"), ("git", "programming")], kind="part")
    G.add_edges_from([("pytorch", "dl-framework"), ("tensorflow", "dl-framework")], kind="option")
    G.add_edge("dl-framework", "fine-tuning", kind="any")
    G.add_edges_from(
        [("fine-tuning", "ai-engineer"), ("programming", "ai-engineer")], kind="essential"
    )
    G.add_edge("docker", "ai-engineer", kind="optional")
    G.add_edge("programming", "junior", kind="essential")
    G.add_edge("junior", "senior", kind="level")
    G.add_edge("fine-tuning", "senior", kind="essential")
    G.add_edge("docker", "senior", kind="optional")
    G.add_edges_from([("python", "chatbot"), ("dl-basics", "chatbot")], kind="practises")
    G.add_edges_from([("python", "beginner"), ("linear-algebra", "beginner")], kind="covers")
    G.add_edge("fine-tuning", "qa", kind="applies")
    return G


# ---------------------------------------------------------------- plan on a known graph


def test_role_plan_takes_essentials_and_cheapest_framework():
    G = career_graph()
    p = plan(G, ["ai-engineer"])
    assert set(p.ids) == {
        "python",
        "git",
        "programming",
        "linear-algebra",
        "calculus",
        "ml-basics",
        "dl-basics",
        "pytorch",
        "fine-tuning",
        "ai-engineer",
    }
    # pytorch 30 vs tensorflow 20 + keras 15: pytorch, since python is needed anyway
    assert [(c.group, c.chosen) for c in p.choices] == [("dl-framework", "pytorch")]
    assert p.method == "exact"
    assert p.total_effort == 40 + 8 + 5 + 60 + 50 + 60 + 40 + 30 + 25
    assert p.ids[-1] == "ai-engineer"
    assert p.critical_path == [
        "linear-algebra",
        "ml-basics",
        "dl-basics",
        "fine-tuning",
        "ai-engineer",
    ]
    assert p.critical_path_effort == 60 + 60 + 40 + 25
    step = {s.id: s for s in p.steps}
    assert step["python"].phase == 1 and step["ml-basics"].phase == 2
    assert step["fine-tuning"].requires == ("pytorch", "dl-basics")  # in plan order
    assert step["fine-tuning"].stage == "professional"
    assert p.weeks(10) == p.total_effort / 10


def test_include_optional_adds_optional_skills():
    G = career_graph()
    assert "docker" not in plan(G, ["ai-engineer"]).ids
    assert "docker" in plan(G, ["ai-engineer"], include_optional=True).ids


def test_known_option_satisfies_group_for_free():
    p = plan(career_graph(), ["fine-tuning"], known=["tensorflow"])
    assert "pytorch" not in p.ids and "tensorflow" not in p.ids
    assert [(c.group, c.chosen, c.known) for c in p.choices] == [
        ("dl-framework", "tensorflow", True)
    ]


def test_shared_prerequisite_counted_once_changes_choice():
    G = career_graph()
    # Once keras is a target too, tensorflow (20 beyond keras) beats pytorch (30).
    p = plan(G, ["fine-tuning", "keras"], known=["python"])
    assert [(c.group, c.chosen) for c in p.choices] == [("dl-framework", "tensorflow")]
    assert "pytorch" not in p.ids


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("beginner", {"python", "linear-algebra", "beginner"}),
        ("chatbot", {"python", "linear-algebra", "calculus", "ml-basics", "dl-basics", "chatbot"}),
        ("programming", {"python", "git", "programming"}),
        ("dl-framework", {"keras", "tensorflow"}),  # 35 h against 70 h
    ],
)
def test_any_kind_of_target(target, expected):
    assert set(plan(career_graph(), [target]).ids) == expected


def test_career_level_builds_on_the_level_below():
    p = plan(career_graph(), ["senior"])
    assert {"junior", "programming", "git", "fine-tuning"} <= set(p.ids)
    assert p.ids.index("junior") < p.ids.index("senior")


def test_knowing_implies_prerequisites_unless_switched_off():
    G = career_graph()
    assert "python" not in plan(G, ["chatbot"], known=["ml-basics"]).ids
    strict = plan(G, ["chatbot"], known=["ml-basics"], assume_prerequisites=False)
    assert "python" in strict.ids  # the chatbot needs python directly
    assert "linear-algebra" not in strict.ids  # needed only through ml-basics


def test_knowing_a_role_knows_its_essentials():
    p = plan(career_graph(), ["senior"], known=["ai-engineer"])
    assert set(p.ids) == {"junior", "senior"}
    assert p.total_effort == 0


def test_unknown_known_is_ignored_and_reported():
    p = plan(career_graph(), ["dl-basics"], known=["cobol"])
    assert p.ignored == ["cobol"]
    assert "dl-basics" in p.ids


def test_everything_known_gives_empty_plan():
    p = plan(career_graph(), ["python"], known=["python"])
    assert p.steps == [] and p.total_effort == 0 and p.critical_path == []


def test_bad_targets():
    G = career_graph()
    with pytest.raises(NodeNotFound, match="'cobol'"):
        plan(G, ["cobol"])
    with pytest.raises(UsageError, match="Domain"):
        plan(G, ["finance"])


def test_cycle_is_named():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    with pytest.raises(CycleError) as err:
        plan(G, ["d"])
    assert set(err.value.cycle) == {"a", "b", "c"}
    assert "a" in str(err.value) and "->" in str(err.value)


def test_closure_excludes_targets_and_groups():
    assert closure(career_graph(), ["fine-tuning"]) == {
        "python",
        "linear-algebra",
        "calculus",
        "ml-basics",
        "dl-basics",
        "pytorch",
    }


def test_heuristic_bound_is_reported():
    p = plan(career_graph(), ["fine-tuning"], max_combinations=1)
    assert p.method == "heuristic"
    assert [(c.group, c.chosen) for c in p.choices] == [("dl-framework", "pytorch")]


# ---------------------------------------------------------------- path, next, gap


def test_path_by_effort_and_hops():
    G = career_graph()
    p = path(G, "python", "ai-engineer")
    assert p.nodes == ["python", "programming", "ai-engineer"] and p.effort == 5
    assert path(G, "keras", "fine-tuning", by="hops").nodes == [
        "keras",
        "tensorflow",
        "dl-framework",
        "fine-tuning",
    ]
    assert path(G, "calculus", "fine-tuning").hops == 3


def test_path_explains_missing_chain():
    G = career_graph()
    with pytest.raises(NoPathError, match="swap them"):
        path(G, "fine-tuning", "python")
    with pytest.raises(NoPathError, match="neither"):
        path(G, "git", "keras")
    with pytest.raises(NoPathError):
        path(G, "docker", "ai-engineer")  # optional edges only on request
    assert path(G, "docker", "ai-engineer", include_optional=True).hops == 1
    with pytest.raises(UsageError):
        path(G, "git", "keras", by="time")


def test_frontier_ranks_by_unlocking():
    G = career_graph()
    nxt = frontier(G, ["python", "linear-algebra"])
    ids = [n.id for n in nxt]
    assert "ml-basics" not in ids and "calculus" in ids and "pytorch" in ids
    # one unlock each; the cheaper first
    assert [(n.id, n.unlocks) for n in nxt[:3]] == [
        ("git", ("programming",)),
        ("keras", ("tensorflow",)),
        ("calculus", ("ml-basics",)),
    ]
    assert all(n.unlocks == () for n in nxt[3:])
    assert all(G.nodes[n]["type"] in {"Skill", "Tool", "Project"} for n in ids)
    within = frontier(G, ["python"], within={"git", "calculus", "ml-basics"})
    assert {n.id for n in within} == {"git", "calculus"}


def test_frontier_through_or_group():
    G = career_graph()
    ids = [n.id for n in frontier(G, ["dl-basics", "keras", "tensorflow"])]
    assert "fine-tuning" in ids


def test_gap_and_transition():
    G = career_graph()
    g = gap(G, "ai-engineer", ["python", "git"])
    # a parent skill is learned when all its parts are (DESIGN.md)
    assert g.have == ["programming"] and g.missing == ["fine-tuning"]
    assert gap(G, "ai-engineer", ["python"]).missing == ["fine-tuning", "programming"]
    assert gap(G, "ai-engineer", ["programming"]).have == ["programming"]
    assert g.optional_missing == ["docker"]
    assert g.plan.ids[-1] == "ai-engineer" and "python" not in g.plan.ids
    t = transition(G, "junior", "ai-engineer")
    assert t.shared == ["programming"] and t.only_target == ["fine-tuning"]
    assert "git" not in t.plan.ids and "fine-tuning" in t.plan.ids


# ---------------------------------------------------------------- properties


@st.composite
def instances(draw):
    """A random DAG of skills with efforts, AND edges, OR groups, targets and knowns."""
    n = draw(st.integers(2, 9))
    G = nx.DiGraph()
    for i in range(n):
        G.add_node(f"s{i}", type="Skill", effort=float(draw(st.integers(0, 20))))
    for i, j in itertools.combinations(range(n), 2):
        if draw(st.booleans()) and draw(st.booleans()):
            G.add_edge(f"s{i}", f"s{j}", kind="requires")
    for k in range(draw(st.integers(0, 4))):
        dep = draw(st.integers(2, n - 1)) if n > 2 else 1
        opts = draw(
            st.lists(st.integers(0, dep - 1), min_size=2 if dep > 1 else 1, max_size=3, unique=True)
        )
        g = f"g{k}"
        G.add_node(g, type="AnyOf", effort=0.0)
        G.add_edges_from(((f"s{o}", g) for o in opts), kind="option")
        G.add_edge(g, f"s{dep}", kind="any")
    skills = [f"s{i}" for i in range(n)]
    targets = draw(st.lists(st.sampled_from(skills), min_size=1, max_size=3, unique=True))
    known = draw(st.lists(st.sampled_from(skills), max_size=3, unique=True))
    return G, targets, known


def _groups(G):
    return [v for v in G if G.nodes[v].get("type") == "AnyOf"]


def _opts(G, g):
    return [u for u, d in G.pred[g].items() if d["kind"] == "option"]


def _known_closure(G, known):
    K = set()
    todo = list(known)
    while todo:
        v = todo.pop()
        if v in K:
            continue
        K.add(v)
        if G.nodes[v].get("type") != "AnyOf":
            todo += [u for u, d in G.pred[v].items() if d["kind"] != "option"]
    return K | {g for g in _groups(G) if any(o in K for o in _opts(G, g))}


def _needed(G, targets, K, assign):
    S = set()
    todo = list(targets)
    while todo:
        v = todo.pop()
        if v in K or v in S:
            continue
        S.add(v)
        if G.nodes[v].get("type") == "AnyOf":
            todo.append(assign[v])
        else:
            todo += [u for u, d in G.pred[v].items() if d["kind"] != "option"]
    return {v for v in S if G.nodes[v].get("type") != "AnyOf"}


def _brute_optimum(G, targets, K):
    groups = _groups(G)
    best = float("inf")
    for combo in itertools.product(*(_opts(G, g) for g in groups)):
        S = _needed(G, targets, K, dict(zip(groups, combo, strict=True)))
        best = min(best, sum(G.nodes[v]["effort"] for v in S))
    return best


def _longest_chain(H):
    best = 0.0
    for src in H:
        stack = [(src, H.nodes[src]["effort"])]
        while stack:
            v, w = stack.pop()
            best = max(best, w)
            stack += [(x, w + H.nodes[x]["effort"]) for x in H.succ[v]]
    return best


def _check_valid(G, p, targets, K):
    pos = {s.id: i for i, s in enumerate(p.steps)}
    assert len(pos) == len(p.steps)
    assert all(t in pos or t in K for t in targets)
    chosen = {c.group: c.chosen for c in p.choices}
    for s in p.steps:
        for u, d in G.pred[s.id].items():
            if d["kind"] == "option":
                continue
            if G.nodes[u].get("type") == "AnyOf":
                if u in K:
                    continue
                o = chosen[u]
                assert o in _opts(G, u)
                assert o in K or pos[o] < pos[s.id]
            else:
                assert u in K or pos[u] < pos[s.id]
        for r in s.requires:
            assert pos[r] < pos[s.id]
            assert p.steps[pos[r]].phase < s.phase
    # exactly what is needed under the plan's own choices
    full = {g: chosen.get(g, _opts(G, g)[0]) for g in _groups(G)}
    assert set(pos) == _needed(G, targets, K, full)
    assert p.total_effort == sum(s.effort for s in p.steps)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_is_valid_and_optimal(inst):
    G, targets, known = inst
    K = _known_closure(G, known)
    p = plan(G, targets, known=known)
    assert p.method == "exact"
    _check_valid(G, p, targets, K)
    assert p.total_effort == _brute_optimum(G, targets, K)
    # the critical path is a chain of steps and the longest weighted one
    H = nx.DiGraph()
    H.add_nodes_from((s.id, {"effort": s.effort}) for s in p.steps)
    H.add_edges_from((r, s.id) for s in p.steps for r in s.requires)
    assert all(H.has_edge(a, b) for a, b in itertools.pairwise(p.critical_path))
    assert p.critical_path_effort == _longest_chain(H) if p.steps else p.critical_path == []


@settings(max_examples=150, deadline=None)
@given(instances())
def test_heuristic_plan_is_valid_and_never_below_optimum(inst):
    G, targets, known = inst
    K = _known_closure(G, known)
    p = plan(G, targets, known=known, max_combinations=0)
    _check_valid(G, p, targets, K)
    assert p.total_effort >= _brute_optimum(G, targets, K)
    assert p.method in {"exact", "heuristic"}
    if not _groups(G):
        assert p.method == "exact"


@settings(max_examples=150, deadline=None)
@given(instances())
def test_frontier_items_are_ready(inst):
    G, _, known = inst
    K = _known_closure(G, known)
    items = frontier(G, known)
    ready = {
        v
        for v in G
        if G.nodes[v]["type"] == "Skill"
        and v not in K
        and all(u in K for u, d in G.pred[v].items() if d["kind"] != "option")
    }
    assert {i.id for i in items} == ready
    counts = [len(i.unlocks) for i in items]
    assert counts == sorted(counts, reverse=True)
