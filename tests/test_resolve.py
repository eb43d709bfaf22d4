"""Names a user types: slugs, zh and en labels, alt labels, width and case folding."""

from __future__ import annotations

import pytest

from aipath_graph.errors import AmbiguousTermError, UnknownTermError
from aipath_graph.graph import load_graph
from aipath_graph.resolve import Resolver

from .conftest import DATA


@pytest.fixture(scope="module")
def resolver(bundled):
    return Resolver(bundled)


@pytest.mark.parametrize(
    "text,slug",
    [
        ("fine-tuning", "fine-tuning"),
        ("微调技术", "fine-tuning"),
        ("Fine-tuning", "fine-tuning"),
        ("FINE TUNING", "fine-tuning"),
        ("ＡＩ工程师", "ai-engineer"),
        ("AI工程师", "ai-engineer"),
        ("版本控制（Git）", "git"),
        ("深度学习入门", "dl-fundamentals"),  # a zh alt label from the stage content
        ("https://w3id.org/aipath/id/pytorch", "pytorch"),
    ],
)
def test_resolves(resolver, text, slug):
    assert resolver.slug(text) == slug


def test_unknown_term_suggests(resolver):
    with pytest.raises(UnknownTermError) as err:
        resolver.resolve("fine tunning")
    assert any(s.startswith("fine-tuning") for s in err.value.suggestions)
    assert "did you mean" in str(err.value)


def test_ambiguous_term_lists_candidates():
    r = Resolver(load_graph([DATA / "broken" / "ambiguous.yaml"]))
    with pytest.raises(AmbiguousTermError) as err:
        r.resolve("dl")
    assert [c.split()[0] for c in err.value.candidates] == ["deep-learning", "dl-book"]


def test_unknown_name_on_the_command_line_is_one_line(invoke):
    result = invoke("--data", str(DATA / "broken" / "ambiguous.yaml"), "validate")
    assert result.exit_code == 0
