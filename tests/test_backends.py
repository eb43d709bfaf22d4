"""Every command gives identical results on the memory, embedded Oxigraph and remote stores.

The remote stores are real servers on loopback ports — the Oxigraph server and
Debian's Virtuoso 7 — each loaded with ``aipath push`` (the Graph Store HTTP
Protocol; Virtuoso's with Digest credentials from the environment); no mocks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .oxigraph_server import OxigraphServer
from .virtuoso_server import MISSING as VIRTUOSO_MISSING
from .virtuoso_server import VirtuosoServer

GRAPH = "https://w3id.org/aipath/graph"

#: Longer than a GET carries (2,000 bytes): sent as a form-encoded POST.
LONG_QUERY = (
    "SELECT ?s WHERE { ?s aip:requires id:calculus FILTER(?s NOT IN ("
    + ", ".join(f"<urn:x:{i}>" for i in range(200))
    + ")) } ORDER BY ?s"
)

COMMANDS = [
    ("prereqs", "fine-tuning", "--format", "json"),
    ("prereqs", "微调技术", "--tree"),
    ("dependents", "linear-algebra", "--format", "csv"),
    ("show", "fine-tuning", "--format", "json"),
    ("show", "AI工程师"),
    ("query", "--name", "prerequisites", "--param", "skill=微调技术", "--format", "json"),
    ("query", "--name", "dependents", "--param", "skill=calculus", "--format", "csv"),
    ("query", "--name", "role-needs", "--param", "role=AI工程师", "--format", "csv"),
    ("query", "--name", "stage-covers", "--param", "stage=beginner", "--format", "csv"),
    ("query", "--name", "projects-for-skill", "--param", "skill=python-basics", "--format", "csv"),
    ("query", "--name", "tools-for-skill", "--param", "skill=fine-tuning", "--format", "csv"),
    (
        "query",
        "--name",
        "resources-for-skill",
        "--param",
        "skill=dl-fundamentals",
        "--format",
        "csv",
    ),
    ("query", "--name", "skills-without-resources", "--format", "csv"),
    ("query", "SELECT ?s WHERE { ?s aip:requires id:calculus } ORDER BY ?s", "--format", "tsv"),
    ("query", "ASK { id:backpropagation aip:requires id:calculus }"),
    ("query", "CONSTRUCT { ?s aip:requires ?o } WHERE { ?s aip:requires ?o }", "--format", "nt"),
    ("plan", "--to", "AI工程师", "--format", "json"),
    ("plan", "--to", "fine-tuning", "--have", "python-basics,linear-algebra", "--format", "csv"),
    ("path", "calculus", "fine-tuning", "--by", "effort"),
    ("next", "--have", "python-basics"),
    ("gap", "ai-engineer", "--have", "python-basics"),
    ("compare", "data-scientist", "ai-engineer"),
    ("stats",),
    ("query", LONG_QUERY, "--format", "csv"),
    ("--lang", "zh", "show", "fine-tuning"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, invoke_module):
    srv = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        result = invoke_module("push", "--to", srv.store_url)
        assert result.exit_code == 0, result.output
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def invoke_module():
    from click.testing import CliRunner

    from aipath_graph.cli import main

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, invoke_module):
    if VIRTUOSO_MISSING:
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure
            pytest.fail(VIRTUOSO_MISSING)
        pytest.skip(f"{VIRTUOSO_MISSING}; set CI=1 to make this fail")
    srv = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    saved = {k: os.environ.get(k) for k in ("AIPATH_REMOTE_USER", "AIPATH_REMOTE_PASSWORD")}
    try:
        os.environ["AIPATH_REMOTE_USER"] = srv.USER
        os.environ["AIPATH_REMOTE_PASSWORD"] = srv.PASSWORD
        result = invoke_module("push", "--to", srv.store_url, "--graph", GRAPH)
        assert result.exit_code == 0, result.output
    except BaseException:
        srv.stop()
        raise
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def stores(server, tmp_path_factory):
    return {
        "oxigraph": f"oxigraph:{tmp_path_factory.mktemp('embedded') / 'store'}",
        "sparql": f"sparql:{server.query_url}",
    }


def _store(request, stores, backend):
    if backend == "virtuoso":  # its graph is a named one, read as the default graph
        srv = request.getfixturevalue("virtuoso")
        return f"sparql:{srv.query_url}#graph={GRAPH}"
    return stores[backend]


def _unordered_concat(text: str) -> str:
    """Sort the parts of "a; b; c" cells: SPARQL leaves GROUP_CONCAT's order to the engine."""
    return "\n".join(
        ",".join("; ".join(sorted(c.split("; "))) if "; " in c else c for c in line.split(","))
        for line in text.splitlines()
    )


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:60])
@pytest.mark.parametrize("backend", ["oxigraph", "sparql", "virtuoso"])
def test_same_results_on_every_store(request, invoke_module, stores, backend, args):
    expected = invoke_module(*args)
    got = invoke_module("--store", _store(request, stores, backend), *args)
    assert got.exit_code == expected.exit_code, got.output
    assert expected.stdout.strip()
    if "resources-for-skill" in args:  # authors are GROUP_CONCATed
        assert _unordered_concat(got.stdout) == _unordered_concat(expected.stdout)
    else:
        assert got.stdout == expected.stdout


