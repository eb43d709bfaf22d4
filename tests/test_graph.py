"""The bundled graph: completeness against the seed, determinism, round trips, conformance."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from aipath_graph.namespaces import AIP, ID
from aipath_graph.validate import validate_paths

from .conftest import DATA, ROOT


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_every_seed_phrase_is_in_the_graph(bundled):
    blob = "\n".join(_norm(str(o)) for o in bundled.objects() if isinstance(o, Literal))
    phrases = [
        line
        for line in (DATA / "seed-phrases.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(phrases) > 200
    missing = [p for p in phrases if _norm(p) not in blob]
    assert missing == []


def test_bundled_graph_conforms_to_shacl_and_checks():
    report = validate_paths()
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert report.warnings == [], "\n".join(map(str, report.warnings))


def test_seed_facts(bundled):
    g = bundled
    # the OR group the seed states: 初步了解PyTorch或TensorFlow
    group = g.value(ID["framework-first-look"], AIP.requiresAnyOf)
    assert {ID.pytorch, ID["tensorflow-keras"]} <= set(g.objects(group, AIP.option))
    # backpropagation needs calculus and linear algebra
    assert (ID.backpropagation, AIP.requires, ID.calculus) in g
    assert (ID.backpropagation, AIP.requires, ID["linear-algebra"]) in g
    # the garbled author of 动手学深度学习 is corrected
    from aipath_graph.namespaces import SCHEMA

    authors = {str(a) for a in g.objects(ID["book-dive-into-deep-learning"], SCHEMA.author)}
    assert {"Aston Zhang", "Zachary C. Lipton", "Alexander J. Smola"} <= authors
    # stages carry their months; the expert stage is open-ended
    assert int(g.value(ID.intermediate, AIP.monthsFrom)) == 6
    assert int(g.value(ID.intermediate, AIP.monthsTo)) == 18
    assert g.value(ID.expert, AIP.monthsTo) is None
    # each career level points at the next
    assert g.value(ID["junior-ai-engineer"], AIP.nextLevel) == ID["mid-ai-engineer"]


def test_every_learnable_node_has_effort_and_every_requires_a_reason(bundled, prereq_graph):
    for n, d in prereq_graph.nodes(data=True):
        if d["learnable"]:
            assert d["effort"] > 0, n
    for u, v, d in prereq_graph.edges(data=True):
        if d["kind"] == "requires":
            assert d["reason"], f"{v} requires {u} without a reason"


def _build(fmt: str, seed: str) -> bytes:
    env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "aipath_graph", "build", "--format", fmt],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return out.stdout


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_build_is_deterministic_across_processes(fmt):
    assert _build(fmt, "1") == _build(fmt, "4242")


@pytest.mark.parametrize(
    "fmt,rdflib_format", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")]
)
def test_build_round_trips_isomorphically(tmp_path, invoke, bundled, fmt, rdflib_format):
    out = tmp_path / f"graph.{fmt}"
    result = invoke("build", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    back = Graph().parse(out, format=rdflib_format)
    assert isomorphic(back, bundled)


def test_compiled_rdf_loads_through_data(tmp_path, invoke):
    out = tmp_path / "graph.ttl"
    assert invoke("build", "-o", str(out)).exit_code == 0
    result = invoke("--data", str(out), "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"Skill"' in result.output


def test_build_output_is_atomic_on_error(tmp_path, invoke):
    out = tmp_path / "graph.ttl"
    out.write_text("old content")
    result = invoke("--data", str(DATA / "broken" / "cycle.yaml"), "build", "-o", str(out))
    assert result.exit_code == 3
    assert out.read_text() == "old content"
    assert list(tmp_path.iterdir()) == [out]


def test_stats_reports_counts_and_stage_fit(invoke):
    result = invoke("stats")
    assert result.exit_code == 0, result.output
    for text in ("Skill", "requires", "@zh", "@en", "prerequisite DAG depth", "months"):
        assert text in result.output
    import json

    data = json.loads(invoke("stats", "--format", "json").output)
    assert data["labels"]["zh"]["labelled"] == data["labels"]["zh"]["total"]
    assert [s["stage"] for s in data["stages"]] == [
        "beginner",
        "intermediate",
        "professional",
        "expert",
    ]
    assert data["dag_depth"] >= 5


def test_python_m_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "aipath_graph", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0 and "0.1.0" in out.stdout


def test_written_files_follow_the_umask(tmp_path, invoke):
    import os
    import stat

    out = tmp_path / "graph.ttl"
    old = os.umask(0o022)
    try:
        assert invoke("build", "-o", str(out)).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
