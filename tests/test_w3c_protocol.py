"""The W3C SPARQL 1.1 Protocol test suite, run over real HTTP against ``aipath serve``.

Every test of ``tests/data/w3c-sparql11-protocol/manifest.ttl`` (see SOURCE.md
there) becomes the HTTP requests it describes — method, path and query string,
headers and body bytes exactly as written — sent to a live server that serves
the fixture dataset holding the graphs the manifest names. The manifest's
expectations are asserted: status class, result format, boolean answer.

The endpoint is read-only, so the tests that write are not applicable as
written: for them the update request must be refused with 403 and the queries
that follow must find the dataset untouched (their ``GRAPH`` names a graph the
dataset does not hold, which SPARQL answers as empty: ``false``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from tests.conftest_server import LiveServer, start_server, stop_server

HERE = Path(__file__).parent / "data" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

RESULT_TYPES = {"application/sparql-results+xml", "application/sparql-results+json"}
TABULAR_TYPES = RESULT_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass
class Request:
    """One ``ht:Request`` of the manifest and the response it expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]
    boolean: bool | None = None
    fmt: str | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """True for the update tests (the manifest names each ``update_…`` or ``bad_update_…``)."""
        return "update" in self.name


def load_manifest() -> list[ProtocolTest]:
    g = Graph().parse(HERE / "manifest.ttl", format="turtle", publicID=BASE)
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)))
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            node = g.value(req, HT.headers)
            for h in Collection(g, node) if node is not None else []:
                headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
            body = None
            content = g.value(req, HT.body)
            if content is not None:
                encoding = str(g.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(content, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {
                int(str(s).rsplit("StatusCode", 1)[1][0])
                for s in g.objects(resp, MF.expectedStatus)
            }
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            test.requests.append(
                Request(
                    str(g.value(req, HT.methodName)),
                    str(g.value(req, HT.absolutePath)),
                    headers,
                    body,
                    statuses,
                    None if boolean is None else bool(boolean.toPython()),
                    None if fmt is None else str(fmt),
                )
            )
        tests.append(test)
    return tests


TESTS = load_manifest()


@pytest.fixture(scope="module")
def w3c() -> Iterator[LiveServer]:
    server = start_server(global_args=("--data", str(HERE / "dataset.trig")))
    yield server
    stop_server(server)


def send(server: LiveServer, req: Request) -> httpx.Response:
    # The manifest's paths start with /sparql/; this endpoint is /sparql.
    path = "/sparql" + req.path[len("/sparql/") :]
    return httpx.request(
        req.method, server.url + path, headers=req.headers, content=req.body, timeout=30
    )


def answer(r: httpx.Response) -> bool:
    media = r.headers["content-type"].split(";")[0].strip()
    assert media in RESULT_TYPES, f"a boolean answer comes as SPARQL results, not {media}"
    if media.endswith("json"):
        return bool(json.loads(r.text)["boolean"])
    from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

    return bool(XMLResultParser().parse(io.BytesIO(r.content)).askAnswer)


def check(r: httpx.Response, req: Request) -> None:
    assert r.status_code // 100 in req.statuses, f"{r.status_code}: {r.text[:300]}"
    assert "Traceback" not in r.text
    media = r.headers.get("content-type", "").split(";")[0].strip()
    if req.fmt == "boolean" or req.boolean is not None:
        assert answer(r) is req.boolean if req.boolean is not None else media in RESULT_TYPES
    elif req.fmt == "tabular":
        assert media in TABULAR_TYPES, media
    elif req.fmt == "RDF":
        assert media in RDF_TYPES, media
        Graph().parse(data=r.text, format=RDF_TYPES[media])


def test_the_manifest_is_read_whole() -> None:
    assert len(TESTS) == 34
    assert sum(t.writes for t in TESTS) == 14
    assert all(t.requests and t.requests[0].statuses for t in TESTS)


def test_the_fixture_holds_the_suites_data() -> None:
    ds = Dataset()
    ds.parse(HERE / "dataset.trig", format="trig")
    for i in (1, 2, 3):
        graph = ds.graph(URIRef(f"http://kasei.us/2009/09/sparql/data/data{i}.rdf"))
        assert isomorphic(graph, Graph().parse(HERE / f"data{i}.nt", format="nt"))


@pytest.mark.parametrize("test", [t for t in TESTS if not t.writes], ids=lambda t: t.name)
def test_query(w3c: LiveServer, test: ProtocolTest) -> None:
    for req in test.requests:
        check(send(w3c, req), req)


@pytest.mark.parametrize("test", [t for t in TESTS if t.writes], ids=lambda t: t.name)
def test_update_is_refused_and_changes_nothing(w3c: LiveServer, test: ProtocolTest) -> None:
    first, *reads = test.requests
    r = send(w3c, first)
    if first.statuses == {4}:  # a malformed update: the manifest's own expectation
        assert r.status_code // 100 == 4, r.text
    else:  # a well-formed update: this endpoint is read-only
        assert r.status_code == 403, r.text
        assert "read-only" in r.text
    for req in reads:  # what the update would have written is not there
        r = send(w3c, req)
        assert r.status_code == 200, r.text
        assert answer(r) is False
