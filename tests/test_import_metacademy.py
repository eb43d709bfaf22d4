"""`aipath import metacademy`: an excerpt of Metacademy's content and a fixture of its oddities."""

from __future__ import annotations

from pathlib import Path

import pytest

from aipath_graph.graph import load_graph
from aipath_graph.importers import import_graph
from aipath_graph.plan import plan
from aipath_graph.project import prerequisite_graph

DATA = Path(__file__).parent / "data" / "metacademy-import"


@pytest.fixture(scope="module")
def content():
    return import_graph("metacademy", [DATA / "content"])


def test_concepts_dependencies_reasons_and_hours(content):
    skills = content.kinds["skills"]
    bp = skills["mc-backpropagation"]
    assert bp["label"]["en"] == "backpropagation" and bp["effort"] == 2.21
    assert bp["requires"] == [
        {
            "id": "mc-chain-rule",
            "reason": {"en": "Backpropagation follows from the chain rule for Jacobian matrices."},
        }
    ]
    assert (
        content.warnings.summary()["dangling"] == 17
    )  # feed-forward-neural-nets, … not in the excerpt


def test_shortcut_becomes_an_or_group(content, tmp_path):
    group = content.kinds["any_of"]["mc-eigenvalues-and-eigenvectors-or-shortcut"]
    assert group["options"] == [
        "mc-eigenvalues-and-eigenvectors",
        "mc-eigenvalues-and-eigenvectors-shortcut",
    ]
    pd = content.kinds["skills"]["mc-positive-definite-matrices"]
    assert pd["requires_any"][0]["id"] == "mc-eigenvalues-and-eigenvectors-or-shortcut"
    short = content.kinds["skills"]["mc-eigenvalues-and-eigenvectors-shortcut"]
    assert short["effort"] == pytest.approx(2.05 / 2, abs=0.01)
    path = tmp_path / "mc.yaml"
    content.write(path)
    G = prerequisite_graph(load_graph([path]))
    p = plan(G, ["mc-positive-definite-matrices"])
    assert "mc-eigenvalues-and-eigenvectors-shortcut" in p.ids  # the cheaper option
    assert "mc-eigenvalues-and-eigenvectors" not in p.ids


def test_oddities_fixture():
    r = import_graph("metacademy", [DATA / "oddities"], prefix="")
    w = r.warnings.summary()
    assert w == {
        "no-summary": 4,
        "copy-zh": 5,
        "dangling": 1,
        "tag-form": 1,
        "no-reason": 2,
        "shortcut-missing": 1,
        "effort": 2,
        "no-label": 1,
        "cycle": 1,
    }
    skills = r.kinds["skills"]
    assert skills["untitled"]["label"]["en"] == "untitled"
    assert skills["delta-rule"]["effort"] == 1.5  # the median of the known estimates
    assert skills["beta"]["requires"][-1] == "delta-rule"  # "delta rule" normalised
    G = prerequisite_graph(r.graph())  # acyclic
    assert G.number_of_nodes() == 5


def test_cli_import_metacademy(invoke, tmp_path):
    out = tmp_path / "mc.ttl"
    result = invoke("import", "metacademy", str(DATA / "content"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "imported 9 skills, 1 any-of" in result.stderr
    result = invoke("--data", str(out), "plan", "--to", "backpropagation", "--format", "json")
    assert result.exit_code == 0, result.output
