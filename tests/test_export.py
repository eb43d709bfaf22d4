"""Exports: every format of the registry, through the CLI, read back by the tools that use it."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from aipath_graph.export import FORMATS, export, flat_graph, get_format

RDF_PARSERS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def flat(bundled):
    return flat_graph(bundled)


@pytest.mark.parametrize("name", sorted(RDF_PARSERS))
def test_rdf_round_trip_is_isomorphic(bundled, name):
    text = export(bundled, name)
    back = Graph().parse(data=text, format=RDF_PARSERS[name])
    assert isomorphic(back, bundled)


def test_jsonld_uses_the_published_context(bundled):
    data = json.loads(export(bundled, "jsonld"))
    assert data["@context"]["aip"] == "https://w3id.org/aipath/ontology#"
    ids = {node["@id"] for node in data["@graph"]}
    assert "id:backpropagation" in ids


def _same_graph(back: nx.DiGraph, flat: nx.DiGraph) -> None:
    assert set(back.nodes) == set(flat.nodes)
    assert set(back.edges) == set(flat.edges)
    for n, d in flat.nodes(data=True):
        got = back.nodes[n]
        for key, value in d.items():
            assert got[key] == value, (n, key)
    for u, v, d in flat.edges(data=True):
        for key, value in d.items():
            assert back.edges[u, v].get(key, "") == value, (u, v, key)


def test_graphml_loads_back_in_networkx(bundled, flat, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(export(bundled, "graphml"), encoding="utf-8")
    _same_graph(nx.read_graphml(path), flat)


def test_gexf_loads_back_in_networkx(bundled, flat, tmp_path):
    path = tmp_path / "g.gexf"
    path.write_text(export(bundled, "gexf"), encoding="utf-8")
    back = nx.read_gexf(path)
    _same_graph(back, flat)


def test_cytoscape_json(bundled, flat):
    data = json.loads(export(bundled, "cytoscape"))
    nodes = {e["data"]["id"]: e["data"] for e in data["elements"]["nodes"]}
    edges = {(e["data"]["source"], e["data"]["target"]) for e in data["elements"]["edges"]}
    assert set(nodes) == set(flat.nodes) and edges == set(flat.edges)
    assert nodes["backpropagation"]["label_zh"] == "反向传播算法"
    assert all(s in nodes and t in nodes for s, t in edges)


def test_dot_parses_with_pydot(bundled, flat):
    pydot = pytest.importorskip("pydot")
    (graph,) = pydot.graph_from_dot_data(export(bundled, "dot"))
    names = {n.get_name().strip('"') for n in graph.get_nodes()} - {"node", "edge", "graph"}
    assert names == set(flat.nodes)
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in graph.get_edges()}
    assert edges == set(flat.edges)


def test_dot_escapes_quotes_and_backslashes():
    pydot = pytest.importorskip("pydot")
    g = Graph().parse(
        data="""
        @prefix aip: <https://w3id.org/aipath/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/aipath/id/x> a aip:Skill ; skos:prefLabel "say \\"hi\\" \\\\ bye"@en .
    """,
        format="turtle",
    )
    (graph,) = pydot.graph_from_dot_data(export(g, "dot"))
    (node,) = [n for n in graph.get_nodes() if n.get_name() == '"x"']
    assert node.get("label") == '"say \\"hi\\" \\\\ bye"'


# The Mermaid subset we emit: a header, node lines id["label"], edge lines id --> id / id -.-> id.
_MERMAID_LINE = re.compile(
    r'^  (?:(?P<id>[A-Za-z0-9_]+)\["(?P<label>[^"]*)"\]'
    r"|(?P<u>[A-Za-z0-9_]+) (?:-->|-\.->) (?P<v>[A-Za-z0-9_]+))$"
)


def check_mermaid(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """A strict checker of the Mermaid flowchart subset export writes; returns nodes and edges."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for line in lines[1:]:
        m = _MERMAID_LINE.match(line)
        assert m, f"not valid in our Mermaid subset: {line!r}"
        if m["id"]:
            assert m["id"] not in nodes, f"node defined twice: {m['id']}"
            assert m["id"].lower() != "end"
            nodes.add(m["id"])
        else:
            assert m["u"] in nodes and m["v"] in nodes, line
            edges.add((m["u"], m["v"]))
    return nodes, edges


def test_mermaid_is_a_valid_prerequisite_flowchart(bundled, prereq_graph):
    nodes, edges = check_mermaid(export(bundled, "mermaid"))
    assert len(nodes) == prereq_graph.number_of_nodes()
    assert len(edges) == prereq_graph.number_of_edges()


def test_mermaid_checker_rejects_bad_lines():
    with pytest.raises(AssertionError):
        check_mermaid('flowchart LR\n  a["x"y"]\n')
    with pytest.raises(AssertionError):
        check_mermaid('flowchart LR\n  a-b["x"]\n')


def test_csv_nodes_and_edges(bundled, flat):
    nodes = list(csv.DictReader(io.StringIO(export(bundled, "csv-nodes"))))
    edges = list(csv.DictReader(io.StringIO(export(bundled, "csv-edges"))))
    assert {r["id"] for r in nodes} == set(flat.nodes)
    assert {(r["source"], r["target"]) for r in edges} == set(flat.edges)
    row = next(r for r in nodes if r["id"] == "backpropagation")
    assert row["label_zh"] == "反向传播算法" and float(row["effort"]) > 0


def test_registry_lookup():
    assert get_format("application/ld+json").name == "jsonld"
    assert get_format("map.edges.csv").name == "csv-edges"
    assert get_format("GV").name == "dot"
    from aipath_graph.errors import UsageError

    with pytest.raises(UsageError, match="unknown export format"):
        get_format("xlsx")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_cli_export_every_format_to_file(invoke, tmp_path, name):
    out = tmp_path / f"g{FORMATS[name].suffix}"
    result = invoke("export", "-o", str(out), "--focus", "backpropagation", "--depth", "1")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").strip()


def test_cli_focus_restricts_rdf(invoke, bundled):
    result = invoke("export", "--format", "nt", "--focus", "反向传播算法", "--depth", "1")
    assert result.exit_code == 0, result.output
    g = Graph().parse(data=result.output, format="nt")
    assert 0 < len(g) < len(bundled) / 5
    subjects = {str(s).rsplit("/", 1)[-1] for s in g.subjects()}
    assert "backpropagation" in subjects and "calculus" in subjects


def test_cli_plan_to_exports_the_plan(invoke, prereq_graph):
    from aipath_graph.plan import plan

    result = invoke(
        "export", "--format", "csv-nodes", "--plan-to", "backpropagation", "--have", "calculus"
    )
    assert result.exit_code == 0, result.output
    ids = {r["id"] for r in csv.DictReader(io.StringIO(result.output))}
    p = plan(prereq_graph, ["backpropagation"], known=["calculus"])
    assert {str(i) for i in p.ids} <= ids and "calculus" not in ids


def test_cli_list_and_errors(invoke):
    result = invoke("export", "--list")
    assert result.exit_code == 0 and all(name in result.output for name in FORMATS)
    result = invoke("export", "--focus", "no-such-skill-xyz")
    assert result.exit_code == 1 and "unknown term" in result.output
    result = invoke("export", "--depth", "2")
    assert result.exit_code == 2
