"""``aipath query / prereqs / dependents`` through click, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.query import Result

from aipath_graph.cli import main

FIXTURE = str(Path(__file__).parent / "data" / "query-fixture.ttl")


def run(*args: str):
    return CliRunner().invoke(main, ["--data", FIXTURE, *args])


def one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    return err


SELECT = "SELECT ?s ?label WHERE { ?s aip:requires ?o ; skos:prefLabel ?label } ORDER BY ?s"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "xml"])
def test_select_formats(fmt: str) -> None:
    r = run("query", SELECT, "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "table":
        assert "id:fine-tuning (Fine-tuning)" in r.stdout
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.stdout)))
        assert rows[0] == ["s", "label"] and len(rows) > 2
    else:
        parsed = Result.parse(io.StringIO(r.stdout), format=fmt)
        assert [str(v) for v in parsed.vars] == ["s", "label"]
        assert len(parsed.bindings) > 2


def test_lang_option_changes_table_labels() -> None:
    r = run("query", SELECT, "--lang", "zh")
    assert "id:fine-tuning (微调技术)" in r.stdout, r.output


def test_ask_exit_codes() -> None:
    yes = run("query", "ASK { id:fine-tuning aip:requires id:deep-learning }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = run("query", "ASK { id:deep-learning aip:requires id:fine-tuning }")
    assert (no.exit_code, no.stdout) == (1, "false\n")


@pytest.mark.parametrize(
    "fmt, parser", [("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")]
)
def test_construct_formats(fmt: str, parser: str) -> None:
    r = run("query", "CONSTRUCT WHERE { ?a aip:requires ?b }", "--format", fmt)
    assert r.exit_code == 0, r.output
    from aipath_graph.namespaces import AIP

    want = set(Graph().parse(FIXTURE).triples((None, AIP.requires, None)))
    assert set(Graph().parse(data=r.stdout, format=parser)) == want


def test_named_query_with_labels_in_both_languages(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    zh = run(
        "query",
        "--name",
        "prerequisites",
        "--param",
        "skill=微调技术",
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert zh.exit_code == 0, zh.output
    en = run("query", "--name", "prerequisites", "--param", "skill=fine-tuning", "--format", "json")
    doc = json.loads(out.read_text())
    assert doc["results"]["bindings"] == json.loads(en.stdout)["results"]["bindings"]
    assert len(doc["results"]["bindings"]) == 9


def test_query_from_file_and_list(tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?p WHERE { ?s aip:requires ?p }", encoding="utf-8")
    r = run("query", "-f", str(rq), "--param", "s=backpropagation", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert sorted(r.stdout.split()[1:]) == [
        "https://w3id.org/aipath/id/calculus",
        "https://w3id.org/aipath/id/linear-algebra",
    ]
    listing = run("query", "--list")
    assert "prerequisites  --param skill=… [--param lang=…]" in listing.stdout
    assert "longest-chains" in listing.stdout


@pytest.mark.parametrize(
    "args, expected",
    [
        (["query", "DROP ALL"], "DROP is refused"),
        (["query", "INSERT DATA { id:a aip:requires id:b }"], "INSERT DATA is refused"),
        (
            ["query", "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }"],
            "SERVICE is refused",
        ),
        (["query", "SELECT *\nWHERE { ?s ?p }"], "line 2, column"),
        (["query", "--name", "nope"], "known queries: "),
        (["query", "--name", "prerequisites", "--param", "x=1"], "its parameters are: skill, lang"),
        (["query", "--name", "prerequisites", "--param", "skill=fine tunning"], "did you mean"),
        (["prereqs", "backprop"], "did you mean"),
        (["query", "SELECT * { ?s ?p ?o }", "--name", "prerequisites"], "exactly one of"),
        (["query", "ASK {}", "--param", "nokey"], "KEY=VALUE"),
    ],
)
def test_bad_input_is_one_line(args: list[str], expected: str) -> None:
    assert expected in one_line_error(run(*args))


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_prereqs_and_dependents(fmt: str) -> None:
    r = run("prereqs", "微调技术", "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "json":
        rows = json.loads(r.stdout)
        assert {x["id"] for x in rows if x["direct"]} == {"deep-learning", "any-dl-framework"}
        assert len(rows) == 9
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        assert len(rows) == 9 and rows[0].keys() >= {"id", "reason"}
    else:
        assert "fine-tuning runs in a framework" in r.stdout
    direct = json.loads(run("prereqs", "fine-tuning", "--direct", "--format", "json").stdout)
    assert {x["id"] for x in direct} == {"deep-learning", "any-dl-framework"}
    deps = json.loads(run("dependents", "Python", "--format", "json").stdout)
    assert {x["id"] for x in deps} >= {"neural-networks", "pytorch", "fine-tuning", "deep-learning"}


def test_prereqs_tree() -> None:
    r = run("prereqs", "fine-tuning", "--tree")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "Fine-tuning (fine-tuning)"
    assert "Calculus (calculus)  requires — gradients come from the chain rule" in r.stdout
    assert "(see above)" in r.stdout  # python is reached twice
    tree = json.loads(run("prereqs", "fine-tuning", "--tree", "--format", "json").stdout)
    assert {c["id"] for c in tree["children"]} == {"deep-learning", "any-dl-framework"}


def test_show_headings_follow_lang():
    from click.testing import CliRunner

    from aipath_graph.cli import main

    zh = CliRunner().invoke(main, ["--lang", "zh", "show", "微调技术"])
    assert zh.exit_code == 0, zh.output
    assert "  前置要求：" in zh.stdout and "  学习时长：30 小时" in zh.stdout
    assert "微调在深度学习框架中完成" in zh.stdout  # the Chinese reason
    en = CliRunner().invoke(main, ["show", "fine-tuning"])
    assert (
        "  prerequisites:" in en.stdout
        and "Fine-tuning is done in a deep learning framework" in en.stdout
    )
