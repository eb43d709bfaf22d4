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


# ---------------------------------------------------------------- what people mean
# tests/data/search/names.yaml has the collisions of everyday words: a skill, a book and
# a category named 深度学习, a trend whose id is a skill's alt label, two skills called ML.


@pytest.fixture(scope="module")
def names():
    return Resolver(load_graph([DATA / "search" / "names.yaml"]))


@pytest.mark.parametrize(
    "text,slug",
    [
        ("深度学习", "dl-fundamentals"),  # the skill's alt label beats the book's label
        ("Deep learning", "dl-fundamentals"),
        ("机器学习", "ml-basics"),
        ("Responsible AI", "ai-ethics"),  # a skill beats a trend of that name
        ("responsible-ai", "responsible-ai"),  # … but an exact id always wins
        ("RESPONSIBLE-AI", "responsible-ai"),
        ("https://w3id.org/aipath/id/responsible-ai", "responsible-ai"),
        ("book-deep-learning", "book-deep-learning"),
    ],
)
def test_everyday_names_resolve_to_what_people_mean(names, text, slug):
    assert names.slug(text) == slug


def test_equally_preferred_nodes_stay_ambiguous(names):
    with pytest.raises(AmbiguousTermError) as err:
        names.slug("ML")
    assert [c.split()[0] for c in err.value.candidates] == ["ml-basics", "ml-math"]


def test_best_says_what_else_has_the_name(names):
    assert names.best("深度学习") == (["dl-fundamentals"], ["book-deep-learning", "dl-books"])
    assert names.best("nothing like it") == ([], [])


def test_exact_id_wins_on_the_bundled_graph(resolver):
    """issue 16: ``responsible-ai`` was "ambiguous" because ai-ethics has it as an alt label."""
    assert resolver.slug("responsible-ai") == "responsible-ai"
    assert resolver.type_of("responsible-ai") == "Trend"


def test_show_takes_the_exact_id(invoke):
    result = invoke("show", "responsible-ai", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"id": "responsible-ai"' in result.stdout