def test_embedded_store_is_built_once_and_reopened(tmp_path, invoke):
    path = tmp_path / "store"
    assert invoke("--store", f"oxigraph:{path}", "stats").exit_code == 0
    marker = path / "aipath-source-key"
    stamp = marker.stat().st_mtime_ns
    assert invoke("--store", f"oxigraph:{path}", "show", "git").exit_code == 0
    assert marker.stat().st_mtime_ns == stamp  # reopened, not rebuilt


def test_embedded_store_refuses_a_foreign_folder(tmp_path, invoke):
    (tmp_path / "mine.txt").write_text("do not delete")
    result = invoke("--store", f"oxigraph:{tmp_path}", "show", "git")
    assert result.exit_code == 1
    assert "not an aipath Oxigraph store" in result.stderr
    assert (tmp_path / "mine.txt").exists()


@pytest.mark.parametrize(
    "spec,message",
    [
        ("nowhere:x", "unknown store"),
        ("oxigraph", "needs a PATH"),
        ("sparql:ftp://x", "not an http(s) URL"),
    ],
)
def test_bad_store_specs_are_one_line(invoke, spec, message):
    result = invoke("--store", spec, "show", "git")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_unreachable_endpoint_is_one_line(invoke):
    from .processes import free_port

    result = invoke(
        "--store", f"sparql:http://127.0.0.1:{free_port()}/query", "plan", "--to", "git"
    )
    assert result.exit_code == 1
    assert "cannot reach the SPARQL endpoint" in result.stderr


def test_virtuoso_refuses_wrong_credentials_and_keeps_its_graph(virtuoso, invoke, monkeypatch):
    before = virtuoso.count(GRAPH)
    assert before > 1000
    monkeypatch.setenv("AIPATH_REMOTE_USER", virtuoso.USER)
    monkeypatch.setenv("AIPATH_REMOTE_PASSWORD", "not-the-password")
    small = str(Path(__file__).parent / "data" / "query-fixture.ttl")  # would change the count
    result = invoke("--data", small, "push", "--to", virtuoso.store_url, "--graph", GRAPH)
    assert result.exit_code == 1, result.output
    assert "401" in result.stderr and "not changed" in result.stderr
    assert "not-the-password" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert virtuoso.count(GRAPH) == before


def test_embedded_store_keeps_its_views_beside_it(tmp_path, invoke, monkeypatch):
    path = tmp_path / "store"
    first = invoke("--store", f"oxigraph:{path}", "plan", "--to", "fine-tuning")
    assert first.exit_code == 0, first.output
    assert (path / "aipath-views.bin").is_file()

    expected = invoke("plan", "--to", "fine-tuning").stdout  # before projecting is refused
    import aipath_graph.project as project

    def no_projection(g):
        raise AssertionError("the views were projected again")

    monkeypatch.setattr(project, "views", no_projection)
    again = invoke("--store", f"oxigraph:{path}", "plan", "--to", "fine-tuning")
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout == expected


def test_embedded_store_loads_rdf_files_through_oxigraph(tmp_path, invoke):
    data = str(Path(__file__).parent / "data" / "query-fixture.ttl")
    expected = invoke("--data", data, "stats")
    got = invoke("--data", data, "--store", f"oxigraph:{tmp_path / 'store'}", "stats")
    assert got.exit_code == 0, got.output
    assert got.stdout == expected.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    result = invoke("--data", str(bad), "--store", f"oxigraph:{tmp_path / 'other'}", "stats")
    assert result.exit_code == 1 and str(bad) in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_embedded_store_cut_short_is_rebuilt(tmp_path, invoke, monkeypatch):
    import pyoxigraph

    path = tmp_path / "store"
    real = pyoxigraph.Store.bulk_load

    def interrupted(self, *args, **kwargs):
        real(self, *args, **kwargs)
        raise KeyboardInterrupt  # Ctrl-C in the middle of the build

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        from aipath_graph.oxstore import open_oxigraph

        open_oxigraph(path)
    monkeypatch.undo()
    assert path.is_dir()  # left behind, half built
    again = invoke("--store", f"oxigraph:{path}", "plan", "--to", "fine-tuning")
    assert again.exit_code == 0, again.output
    assert again.stdout == invoke("plan", "--to", "fine-tuning").stdout
