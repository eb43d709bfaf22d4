"""The SPARQL runner, its guard, the result formats and the named queries."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.query import Result

from aipath_graph.errors import UnknownTermError
from aipath_graph.namespaces import AIP, ID
from aipath_graph.sparql.query import (
    QueryRefusedError,
    QuerySyntaxError,
    UnknownParameterError,
    UnknownQueryError,
    compile_query,
    named_queries,
    parse_term,
    run_named,
    run_query,
)
from aipath_graph.sparql.results import format_result

DATA = Path(__file__).parent / "data"
PREREQ_KINDS = {"requires", "part", "option", "any"}


def slug_of(term: URIRef) -> str:
    return str(term).removeprefix(str(ID))


@pytest.fixture(scope="module")
def small() -> Graph:
    return Graph().parse(DATA / "query-fixture.ttl")


@pytest.fixture(scope="module")
def bundled() -> Graph:
    from aipath_graph.graph import load_graph

    return load_graph()


def by_slug(text: str) -> URIRef:
    return ID[text]


# ---------------------------------------------------------------- running


def test_predeclared_prefixes_and_bindings(small: Graph) -> None:
    r = run_query(
        small,
        "SELECT ?p WHERE { ?s aip:requires ?p } ORDER BY ?p",
        bindings={"s": ID.backpropagation},
    )
    assert r.vars == ["p"]
    assert r.values("p") == [ID.calculus, ID["linear-algebra"]]


def test_ask_construct_and_describe(small: Graph) -> None:
    assert run_query(small, "ASK { id:fine-tuning aip:requires id:deep-learning }").boolean
    assert not run_query(small, "ASK { id:deep-learning aip:requires id:fine-tuning }").boolean
    c = run_query(small, "CONSTRUCT { ?a aip:requires ?b } WHERE { ?a aip:requires ?b }")
    assert c.kind == "CONSTRUCT"
    assert set(c.graph) == set(small.triples((None, AIP.requires, None)))
    d = run_query(small, "DESCRIBE id:calculus")
    assert (ID.calculus, SKOS.prefLabel, Literal("微积分", lang="zh")) in d.graph


def test_limit_caps_rows_and_keeps_query_reusable(small: Graph) -> None:
    q = compile_query("SELECT ?s WHERE { ?s a aip:Skill }")
    assert len(run_query(small, q, limit=2).rows) == 2
    assert len(run_query(small, q).rows) == 8


@pytest.mark.parametrize(
    "text, word",
    [
        ("INSERT DATA { id:a aip:requires id:b }", "INSERT DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "INSERT/DELETE"),
        ("LOAD <http://example.org/x.ttl>", "LOAD"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("CREATE GRAPH <http://example.org/g>", "CREATE"),
        ("DROP ALL", "DROP"),
    ],
)
def test_updates_are_refused(small: Graph, text: str, word: str) -> None:
    before = len(small)
    with pytest.raises(QueryRefusedError, match=f"^{word} is refused"):
        run_query(small, text)
    assert len(small) == before


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://e.org/q> { ?s ?x ?y } } }",
        "ASK { FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { BIND(<http://e.org/q> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(small: Graph, text: str) -> None:
    with pytest.raises(QueryRefusedError, match="SERVICE is refused"):
        run_query(small, text)


def test_from_is_refused(small: Graph) -> None:
    with pytest.raises(QueryRefusedError, match="FROM"):
        run_query(small, "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }")


def test_syntax_error_names_line_and_column(small: Graph) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        run_query(small, "SELECT ?s\nWHERE {\n  ?s aip:requires ?o .\n  FILTER(?o = )\n}")
    assert "line 4" in str(info.value) and "column" in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_prefix_is_a_query_error(small: Graph) -> None:
    with pytest.raises(QuerySyntaxError, match="nope"):
        run_query(small, "SELECT * WHERE { ?s nope:x ?o }")


@pytest.mark.parametrize(
    "value",
    ['x" } ; DROP ALL ; #', "a}\n} INSERT DATA { <a> <b> <c> }", "'; ?s ?p ?o", '\\"}\r\n'],
)
def test_injection_stays_literal(small: Graph, value: str) -> None:
    before = len(small)
    r = run_query(small, "SELECT ?v (STRLEN(?v) AS ?n) WHERE { }", bindings={"v": Literal(value)})
    assert r.rows[0]["v"] == Literal(value)
    assert r.rows[0]["n"].toPython() == len(value)
    # and through a named query's term parameter, with a resolver that knows nothing
    with pytest.raises(UnknownTermError):
        run_named(
            small,
            "prerequisites",
            {"skill": value},
            resolve=lambda t: (_ for _ in ()).throw(UnknownTermError(t)),
        )
    assert len(small) == before


def test_parse_term_kinds() -> None:
    assert parse_term("skos:broader") == SKOS.broader
    assert parse_term('"a\\"b"') == Literal('a\\"b')
    assert parse_term("anything", by_slug) == ID.anything
    assert parse_term("just text") == Literal("just text")


def test_unknown_binding_variable_lists_variables(small: Graph) -> None:
    with pytest.raises(UnknownParameterError, match="variables are: o, s"):
        run_query(small, "SELECT * WHERE { ?s aip:requires ?o }", bindings={"x": ID.a})


# ---------------------------------------------------------------- formats


def select_result(small: Graph):
    return run_query(
        small,
        "SELECT ?s ?label ?effort ?none ?weird WHERE { ?s skos:prefLabel ?label ; "
        'aip:effortHours ?effort . FILTER(LANG(?label) = "zh") '
        'BIND(IF(?s = id:python, "tab\\there,\\"quoted\\"\\nnewline", 1) AS ?weird) } ORDER BY ?s',
    )


def test_json_matches_w3c_schema_and_reads_back(small: Graph) -> None:
    schema = json.loads((DATA / "sparql-results-json.schema.json").read_text())
    r = select_result(small)
    text = format_result(r, "json")
    doc = json.loads(text)
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    assert doc["head"]["vars"] == ["s", "label", "effort", "none", "weird"]
    parsed = Result.parse(io.StringIO(text), format="json")
    assert [{str(k): v for k, v in b.items()} for b in parsed.bindings] == r.rows
    ask = json.loads(format_result(run_query(small, "ASK { ?s ?p ?o }"), "json"))
    jsonschema.validate(ask, schema)
    assert ask == {"head": {}, "boolean": True}
    with pytest.raises(jsonschema.ValidationError):  # the schema does reject wrong shapes
        jsonschema.validate(
            {
                "head": {"vars": ["x"]},
                "results": {"bindings": [{"x": {"type": "typed-literal", "value": "1"}}]},
            },
            schema,
        )


def test_xml_reads_back(small: Graph) -> None:
    r = select_result(small)
    parsed = Result.parse(io.BytesIO(format_result(r, "xml").encode()), format="xml")
    assert [str(v) for v in parsed.vars] == r.vars
    assert [{str(k): v for k, v in b.items() if v is not None} for b in parsed.bindings] == r.rows
    ask = Result.parse(
        io.BytesIO(format_result(run_query(small, "ASK { id:a ?p ?o }"), "xml").encode()),
        format="xml",
    )
    assert ask.askAnswer is False


def test_csv_reads_back(small: Graph) -> None:
    r = select_result(small)
    text = format_result(r, "csv")
    assert text.count("\r\n") == len(r.rows) + 1
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == r.vars
    for got, want in zip(rows[1:], r.rows, strict=True):
        assert got == [str(want[v]) if v in want else "" for v in r.vars]


def test_tsv_reads_back(small: Graph) -> None:
    r = select_result(small)
    text = format_result(r, "tsv")
    header, *lines = text.rstrip("\n").split("\n")
    assert header == "\t".join(f"?{v}" for v in r.vars)
    assert len(lines) == len(r.rows)
    parsed = Result.parse(io.StringIO(text), format="tsv")
    assert [{str(k): v for k, v in b.items() if v is not None} for b in parsed.bindings] == r.rows


def test_table_labels_iris_in_chosen_language(small: Graph) -> None:
    r = run_query(small, "SELECT ?s WHERE { ?s aip:requires id:calculus }")
    assert "id:backpropagation (反向传播算法)" in format_result(r, "table", g=small, lang="zh")
    assert "id:backpropagation (Backpropagation)" in format_result(r, "table", g=small, lang="en")


def test_graph_formats(small: Graph) -> None:
    c = run_query(small, "CONSTRUCT WHERE { ?a aip:requires ?b }")
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")):
        back = Graph().parse(data=format_result(c, fmt), format=parser)
        assert set(back) == set(c.graph)


# ---------------------------------------------------------------- named queries

REQUIRED = {
    "prerequisites",
    "dependents",
    "role-needs",
    "stage-covers",
    "projects-for-skill",
    "tools-for-skill",
    "resources-for-skill",
    "skills-without-resources",
    "longest-chains",
}


def test_named_queries_are_documented_and_parse() -> None:
    queries = named_queries()
    assert set(queries) >= REQUIRED
    for q in queries.values():
        assert q.title and q.description, q.name
        compiled = compile_query(q.text)
        for p in q.params:
            assert p.description, (q.name, p.name)
            assert f"?{p.name}" in q.text, (q.name, p.name)
        assert compiled is not None


def test_unknown_named_query_and_parameter(small: Graph) -> None:
    with pytest.raises(UnknownQueryError, match=r"known queries: .*prerequisites"):
        run_named(small, "prereqs")
    with pytest.raises(UnknownParameterError, match="its parameters are: skill, lang"):
        run_named(small, "prerequisites", {"skil": "x"}, resolve=by_slug)
    with pytest.raises(UnknownParameterError, match="needs parameter 'skill'"):
        run_named(small, "prerequisites", {}, resolve=by_slug)


def test_prerequisites_on_fixture(small: Graph) -> None:
    r = run_named(small, "prerequisites", {"skill": "fine-tuning", "lang": "zh"}, resolve=by_slug)
    rows = {slug_of(row["prerequisite"]): row for row in r.rows}
    assert set(rows) == {
        "deep-learning",
        "backpropagation",
        "neural-networks",
        "calculus",
        "linear-algebra",
        "python",
        "any-dl-framework",
        "pytorch",
        "tensorflow",
    }
    assert {k for k, v in rows.items() if v["direct"].toPython()} == {
        "deep-learning",
        "any-dl-framework",
    }
    assert str(rows["any-dl-framework"]["kind"]) == "any"
    assert str(rows["any-dl-framework"]["reason"]) == "fine-tuning runs in a framework"
    assert str(rows["calculus"]["label"]) == "微积分"
    bp = run_named(
        small, "prerequisites", {"skill": "backpropagation", "lang": "zh"}, resolve=by_slug
    )
    reasons = {slug_of(r["prerequisite"]): str(r["reason"]) for r in bp.rows}
    # zh when the graph has it, else English
    assert reasons == {
        "calculus": "梯度来自链式法则",
        "linear-algebra": "layers are matrix products",
    }


def test_dependents_parts_and_options_on_fixture(small: Graph) -> None:
    r = run_named(small, "dependents", {"skill": "pytorch"}, resolve=by_slug)
    kinds = {slug_of(row["dependent"]): row.get("kind") for row in r.rows}
    assert kinds == {"any-dl-framework": Literal("option"), "fine-tuning": None}
    r = run_named(small, "dependents", {"skill": "neural-networks"}, resolve=by_slug)
    assert {slug_of(x) for x in r.values("dependent")} == {"deep-learning", "fine-tuning"}


# ---------------------------------------------------------------- the bundled graph


def prereq_subgraph(g: Graph) -> nx.DiGraph:
    from aipath_graph.project import prerequisite_graph

    G = prerequisite_graph(g)
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from((u, v) for u, v, k in G.edges(data="kind") if k in PREREQ_KINDS)
    return H


def test_transitive_prerequisites_equal_networkx_ancestors(bundled: Graph) -> None:
    H = prereq_subgraph(bundled)
    skills = sorted(slug_of(s) for s in bundled.subjects(None, AIP.Skill))
    assert len(skills) > 50
    q = compile_query(named_queries()["prerequisites"].text)
    for skill in skills:
        rows = run_query(bundled, q, bindings={"skill": ID[skill]}).rows
        got = [slug_of(r["prerequisite"]) for r in rows]
        assert len(got) == len(set(got)), skill
        assert set(got) == nx.ancestors(H, skill), skill
        direct = {slug_of(r["prerequisite"]) for r in rows if r["direct"].toPython()}
        assert direct == set(H.predecessors(skill)), skill


def test_dependents_equal_networkx_descendants(bundled: Graph) -> None:
    H = prereq_subgraph(bundled)
    q = compile_query(named_queries()["dependents"].text)
    for skill in ("linear-algebra", "python-basics", "pytorch", "calculus"):
        got = {
            slug_of(x)
            for x in run_query(bundled, q, bindings={"skill": ID[skill]}).values("dependent")
        }
        assert got == nx.descendants(H, skill), skill


def test_longest_chains_match_networkx(bundled: Graph) -> None:
    H = prereq_subgraph(bundled)
    # longest chain ending at each node, counting an any-of group and its option as one step
    depth: dict[str, int] = {}
    for n in nx.topological_sort(H):
        if H.nodes[n].get("type") == "AnyOf":
            depth[n] = max((depth[p] for p in H.predecessors(n)), default=0)
        else:
            depth[n] = max((depth[p] + 1 for p in H.predecessors(n)), default=0)
    assert max(depth.values()) < 16  # the query counts up to 16
    r = run_named(bundled, "longest-chains")
    got = {slug_of(row["skill"]): row["steps"].toPython() for row in r.rows}
    assert got == {n: depth[n] for n in got}
    assert len(got) == sum(1 for n in H if H.nodes[n].get("type") in ("Skill", "Tool"))
    assert r.rows[0]["steps"].toPython() == max(depth.values())


def test_named_queries_return_what_the_data_says(bundled: Graph) -> None:
    role = ID["ai-engineer"]
    rows = run_named(bundled, "role-needs", {"role": "ai-engineer"}).rows
    assert {(str(r["need"]), r["skill"]) for r in rows} == (
        {("essential", o) for o in bundled.objects(role, AIP.essentialSkill)}
        | {("optional", o) for o in bundled.objects(role, AIP.optionalSkill)}
    )
    stage = ID.beginner
    rows = run_named(bundled, "stage-covers", {"stage": "beginner"}).rows
    covered = {r["item"] for r in rows if str(r["relation"]) == "covers"}
    assert covered == set(bundled.objects(stage, AIP.covers))
    projects = {r["item"] for r in rows if str(r["relation"]) == "project"}
    assert projects == {
        p for p in bundled.subjects(AIP.introducedIn, stage) if (p, None, AIP.Project) in bundled
    }
    skill = ID["python-basics"]
    rows = run_named(bundled, "projects-for-skill", {"skill": "python-basics"}).rows
    assert set(r["project"] for r in rows) == set(bundled.subjects(AIP.practises, skill))
    rows = run_named(bundled, "tools-for-skill", {"skill": "fine-tuning"}).rows
    serves = {r["tool"] for r in rows if str(r["relation"]) == "serves"}
    assert serves == set(bundled.subjects(AIP.serves, ID["fine-tuning"]))
    rows = run_named(bundled, "resources-for-skill", {"skill": "dl-fundamentals"}).rows
    assert {r["resource"] for r in rows} == set(
        bundled.subjects(AIP.teaches, ID["dl-fundamentals"])
    )
    rows = run_named(bundled, "skills-without-resources").rows
    assert {r["skill"] for r in rows} == {
        s for s in bundled.subjects(None, AIP.Skill) if (None, AIP.teaches, s) not in bundled
    }


def test_names_are_resolved_in_any_language(bundled: Graph) -> None:
    zh = run_named(bundled, "prerequisites", {"skill": "微调技术"}).rows
    en = run_named(bundled, "prerequisites", {"skill": "fine-tuning"}).rows
    assert zh == en and zh
    with pytest.raises(UnknownTermError, match="did you mean"):
        run_named(bundled, "prerequisites", {"skill": "fine tunning"})
