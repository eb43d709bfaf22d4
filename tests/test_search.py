"""Free-text search: everyday words, typos, both languages, and the labelled goal phrases."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from aipath_graph.graph import load_graph
from aipath_graph.search import SearchIndex, cached_index, tokenize

from .conftest import DATA

PHRASES = yaml.safe_load((DATA / "goal-phrases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(bundled) -> SearchIndex:
    return SearchIndex.from_graph(bundled)


@pytest.fixture(scope="module")
def names() -> SearchIndex:
    """tests/data/search/names.yaml: a skill, a book and a category all called 深度学习."""
    return SearchIndex.from_graph(load_graph([DATA / "search" / "names.yaml"]))


def ids(hits: list[Any]) -> list[str]:
    return [h.id for h in hits]


# ---------------------------------------------------------------- ranking


def test_a_skill_beats_the_book_of_the_same_name(names):
    hits = names.search("深度学习", lang="zh")
    assert ids(hits)[:2] == ["dl-fundamentals", "book-deep-learning"]
    assert hits[0].label == "深度学习基础"
    assert hits[0].why[0].field == "name" and hits[0].why[0].text == "深度学习"


def test_a_mention_inside_a_sentence_counts(names):
    assert ids(names.search("我想系统地学一下深度学习"))[0] == "dl-fundamentals"
    assert ids(names.search("I want to learn deep learning"))[0] == "dl-fundamentals"


@pytest.mark.parametrize(
    "typed, first",
    [
        ("learn pytroch", "pytorch"),
        ("fine tunning", "fine-tuning"),
        ("reinforcment learning", "reinforcement-learning"),
        ("深度学系", "dl-fundamentals"),
    ],
)
def test_typos_are_read_as_the_words_of_the_graph(index, typed, first):
    assert ids(index.search(typed, limit=3))[0] == first


def test_why_names_the_typo_and_the_fields(index):
    hit = index.search("learn pytroch", limit=1)[0]
    fields = {m.field: m for m in hit.why}
    assert fields["typo"].terms == ("pytroch", "pytorch")
    assert "label" in fields and fields["mention"].text == "PyTorch"


def test_type_filter_limit_and_language(index):
    hits = index.search("pytorch", types={"resource"}, limit=2, lang="zh")
    assert len(hits) == 2 and {h.type for h in hits} == {"Resource"}
    assert all(h.label == h.labels["zh"] for h in hits)
    assert index.search("pytorch", limit=0) == []


@pytest.mark.parametrize("text", ["", "   ", "zzzz-nothing", "的了吗"])
def test_nothing_to_match_is_no_hit(index, text):
    assert index.search(text) == []


def test_hits_are_json_records(index):
    record = index.search("微调", lang="zh", limit=1)[0].to_dict()
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record
    assert set(record) >= {"score", "id", "type", "label", "labels", "why"}
    assert record["why"][0] == {"field": "name", "text": "微调"}


def test_goal_filler_is_not_a_search_word():
    assert tokenize("I want to learn PyTorch") == ["pytorch"]
    assert "我" not in tokenize("我想学PyTorch") and "pytorch" in tokenize("我想学PyTorch")


def test_the_index_is_cached_beside_the_views(tmp_path, monkeypatch):
    from aipath_graph.cache import GraphCache

    monkeypatch.delenv("AIPATH_NO_CACHE", raising=False)
    cache = GraphCache([DATA / "search" / "names.yaml"], root=tmp_path)
    first = cached_index(cache.views(), cache)
    (entry,) = cache.folder.glob("search-*.bin")  # named by the index version
    again = cached_index(cache.views(), cache)
    assert again is not first and ids(again.search("DL")) == ids(first.search("DL"))
    entry.write_bytes(b"garbage")  # a damaged entry is rebuilt
    assert ids(cached_index(cache.views(), cache).search("DL")) == ids(first.search("DL"))


# ---------------------------------------------------------------- the labelled goal phrases


def _hit_rank(index: SearchIndex, phrase: dict[str, Any]) -> int | None:
    found = ids(index.search(phrase["text"], lang=phrase["lang"], limit=5))
    return next((i for i, n in enumerate(found) if n in phrase["expect"]), None)


def _report(index: SearchIndex, phrases: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    """Per language and in all: (phrases, hits at 1, hits at 5)."""
    out: dict[str, list[int]] = {}
    for phrase in phrases:
        rank = _hit_rank(index, phrase)
        for key in (phrase["lang"], "all"):
            row = out.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += rank == 0
            row[2] += rank is not None
    return {k: (n, h1, h5) for k, (n, h1, h5) in out.items()}


def _line(report: dict[str, tuple[int, int, int]]) -> str:
    return "; ".join(
        f"{k}: {n} phrases, hit@1 {h1 / n:.0%}, hit@5 {h5 / n:.0%}"
        for k, (n, h1, h5) in sorted(report.items())
    )


def test_the_labelled_set_is_large_enough_and_names_real_nodes(index):
    main = PHRASES["main"]
    assert len(main) >= 40
    assert {p["lang"] for p in main} == {"zh", "en"}
    known = {d.id for d in index.docs}
    missing = {p["text"]: p["expect"] for p in main if not known & set(p["expect"])}
    assert not missing, f"no expected id is in the bundled graph: {missing}"


def test_goal_phrases_hit_at_1_and_at_5(index, capsys):
    report = _report(index, PHRASES["main"])
    with capsys.disabled():
        print(f"\ngoal phrases (main): {_line(report)}")
    n, h1, h5 = report["all"]
    assert h5 / n >= 0.85, _line(report)
    assert h1 / n >= 0.60, _line(report)


def test_goal_phrases_whose_answer_is_a_2026_llm_skill(index, capsys):
    known = {d.id for d in index.docs}
    phrases = PHRASES["after_llm_skills"]
    missing = {p["text"]: p["expect"] for p in phrases if not known & set(p["expect"])}
    assert not missing, f"no expected id is in the bundled graph: {missing}"
    report = _report(index, phrases)
    with capsys.disabled():
        print(f"\ngoal phrases (LLM skills): {_line(report)}")
    n, _, h5 = report["all"]
    assert h5 / n >= 0.85, _line(report)


def test_a_chinese_query_is_read_as_words_of_the_graph(index):
    words = index.query_words("我想做一个基于公司文档的问答机器人")
    assert {"文档", "机器人"} <= set(words)
    assert not {"我", "想", "的", "基于"} & set(words)
    assert index.query_words("learn PyTorch") == ["pytorch"]


def test_every_node_type_has_a_preference():
    from aipath_graph.project import NODE_TYPES
    from aipath_graph.resolve import TYPE_PREFERENCE
    from aipath_graph.search import HIDDEN_TYPES, SEARCHABLE_TYPES

    assert set(TYPE_PREFERENCE) == set(NODE_TYPES)
    assert set(SEARCHABLE_TYPES) == set(NODE_TYPES) - HIDDEN_TYPES


def test_a_typo_is_one_edit_from_a_word_of_the_graph():
    """Not two: 'nothing' is not a typo of 'thing' (it matched a GTD book before)."""
    import networkx as nx

    G = nx.DiGraph()
    G.add_node("gtd", type="Resource", label={"en": "Getting Things Done"}, definition={})
    G.add_node("pt", type="Tool", label={"en": "PyTorch"}, definition={})
    index = SearchIndex.build(G, {})
    assert index.search("zzzz-nothing") == []
    assert ids(index.search("getting thngs done")) == ["gtd"]  # one edit
    assert ids(index.search("pytroch")) == ["pt"]  # a swap of neighbours is one edit
