"""Named graphs end to end, and pyoxigraph answering exactly as rdflib does.

The dataset has one named graph per source and their union as default graph
(:mod:`aipath_graph.dataset`). The same GRAPH / FROM queries give the same
output on the memory store (pyoxigraph from the cache), the embedded Oxigraph
store and the endpoint (``aipath serve`` over HTTP); every named query and a
set of GRAPH queries give the same rows on pyoxigraph as on rdflib's own SPARQL
engine over the same dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import RDF, Dataset, URIRef

from aipath_graph.dataset import BUNDLED_GRAPH, ONTOLOGY_GRAPH
from aipath_graph.namespaces import AIP
from aipath_graph.sparql.engine import OxDataset
from aipath_graph.sparql.query import get_named_query, named_queries, run_named, run_query
from tests.conftest_server import LiveServer, live_fixture  # noqa: F401 - a fixture

ONTO, DATA = str(ONTOLOGY_GRAPH), str(BUNDLED_GRAPH)
GRAPH_QUERIES = [
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "ASK { GRAPH ?g { id:fine-tuning aip:requires ?o } }",
    f"SELECT ?c WHERE {{ GRAPH <{ONTO}> {{ ?c a owl:Class }} }} ORDER BY ?c",
    "SELECT ?g ?s WHERE { GRAPH ?g { ?s aip:requires id:calculus } } ORDER BY ?g ?s",
    f"SELECT ?s WHERE {{ GRAPH <{DATA}> {{ ?s a aip:Role }} "
    f"FILTER NOT EXISTS {{ GRAPH <{ONTO}> {{ ?s ?p ?o }} }} }} ORDER BY ?s",
    "ASK { GRAPH <http://example.org/not-held> { ?s ?p ?o } }",
    "SELECT ?s WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }",
]
DATASET_QUERIES = [
    *GRAPH_QUERIES,
    f"SELECT (COUNT(*) AS ?n) FROM <{ONTO}> WHERE {{ ?s ?p ?o }}",
    f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{DATA}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
    f"ASK FROM NAMED <{ONTO}> {{ ?s ?p ?o }}",  # FROM NAMED alone: an empty default graph
]
#: Parameters for each named query (every one is run).
NAMED_PARAMS: dict[str, dict[str, str]] = {
    "prerequisites": {"skill": "fine-tuning", "lang": "zh"},
    "dependents": {"skill": "calculus"},
    "role-needs": {"role": "ai-engineer"},
    "stage-covers": {"stage": "beginner"},
    "projects-for-skill": {"skill": "python-basics"},
    "tools-for-skill": {"skill": "fine-tuning"},
    "resources-for-skill": {"skill": "dl-fundamentals"},
    "skills-without-resources": {},
}
#: Named queries left out of the comparison, with the reason.
SLOW = {"longest-chains": "over a minute on either engine (nested EXISTS over paths)"}


@pytest.fixture(scope="module")
def engines() -> tuple[OxDataset, Dataset]:
    """The bundled dataset in pyoxigraph (from the cache) and in rdflib."""
    from aipath_graph.cache import GraphCache
    from aipath_graph.graph import build

    entry = GraphCache(None).dataset()
    ox = OxDataset.from_quads(entry["quads"])
    result = build()
    ds = Dataset(default_union=False)
    for name, part in result.parts:
        ds.graph(name).__iadd__(part)
    ds.default_graph.__iadd__(result.graph)
    return ox, ds


def _rows(result: Any) -> Any:
    if result.kind == "ASK":
        return result.boolean
    if result.graph is not None:
        return sorted(result.graph)
    return result.vars, sorted(tuple(sorted(r.items())) for r in result.rows)


def test_every_named_query_is_covered() -> None:
    assert set(NAMED_PARAMS) | set(SLOW) == set(named_queries())


@pytest.mark.parametrize("name", sorted(NAMED_PARAMS))
def test_named_queries_answer_as_rdflib(engines, name: str) -> None:
    ox, ds = engines
    params = NAMED_PARAMS[name]
    if any(p.name == "lang" for p in get_named_query(name).params):
        params = {"lang": "en", **params}
    got = run_named(ox, name, params)
    expected = run_named(ds, name, params)
    if name == "resources-for-skill":  # authors are GROUP_CONCATed in an engine's own order
        got.rows = [
            {k: v if k != "authors" else str(sorted(v.split("; "))) for k, v in r.items()}
            for r in got.rows
        ]
        expected.rows = [
            {k: v if k != "authors" else str(sorted(v.split("; "))) for k, v in r.items()}
            for r in expected.rows
        ]
    assert _rows(got) == _rows(expected)
    assert got.rows or name == "skills-without-resources"


@pytest.mark.parametrize("text", GRAPH_QUERIES)
def test_graph_queries_answer_as_rdflib(engines, text: str) -> None:
    ox, ds = engines
    assert _rows(run_query(ox, text)) == _rows(run_query(ds, text))


def test_the_named_graphs_are_the_sources(engines) -> None:
    ox, _ = engines
    assert ox.graph_names() == sorted([ONTO, DATA])
    counts = {
        str(r["g"]): int(r["n"])
        for r in run_query(
            ox, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ).rows
    }
    total = int(run_query(ox, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"])
    assert counts[ONTO] > 100 and counts[DATA] > 1000
    assert total <= counts[ONTO] + counts[DATA]


def test_each_data_source_is_a_named_graph(tmp_path: Path, invoke) -> None:
    from aipath_graph.bundled import GRAPH_DIR

    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix aip: <https://w3id.org/aipath/ontology#> .\n"
        "<https://w3id.org/aipath/id/extra-skill> aip:requires <https://w3id.org/aipath/id/calculus> .\n",
        encoding="utf-8",
    )
    quads = tmp_path / "more.trig"
    quads.write_text("<urn:example:g> { <urn:example:a> <urn:example:p> 1 . }\n", encoding="utf-8")
    args = ["--data", str(GRAPH_DIR), "--data", str(extra), "--data", str(quads)]
    q = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    result = invoke(*args, "query", q, "--format", "csv")
    assert result.exit_code == 0, result.output
    graphs = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert graphs == [
        "https://w3id.org/aipath/graph/ontology",
        "https://w3id.org/aipath/graph/source/extra-ttl",
        "https://w3id.org/aipath/graph/source/graph",
        "urn:example:g",
    ]
    assert result.stdout.splitlines()[2].endswith(",1")
    # The default graph is their union.
    ask = "ASK { id:extra-skill aip:requires id:calculus . <urn:example:a> ?p ?o . id:git a ?t }"
    assert invoke(*args, "query", ask).exit_code == 0


def test_the_embedded_store_holds_each_source_once(tmp_path: Path, invoke) -> None:
    """Named graphs only, read as their union: a triple two sources state counts once."""
    import pyoxigraph

    from aipath_graph.bundled import GRAPH_DIR

    extra = tmp_path / "extra.ttl"
    extra.write_text(  # the first triple restates the bundled data
        "@prefix aip: <https://w3id.org/aipath/ontology#> .\n"
        "<https://w3id.org/aipath/id/calculus> a aip:Skill .\n"
        "<https://w3id.org/aipath/id/extra-skill> a aip:Skill ;\n"
        "  aip:requires <https://w3id.org/aipath/id/calculus> .\n",
        encoding="utf-8",
    )
    quads = tmp_path / "more.trig"
    quads.write_text(
        "<urn:example:a> <urn:example:p> 2 .\n<urn:example:g> { <urn:example:a> <urn:example:p> 1 . }\n",
        encoding="utf-8",
    )
    args = ["--data", str(GRAPH_DIR), "--data", str(extra), "--data", str(quads)]
    path = tmp_path / "store"
    store = ["--store", f"oxigraph:{path}"]
    for command in (
        ["query", "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"],
        ["query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"],
        ["query", "SELECT ?o { <urn:example:a> ?p ?o } ORDER BY ?o"],
        ["stats", "--format", "json"],
        ["prereqs", "extra-skill"],
        ["export", "--format", "nt"],  # through rdflib: the union, each triple once
    ):
        memory = invoke(*args, *command)
        assert memory.exit_code == 0, memory.output
        got = invoke(*args, *store, *command)
        want, have = memory.stdout, got.stdout
        if command[0] == "export":  # the same triples; blank node labels differ
            want, have = _sorted_triples(want), _sorted_triples(have)
        assert (got.exit_code, have) == (0, want), command
    ox = pyoxigraph.Store.read_only(str(path))
    assert not list(ox.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    own = pyoxigraph.NamedNode("https://w3id.org/aipath/graph/source/more-trig")
    assert [q.object.value for q in ox.quads_for_pattern(None, None, None, own)] == ["2"]


def _sorted_triples(nt: str) -> str:
    return "\n".join(sorted(line for line in nt.splitlines() if "_:" not in line))


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> str:
    return f"oxigraph:{tmp_path_factory.mktemp('embedded') / 'store'}"


@pytest.mark.parametrize("text", DATASET_QUERIES)
def test_same_answers_on_memory_oxigraph_and_the_endpoint(
    invoke, embedded: str, live: LiveServer, text: str
) -> None:
    memory = invoke("query", text, "--format", "csv")
    assert memory.exit_code in (0, 1), memory.output
    oxigraph = invoke("--store", embedded, "query", text, "--format", "csv")
    assert (oxigraph.exit_code, oxigraph.stdout_bytes) == (memory.exit_code, memory.stdout_bytes)
    r = httpx.get(live.sparql, params={"query": text}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    if text.startswith("ASK"):
        assert r.text == memory.stdout
    else:
        assert r.content == memory.stdout_bytes


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_a_dataset_outside_the_store_is_one_line(
    invoke, embedded: str, store: str, text: str
) -> None:
    spec = "memory" if store == "memory" else embedded
    result = invoke("--store", spec, "query", text)
    assert result.exit_code == 1
    assert "is refused: it is not a graph of this dataset" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_graph_over_a_graph_not_held_is_empty_not_an_error(invoke) -> None:
    result = invoke("query", "SELECT ?s { GRAPH <http://example.org/none> { ?s ?p ?o } }")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].strip() == "s"
    assert invoke("query", "ASK { GRAPH ?g { ?s ?p ?o } }").exit_code == 0
    assert URIRef(ONTO) != URIRef(DATA)


def test_show_and_the_tree_read_from_pyoxigraph_as_from_rdflib(engines) -> None:
    from aipath_graph.graph import load_graph
    from aipath_graph.project import NODE_TYPES
    from aipath_graph.show import describe, node_graph, prerequisite_tree

    ox, _ = engines
    g = load_graph()
    nodes = sorted({s for t in NODE_TYPES for s in g.subjects(RDF.type, AIP[t])}, key=str)
    assert len(nodes) > 100
    for node in nodes[::3]:  # a third of them, every kind among them: the test stays quick
        for lang in ("en", "zh"):
            assert describe(node_graph(ox, node), node, lang=lang) == describe(g, node, lang=lang)
        tree = node_graph(ox, node, tree=True)
        assert prerequisite_tree(tree, node, lang="zh") == prerequisite_tree(g, node, lang="zh")


@pytest.mark.parametrize("name", sorted(NAMED_PARAMS))
def test_results_json_is_json_dumps(engines, name: str) -> None:
    """The fast JSON writer gives exactly what ``json.dumps(indent=2)`` gives."""
    import json

    from aipath_graph.sparql.results import format_result, term_json

    ox, _ = engines
    result = run_named(ox, name, NAMED_PARAMS[name])
    for rows in (result.rows, result.rows[:1], []):
        result.rows = rows
        doc = {
            "head": {"vars": result.vars},
            "results": {
                "bindings": [
                    {k: term_json(r[k]) for k in result.vars if k in r} for r in result.rows
                ]
            },
        }
        assert format_result(result, "json") == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
