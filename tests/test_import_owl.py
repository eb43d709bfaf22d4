"""`aipath import owl`: the Occupation Ontology's skill restrictions (excerpt) and OWL oddities."""

from __future__ import annotations

from pathlib import Path

from aipath_graph.graph import load_graph
from aipath_graph.importers import import_graph
from aipath_graph.namespaces import AIP, ID
from aipath_graph.plan import plan
from aipath_graph.project import prerequisite_graph

DATA = Path(__file__).parent / "data" / "occo"
OCCO = sorted(DATA.glob("*.owl"))


def test_restrictions_on_blank_nodes_become_role_skills(tmp_path):
    r = import_graph("owl", OCCO, prefix="occo")
    roles = r.kinds["roles"]
    assert set(roles) == {"occo-statistician", "occo-database-administrator"}
    assert roles["occo-statistician"]["essential"] == [
        "occo-active-learning",
        "occo-active-listening",
        "occo-complex-problem-solving",
        "occo-critical-thinking",
        "occo-mathematics",
        "occo-reading-comprehension",
    ]
    assert roles["occo-statistician"]["exact_match"] == [
        "http://purl.obolibrary.org/obo/OCCO_15204100"
    ]
    w = r.warnings.summary()
    assert w["skipped"] > 0  # data scientist and software developer have no skill axioms
    path = tmp_path / "occo.ttl"
    r.write(path)
    g = load_graph([path])
    assert (ID["occo-statistician"], AIP.essentialSkill, ID["occo-mathematics"]) in g
    p = plan(prerequisite_graph(g), ["occo-statistician"])
    assert len([s for s in p.steps if s.type == "Skill"]) == 6


def test_oddities():
    r = import_graph("owl", [DATA / "oddities.ttl"], prefix="ex")
    w = r.warnings.summary()
    assert w["restriction"] == 1  # allValuesFrom; worksIn some Office is another link
    assert w["dangling"] == 1  # ex:Skill subClassOf ex:ExternalThing
    role = r.kinds["roles"]["ex-analyst"]
    assert role["essential"] == ["ex-coding", "ex-mathematics", "ex-office"]
    assert r.kinds["skills"]["ex-mathematics"]["label"]["de"] == "Mathematik"
    assert r.kinds["skills"]["ex-skill"]["label"]["zh"] == "技能"


def test_skill_property_filters(invoke, tmp_path):
    out = tmp_path / "o.yaml"
    result = invoke(
        "import",
        "owl",
        str(DATA / "oddities.ttl"),
        "--skill-property",
        "http://example.org/onto#hasSkill",
        "--prefix",
        "ex",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "ex-office" not in text and "ex-coding" in text
    assert "restrictions not of the form" in result.stderr
