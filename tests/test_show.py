"""``describe`` / ``prerequisite_tree`` and ``aipath show``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph

from aipath_graph.cli import main
from aipath_graph.namespaces import AIP, ID
from aipath_graph.show import describe, prerequisite_tree

FIXTURE = Path(__file__).parent / "data" / "query-fixture.ttl"


def ids(items: list[dict]) -> set[str]:
    return {x["id"] for x in items}


def test_describe_gathers_everything() -> None:
    g = Graph().parse(FIXTURE)
    info = describe(g, ID["deep-learning"], lang="zh")
    assert info["type"] == "Skill" and info["label"] == {"zh": "深度学习", "en": "Deep learning"}
    assert info["effort"] == 10.0 and info["stage"]["id"] == "intermediate"
    assert {(x["id"], x["kind"]) for x in info["prerequisites"]} == {
        ("backpropagation", "part"),
        ("neural-networks", "part"),
    }
    assert ids(info["unlocks"]) == {"fine-tuning"}
    assert {(x["id"], x["kind"]) for x in info["roles"]} == {("ai-engineer", "essential")}
    assert ids(info["tools"]) == {"pytorch", "tensorflow"}
    assert ids(info["resources"]) == {"d2l"}
    py = describe(g, ID.python)
    assert py["exact_match"] == ["http://www.wikidata.org/entity/Q28865"]
    assert py["alt"] == {"en": ["Python"]}
    assert [x["reason"] for x in py["roles"]] == ["the language of the field"]
    assert ids(py["projects"]) == {"mnist-project"}


def test_tree_repeats_shared_prerequisites_once() -> None:
    g = Graph().parse(FIXTURE)
    tree = prerequisite_tree(g, ID["fine-tuning"])

    def walk(node):
        for c in node["children"]:
            yield c
            yield from walk(c)

    full = [c["id"] for c in walk(tree) if not c.get("repeated")]
    assert len(full) == len(set(full))
    assert set(full) == {
        "deep-learning",
        "backpropagation",
        "calculus",
        "linear-algebra",
        "neural-networks",
        "python",
        "any-dl-framework",
        "pytorch",
        "tensorflow",
    }


def test_show_command_formats() -> None:
    runner = CliRunner()
    base = ["--data", str(FIXTURE), "show"]
    text = runner.invoke(main, [*base, "反向传播算法"])
    assert text.exit_code == 0, text.output
    assert "Calculus (calculus)  requires — gradients come from the chain rule" in text.stdout
    zh = runner.invoke(main, [*base, "backpropagation", "--lang", "zh"])
    assert "梯度来自链式法则" in zh.stdout
    doc = json.loads(runner.invoke(main, [*base, "python", "--format", "json"]).stdout)
    assert doc["iri"] == str(ID.python)
    rows = list(
        csv.reader(io.StringIO(runner.invoke(main, [*base, "python", "--format", "csv"]).stdout))
    )
    assert ["exact_match", "", "http://www.wikidata.org/entity/Q28865", "", ""] in rows
    bad = runner.invoke(main, [*base, "pythn"])
    assert bad.exit_code != 0 and "did you mean" in bad.stderr and "Traceback" not in bad.stderr


def test_describe_on_bundled_graph_matches_triples() -> None:
    from aipath_graph.graph import load_graph

    g = load_graph()
    node = ID["fine-tuning"]
    info = describe(g, node)
    assert ids([x for x in info["prerequisites"] if x["kind"] == "requires"]) == {
        str(o).removeprefix(str(ID)) for o in g.objects(node, AIP.requires)
    }
    assert ids(info["resources"]) == {
        str(s).removeprefix(str(ID)) for s in g.subjects(AIP.teaches, node)
    }
    assert all(x["reason"] for x in info["prerequisites"] if x["kind"] == "requires")
