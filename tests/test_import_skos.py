"""`aipath import skos`: ESCO's digital skills (an excerpt) and a fixture of SKOS oddities."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import SKOS, Graph, URIRef

from aipath_graph.errors import DataError
from aipath_graph.graph import load_graph
from aipath_graph.importers import import_graph
from aipath_graph.namespaces import AIP, ID
from aipath_graph.project import prerequisite_graph

DATA = Path(__file__).parent / "data" / "esco"
EXCERPT = DATA / "esco-excerpt.ttl"
ML = "http://data.europa.eu/esco/skill/3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43"


@pytest.fixture(scope="module")
def excerpt():
    return import_graph("skos", [EXCERPT], prefix="esco")


def test_every_concept_becomes_a_skill_with_its_iri(excerpt):
    source = Graph().parse(EXCERPT)
    concepts = {str(s) for s in source.subjects(None, SKOS.Concept)}
    skills = excerpt.kinds["skills"]
    assert {n["exact_match"][0] for n in skills.values()} == concepts
    assert skills["esco-machine-learning"]["exact_match"] == [ML]


def test_polyhierarchy_is_kept(excerpt):
    source = Graph().parse(EXCERPT)
    multi = [
        s
        for s in set(source.subjects(SKOS.broader))
        if len(set(source.objects(s, SKOS.broader))) > 1
    ]
    assert len(multi) == 10
    by_iri = {n["exact_match"][0]: n for n in excerpt.kinds["skills"].values()}
    for s in multi:
        assert len(by_iri[str(s)]["broader"]) == len(set(source.objects(s, SKOS.broader)))


def test_oddities_are_reported_with_counts(excerpt):
    w = excerpt.warnings.summary()
    assert w["no-label"] == 2  # no skos:prefLabel: named after the uuid
    assert w["space-label"] == 1  # "perform virtual simulation "
    assert w["optional"] == 2
    assert w["dup-label"] >= 1  # "working with computers" x3
    labels = [n["label"]["en"] for n in excerpt.kinds["skills"].values()]
    assert labels.count("working with computers") == 3
    assert "perform virtual simulation" in labels


def test_imported_yaml_loads_beside_the_bundled_graph(excerpt, tmp_path):
    path = tmp_path / "esco.yaml"
    excerpt.write(path)
    g = load_graph([Path("graph"), path])
    assert (ID["esco-machine-learning"], SKOS.exactMatch, URIRef(ML)) in g
    G = prerequisite_graph(g)
    assert G.has_edge("esco-machine-learning", "esco-artificial-intelligence") or any(
        d["kind"] == "part" for _, _, d in G.out_edges("esco-machine-learning", data=True)
    )


def test_fixture_oddities(tmp_path):
    r = import_graph("skos", [DATA / "oddities.ttl"], prefix="x")
    w = r.warnings.summary()
    assert w["isco"] == 1 and w["role-empty"] == 1 and w["self"] == 1 and w["cycle"] == 1
    assert w["dangling"] == 2  # broader ex:elsewhere, optional ex:missing
    skills = r.kinds["skills"]
    assert skills["x-python"]["label"] == {"zh": "Python", "en": "Python", "fr": "Python"}
    assert skills["x-python"]["alt"] == {"en": ["Python 3"]}
    assert skills["x-python"]["broader"] == ["x-programming"]  # from skos:narrower
    assert skills["x-programming"]["label"]["de"] == "Programmierung"
    role = r.kinds["roles"]["x-python-developer"]
    assert role["essential"][0]["id"] == "x-python" and role["optional"] == ["x-numpy"]
    path = tmp_path / "x.ttl"
    r.write(path)
    g = load_graph([path])
    assert (ID["x-python-developer"], AIP.essentialSkill, ID["x-python"]) in g
    prerequisite_graph(g)  # acyclic after the cycle was broken


def test_cli_import_and_validate(invoke, tmp_path):
    out = tmp_path / "esco.yaml"
    result = invoke("import", "skos", str(EXCERPT), "--prefix", "esco", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (
        "imported 64 skills" in result.stderr and "warning: 2 nodes had no label" in result.stderr
    )
    result = invoke("--data", "graph", "--data", str(out), "validate", "--no-shacl")
    assert result.exit_code == 0, result.output


def test_not_skos_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.ttl"
    path.write_text("<http://e/a> <http://e/p> <http://e/b> .\n")
    with pytest.raises(DataError, match="no skos:Concept"):
        import_graph("skos", [path])
