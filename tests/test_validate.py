"""The validator: each kind of error on a small broken fixture, message and exit code."""

from __future__ import annotations

import pytest

from .conftest import DATA

BROKEN = DATA / "broken"


@pytest.mark.parametrize(
    "fixture,expected",
    [
        (
            "syntax.yaml",
            "syntax.yaml:4: error: YAML syntax error: expected ',' or '}', but got ':' (while parsing a flow mapping at line 3)",
        ),
        ("duplicate.yaml", "duplicate.yaml:5: error: duplicate key 'calculus' (first at line 2)"),
        (
            "unknown-ref.yaml",
            "unknown-ref.yaml:8: error: backpropagation: requires: unknown id "
            "'calculas'; did you mean: calculus?",
        ),
        (
            "cycle.yaml",
            "cycle.yaml:2: error: prerequisite cycle: a-skill -> c-skill -> b-skill -> a-skill",
        ),
        (
            "missing-label.yaml",
            "missing-label.yaml:3: error: calculus: label: missing the en label",
        ),
        (
            "bad-effort.yaml",
            "bad-effort.yaml:4: error: calculus: effort: expected a number of hours > 0",
        ),
        (
            "unknown-field.yaml",
            "unknown-field.yaml:4: error: calculus: unknown field 'efort' for "
            "skills; did you mean: effort?",
        ),
        (
            "shacl-role.yaml",
            "shacl-role.yaml:2: error: lonely-role: needs at least one aip:essentialSkill",
        ),
    ],
)
def test_each_error_kind_is_one_line_with_file_and_line(invoke, fixture, expected):
    result = invoke("validate", str(BROKEN / fixture))
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert any(expected in line for line in lines), result.stderr
    assert "Traceback" not in result.output
    assert lines[-1].startswith("invalid: ")


def test_valid_fixture_exits_zero(invoke):
    result = invoke("validate", str(BROKEN / "ok-base.yaml"))
    assert result.exit_code == 0, result.output
    assert "valid:" in result.stderr


def test_bundled_graph_validates_clean(invoke):
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("valid: ")


def test_commands_on_an_invalid_graph_fail_with_one_line(invoke):
    result = invoke("--data", str(BROKEN / "unknown-ref.yaml"), "stats")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "unknown id 'calculas'" in result.stderr


def test_missing_and_unknown_files(invoke, tmp_path):
    result = invoke("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 3 and "no such file" in result.stderr
    odd = tmp_path / "graph.docx"
    odd.write_text("x")
    result = invoke("validate", str(odd))
    assert result.exit_code == 3 and "unknown file type" in result.stderr


def test_broken_rdf_file_is_one_line(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    result = invoke("validate", str(bad))
    assert result.exit_code == 3
    assert "bad.ttl" in result.stderr and "cannot parse as turtle" in result.stderr
