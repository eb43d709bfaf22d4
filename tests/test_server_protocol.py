"""The SPARQL 1.1 Protocol against a live ``aipath serve``: methods, media types, clients.

Answers are compared with what ``aipath query`` prints for the same query and
format, and read back by real clients: SPARQLWrapper and rdflib's SPARQLStore.
"""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from tests.conftest_server import ROOT, LiveServer, live_fixture  # noqa: F401 - a fixture

SELECT = """SELECT ?skill ?label ?hours WHERE {
  ?skill a aip:Skill ; skos:prefLabel ?label ; aip:effortHours ?hours .
  FILTER(LANG(?label) = "zh")
} ORDER BY ?skill LIMIT 25"""
CONSTRUCT = """CONSTRUCT { ?s aip:requires ?o } WHERE { ?s aip:requires ?o }"""
ASK = "ASK { id:fine-tuning ?p ?o }"

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ("turtle", "turtle"),
    "application/n-triples": ("nt", "nt"),
    "application/ld+json": ("json-ld", "json-ld"),
}


def cli_query(invoke: Any, text: str, fmt: str) -> str:
    result = invoke("query", text, "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF


def get(live: LiveServer, query: str, accept: str, **params: str) -> httpx.Response:
    return httpx.get(
        live.sparql, params={"query": query, **params}, headers={"Accept": accept}, timeout=30
    )


@pytest.mark.parametrize("media", list(RESULT_TYPES))
@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
def test_select_each_method_and_type_equals_the_cli(
    live: LiveServer, invoke: Any, method: str, media: str
) -> None:
    if method == "GET":
        r = get(live, SELECT, media)
    elif method == "POST form":
        r = httpx.post(live.sparql, data={"query": SELECT}, headers={"Accept": media}, timeout=30)
    else:
        r = httpx.post(
            live.sparql,
            content=SELECT.encode(),
            timeout=30,
            headers={"Accept": media, "Content-Type": "application/sparql-query"},
        )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    assert r.text == cli_query(invoke, SELECT, RESULT_TYPES[media])


@pytest.mark.parametrize("media", list(GRAPH_TYPES))
def test_construct_each_graph_type_equals_the_cli(
    live: LiveServer, invoke: Any, media: str
) -> None:
    parser, cli_fmt = GRAPH_TYPES[media]
    r = get(live, CONSTRUCT, media)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    served = Graph().parse(data=r.text, format=parser)
    expected = Graph().parse(data=cli_query(invoke, CONSTRUCT, cli_fmt), format=parser)
    assert len(served) > 50
    assert isomorphic(served, expected)


def test_ask_in_json_and_xml(live: LiveServer) -> None:
    r = get(live, ASK, "application/sparql-results+json")
    assert r.json() == {"head": {}, "boolean": True}
    r = get(live, "ASK { id:no-such-node ?p ?o }", "application/sparql-results+xml")
    parsed = XMLResultParser().parse(io.BytesIO(r.content))
    assert parsed.askAnswer is False


def test_negotiation_quality_wildcards_and_format_parameter(live: LiveServer) -> None:
    r = get(live, SELECT, "text/csv;q=0.2, application/sparql-results+xml;q=0.9")
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    r = get(live, SELECT, "*/*")
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = get(live, CONSTRUCT, "*/*")
    assert r.headers["content-type"].startswith("text/turtle")
    r = get(live, SELECT, "application/sparql-results+json", format="csv")
    assert r.headers["content-type"].startswith("text/csv")
    r = get(live, SELECT, "image/png")
    assert r.status_code == 406
    assert "acceptable types" in r.text


def test_service_description(live: LiveServer) -> None:
    r = httpx.get(live.sparql, headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200
    sd = Graph().parse(data=r.text, format="turtle", publicID=live.sparql)
    SD = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(SD + "endpoint"), URIRef(live.sparql)) in sd
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in sd
    formats = {str(o) for o in sd.objects(None, URIRef(SD + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats
    # A browser is sent to the explorer's query box instead.
    r = httpx.get(live.sparql, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 303 and r.headers["location"] == "/#sparql"


ONTOLOGY_GRAPH = "https://w3id.org/aipath/graph/ontology"
BUNDLED_GRAPH = "https://w3id.org/aipath/graph/bundled"
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


def test_service_description_lists_the_named_graphs(live: LiveServer) -> None:
    r = httpx.get(live.sparql, headers={"Accept": "text/turtle"}, timeout=30)
    sd = Graph().parse(data=r.text, format="turtle")
    SD = "http://www.w3.org/ns/sparql-service-description#"
    named = {str(o) for o in sd.objects(None, URIRef(SD + "name"))}
    assert named == {ONTOLOGY_GRAPH, BUNDLED_GRAPH}
    for entry in sd.subjects(URIRef(SD + "name"), URIRef(ONTOLOGY_GRAPH)):
        graph = sd.value(entry, URIRef(SD + "graph"))
        size = sd.value(graph, URIRef("http://rdfs.org/ns/void#triples"))
        assert size is not None and size.toPython() == len(
            Graph().parse(ROOT / "ontology" / "aipath.ttl")
        )


def test_dataset_parameters_pick_the_named_graphs(live: LiveServer, invoke: Any) -> None:
    onto = get(live, COUNT, "text/csv", **{"default-graph-uri": ONTOLOGY_GRAPH})
    assert onto.status_code == 200, onto.text
    expected = cli_query(
        invoke, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}", "csv"
    )
    assert onto.text == expected
    r = httpx.post(
        live.sparql,
        data={
            "query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": BUNDLED_GRAPH,
        },
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    assert r.status_code == 200 and r.text.split() == ["g", BUNDLED_GRAPH]
    # Only named graphs given: the default graph is empty, as the protocol says.
    r = get(live, "ASK { ?s ?p ?o }", "text/csv", **{"named-graph-uri": BUNDLED_GRAPH})
    assert r.text == "false\n"


@pytest.mark.parametrize(
    "params",
    [
        {"default-graph-uri": "http://example.org/g"},
        {"named-graph-uri": "file:///etc/passwd"},
        {"default-graph-uri": ONTOLOGY_GRAPH, "named-graph-uri": "urn:x"},
    ],
)
def test_dataset_parameters_outside_the_dataset_are_refused(live: LiveServer, params) -> None:
    r = get(live, SELECT, "text/csv", **params)
    assert r.status_code == 403, r.text
    assert "is refused" in r.text and "Traceback" not in r.text


def test_a_graph_the_dataset_does_not_hold_is_empty(live: LiveServer) -> None:
    r = get(live, "ASK { GRAPH <http://example.org/none> { ?s ?p ?o } }", "text/csv")
    assert r.status_code == 200 and r.text == "false\n"
    r = get(live, "SELECT ?s { GRAPH <file:///etc/passwd> { ?s ?p ?o } }", "text/csv")
    assert r.status_code == 200 and r.text.split() == ["s"]


def test_protocol_errors(live: LiveServer) -> None:
    r = httpx.post(
        live.sparql, content=b"SELECT * {}", timeout=30, headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 415
    r = httpx.get(live.sparql, params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=30)
    assert r.status_code == 400 and "exactly one" in r.text
    r = httpx.post(live.sparql, data={"format": "json"}, timeout=30)
    assert r.status_code == 400 and "no query" in r.text


def test_rows_are_capped(live: LiveServer) -> None:
    from tests.conftest_server import MAX_ROWS

    r = get(live, "SELECT * { ?s ?p ?o }", "application/sparql-results+json")
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    assert "X-Aipath-Truncated" in r.headers


# ---------------------------------------------------------------- real clients


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(live: LiveServer, invoke: Any, method: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(live.sparql)
    client.setMethod(method)
    client.setQuery(
        "PREFIX aip: <https://w3id.org/aipath/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + SELECT
    )
    client.setReturnFormat(JSON)
    got = client.queryAndConvert()
    assert got == json.loads(cli_query(invoke, SELECT, "json"))


def test_sparqlwrapper_csv_xml_ask_construct(live: LiveServer, invoke: Any) -> None:
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(live.sparql)
    client.setQuery(SELECT)
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().decode("utf-8") == cli_query(invoke, SELECT, "csv")
    client.setReturnFormat(XML)
    doc = client.queryAndConvert()  # a DOM document
    assert len(doc.getElementsByTagName("result")) == 25
    client.setQuery(ASK)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    served = Graph().parse(data=client.queryAndConvert().decode("utf-8"), format="turtle")
    expected = Graph().parse(data=cli_query(invoke, CONSTRUCT, "turtle"), format="turtle")
    assert isomorphic(served, expected)
    client.setReturnFormat(XML)  # CONSTRUCT as RDF/XML: SPARQLWrapper hands back a Graph
    assert isomorphic(client.queryAndConvert(), expected)


def test_sparqlwrapper_update_is_refused(live: LiveServer) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(live.sparql, updateEndpoint=live.url + "/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, OSError)) as err:
        client.query()
    assert "403" in str(err.value) or "read-only" in str(err.value)


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select_equals_local(
    live: LiveServer, bundled: Graph, method: str
) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from aipath_graph.sparql.query import prefixes, run_query

    store = SPARQLStore(live.sparql, returnFormat="json", method=method)
    remote = Graph(store=store)
    ns = {k: str(v) for k, v in prefixes().items()}
    got = [tuple(row) for row in remote.query(SELECT, initNs=ns)]
    local = run_query(bundled, SELECT)
    assert got == [tuple(row.get(v) for v in local.vars) for row in local.rows]
    assert remote.query(ASK, initNs=ns).askAnswer is True


def test_rdflib_sparqlstore_default_xml_and_construct(live: LiveServer, bundled: Graph) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from aipath_graph.sparql.query import prefixes, run_query

    remote = Graph(store=SPARQLStore(live.sparql))  # the default: XML results, RDF/XML graphs
    ns = {k: str(v) for k, v in prefixes().items()}
    rows = list(remote.query(SELECT, initNs=ns))
    assert Literal("微积分", lang="zh") in {row[1] for row in rows} or len(rows) == 25
    built = remote.query(CONSTRUCT, initNs=ns).graph
    assert isomorphic(built, run_query(bundled, CONSTRUCT).graph)
    # Triple patterns go through the endpoint too.
    fine = URIRef("https://w3id.org/aipath/id/fine-tuning")
    assert set(remote.objects(fine, URIRef("https://w3id.org/aipath/ontology#requires"))) == set(
        bundled.objects(fine, URIRef("https://w3id.org/aipath/ontology#requires"))
    )
