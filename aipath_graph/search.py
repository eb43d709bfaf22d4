"""Rank the nodes of a graph for free text, in Chinese or English.

A learner types a goal in their own words — "我想做一个基于公司文档的问答机器人",
"learn pytroch" — and gets the nodes it most likely means, best first, each with
its score and why it matched. Three signals add up:

- **BM25** (:mod:`bm25s`) over each node's labels and alt labels (weighted up),
  its definition, and the reasons of the edges into it, in both languages at
  once; the graph's Chinese is segmented into words with :mod:`jieba` (search
  mode) plus the character bigrams of each run (jieba cuts 机器学习 into
  机器|学习; the bigram 器学 keeps them together), and a Chinese query is read
  as the words of that vocabulary it contains (:meth:`SearchIndex.query_words`);
  English is split into words and folded to the singular; goal filler ("I want
  to", "我想") is dropped;
- **names**: a query that is a node's name, or mentions it ("learn pytorch"),
  or is a near miss of it (:mod:`rapidfuzz`, "深度学系"), scores that node high;
- **typos**: a word the graph does not use is read as the closest word it uses
  ("pytroch" → "pytorch") when they are close enough.

The sum is weighted by the kind of node, the way the resolver prefers kinds
(:data:`aipath_graph.resolve.TYPE_PREFERENCE`): skills and tools before
resources and categories.

The index is built once per graph from the cached views (no rdflib needed) and
pickles, so it can be cached beside them. Only building it loads jieba's
dictionary (one to two seconds); a query, Chinese or English, needs neither
jieba nor rdflib. Reading a Chinese query as words of the graph's own vocabulary
instead of segmenting it with jieba gave the same hit@1 and hit@5 on the
labelled goal phrases (``tests/data/goal-phrases.yaml``), two seconds sooner.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> index = SearchIndex.from_graph(load_graph())
>>> [h.id for h in index.search("fine tunning", limit=1)]
['fine-tuning']
>>> hit = index.search("微调", lang="zh", limit=1)[0]
>>> hit.id, hit.label, hit.why[0].field, hit.why[0].text
('fine-tuning', '微调技术', 'name', '微调')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .resolve import HIDDEN_TYPES, SEARCHABLE_TYPES, TYPE_PREFERENCE, normalize

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

#: Bumped whenever the index's shape or tokenization changes (a cached index of
#: another version is rebuilt).
INDEX_VERSION = 2


#: How many times each field's words count in a node's document (a BM25F-like boost).
FIELD_WEIGHTS: dict[str, int] = {"label": 3, "alt": 3, "id": 2, "definition": 1, "reason": 1}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9][a-z0-9+#]*")
_HAS_CJK = re.compile(rf"[{_CJK}]")

#: Words that carry no topic: English function words and goal filler, in both languages.
STOPWORDS = frozenset(
    """
    a about an and any are as at be become becoming build building can do does for from
    get getting good how i in into is it its learn like make me my need of on
    or some start started the to too up use want wanna what which with would you your
    我 想 要 做 一个 一名 个 的 了 和 与 及 或 成为 如何 怎么 怎样 学 学会 掌握 会 能
    可以 需要 在 是 把 用 从 到 为 对 于 吗 呢 什么 哪些 有 让 等 并 还 也 我们 自己 一下 基于 一些 相关
    """.split()  # noqa: SIM905
)

#: A name mentioned inside a longer query scores at least this (plus its share of the query).
_MENTION = 0.5
#: The least rapidfuzz ratio (0-100) for a whole query to count as a near miss of a name.
_NEAR_NAME = 85
#: An unknown word is read as a word of the graph that starts with the same letter and is
#: one edit away (a swap of neighbours counts one: "pytroch"), two from this length on.
_LONG_WORD = 8


# ---------------------------------------------------------------- tokens


@functools.cache
def _segmenter() -> Any:
    """jieba's tokenizer, loaded once (its dictionary cache lives in our cache folder)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    try:
        from .cache import default_root

        root = default_root()
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(root)  # not the shared /tmp, where another user could plant it
    except OSError:
        pass  # jieba falls back to the system's temporary folder
    tokenizer.initialize()
    return tokenizer


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """The search words of ``text``: Chinese segmented, English singular, filler dropped.

    >>> tokenize("Learn the Transformers, LLMs and C++")
    ['transformer', 'llm', 'c++']
    >>> tokenize("我想学机器学习")
    ['想学', '我想学', '机器', '学习', '我想', '想学', '学机', '机器', '器学', '学习']
    """
    out: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if _HAS_CJK.match(run):
            words: Iterable[str] = list(_segmenter().cut_for_search(run))
            if len(run) > 2:  # bigrams keep what jieba splits apart: 机器|学习 → 器学
                words = [*words, *(run[i : i + 2] for i in range(len(run) - 1))]
        else:
            words = (_singular(run),)
        out += [w for w in words if w.strip() and w not in STOPWORDS]
    return out


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Match:
    """One reason a node matched.

    ``field`` is ``name`` (the query is the node's name, or a near miss of it),
    ``mention`` (the query contains the name), ``label``, ``alt``, ``id``,
    ``definition`` or ``reason`` (words of the query found there), or ``typo``
    (a word read as a word of the graph: ``terms`` is ``(typed, read as)``).
    ``text`` is the name matched, where there is one.
    """

    field: str
    terms: tuple[str, ...] = ()
    text: str | None = None


@dataclass(frozen=True)
class Hit:
    """A ranked node: its score, id, type, label in the chosen language, and why it matched."""

    score: float
    id: str
    type: str
    label: str
    labels: Mapping[str, str]
    why: tuple[Match, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a hit (keys may be added, never renamed)."""
        out = asdict(self)
        out["labels"] = dict(self.labels)
        out["why"] = [{k: v for k, v in asdict(m).items() if v not in (None, ())} for m in self.why]
        for m in out["why"]:
            if "terms" in m:
                m["terms"] = list(m["terms"])
        return out


@dataclass
class _Doc:
    id: str
    type: str
    labels: dict[str, str]
    names: list[tuple[str, str, str]]  # (normalized, as written, field: label/alt/id)
    fields: dict[str, set[str]]  # field → its words


def _pick(texts: Mapping[str, str], lang: str, default: str) -> str:
    from .i18n import pick

    return pick(texts, lang) or default


# ---------------------------------------------------------------- the index


class SearchIndex:
    """BM25 and name matching over the nodes of one graph (see the module notes).

    Build it from the cached views, ``SearchIndex.build(relations, name_index)``,
    or from an rdflib graph, ``SearchIndex.from_graph(g)``.
    """

    def __init__(self, docs: list[_Doc], tokens: list[list[str]]) -> None:
        import bm25s

        self.version = INDEX_VERSION
        self.docs = docs
        self.bm25 = bm25s.BM25()
        self.bm25.index(tokens or [[""]], show_progress=False)
        self.vocab = frozenset(t for doc in tokens for t in doc)
        self._latin = sorted(t for t in self.vocab if not _HAS_CJK.search(t))
        self._longest = max((len(t) for t in self.vocab if _HAS_CJK.search(t)), default=0)

    @classmethod
    def build(cls, G: nx.DiGraph, index: Mapping[str, Any]) -> SearchIndex:
        """Index the nodes of a relation graph, with the alt labels of a name index.

        ``G`` is :func:`aipath_graph.project.relation_graph` (labels, definitions,
        and edge reasons in every language); ``index`` is
        :func:`aipath_graph.resolve.build_index`.
        """
        alt: Mapping[str, Mapping[str, list[str]]] = index.get("alt", {})
        docs: list[_Doc] = []
        for n, d in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
            kind = d.get("type") or "Unknown"
            if kind in HIDDEN_TYPES:
                continue
            node = str(n)
            labels = dict(d.get("label") or {})
            texts: dict[str, list[str]] = {
                "label": list(labels.values()),
                "alt": [a for texts in alt.get(node, {}).values() for a in texts],
                "id": [node.rsplit("/", 1)[-1].replace("-", " ")],
                "definition": list((d.get("definition") or {}).values()),
                "reason": [
                    text
                    for _, _, e in G.in_edges(n, data=True)
                    for text in (e.get("reasons") or {}).values()
                ],
            }
            fields = {f: {w for t in ts for w in tokenize(t)} for f, ts in texts.items()}
            names = [(normalize(t), t, f) for f in ("label", "alt") for t in texts[f]]
            names.append((normalize(node), node, "id"))
            docs.append(_Doc(node, kind, labels, names, fields))
        return cls(docs, [_weighted(doc) for doc in docs])

    @classmethod
    def from_graph(cls, g: Graph) -> SearchIndex:
        """Index an rdflib graph in the aipath ontology."""
        from .project import relation_graph
        from .resolve import build_index

        return cls.build(relation_graph(g), build_index(g))

    # ------------------------------------------------------------ querying

    def query_words(self, text: str) -> list[str]:
        """The words of a query that the index knows, without jieba.

        Chinese runs are looked up in the index's own vocabulary, which jieba made
        when the index was built: every stretch of two or more characters that is a
        word of the graph counts (so "问答机器人" finds 问答, 机器, 机器人). English
        words are folded as :func:`tokenize` folds them. Unknown words are kept, for
        the typo reader.
        """
        out: list[str] = []
        for run in _RUN.findall(normalize(text)):
            if not _HAS_CJK.match(run):
                out.append(_singular(run))
                continue
            for i in range(len(run)):
                for j in range(i + 2, min(len(run), i + self._longest) + 1):
                    if run[i:j] in self.vocab:
                        out.append(run[i:j])
        return [w for w in dict.fromkeys(out) if w not in STOPWORDS]

    def _read_typos(self, words: list[str]) -> tuple[list[tuple[str, float]], list[Match]]:
        """Each query word with its weight; unknown latin words read as close graph words."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        out: list[tuple[str, float]] = []
        typos: list[Match] = []
        for w in words:
            if w in self.vocab or _HAS_CJK.search(w) or len(w) < 4:
                out.append((w, 1.0))
                continue
            most = 1 if len(w) < _LONG_WORD else 2
            found = process.extract(w, self._latin, scorer=OSA.distance, score_cutoff=most, limit=5)
            close = next((c for c, d, _ in sorted(found, key=lambda f: f[1]) if c[0] == w[0]), None)
            if close is None:
                out.append((w, 1.0))
                continue
            out.append((close, 1 - OSA.normalized_distance(w, close)))
            typos.append(Match("typo", (w, close)))
        return out, typos

    def _name_score(self, query: str, doc: _Doc) -> tuple[float, Match | None]:
        """How strongly the whole query names this node: 1 for its name, less for a mention."""
        from rapidfuzz import fuzz

        best, why = 0.0, None
        for name, written, _ in doc.names:
            if not name:
                continue
            if name == query:
                return 1.0, Match("name", (), written)
            score = 0.0
            kind = "name"
            if len(name) >= 2 and _mentions(query, name):
                score, kind = _MENTION + (1 - _MENTION) * len(name) / len(query), "mention"
            ratio = fuzz.ratio(query, name)
            if ratio >= _NEAR_NAME and 0.9 * ratio / 100 > score:
                score, kind = 0.9 * ratio / 100, "name"
            if score > best:
                best, why = score, Match(kind, (), written)
        return best, why

    def search(
        self,
        text: str,
        *,
        lang: str = "en",
        limit: int = 10,
        types: Collection[str] | None = None,
    ) -> list[Hit]:
        """The nodes ``text`` most likely means, best first (at most ``limit``).

        ``types`` keeps only nodes of those types (``{"Skill", "Tool"}``); ``lang``
        picks the language of each hit's ``label``.
        """
        import numpy as np

        query = normalize(text)
        if not query or limit <= 0:
            return []
        words, typos = self._read_typos(self.query_words(text))
        for typo in typos:  # "learn pytroch" names pytorch as "learn pytorch" does
            query = re.sub(
                rf"(?<![a-z0-9]){re.escape(typo.terms[0])}(?![a-z0-9])", typo.terms[1], query
            )
        scores = np.zeros(len(self.docs))
        for word, weight in words:
            if word in self.vocab:
                scores += weight * self.bm25.get_scores([word])
        top = float(scores.max()) if len(scores) else 0.0
        hits: list[Hit] = []
        wanted = {t.casefold() for t in types} if types else None
        for i, doc in enumerate(self.docs):
            if wanted is not None and doc.type.casefold() not in wanted:
                continue
            named, name_match = self._name_score(query, doc)
            lexical = float(scores[i]) / top if top > 0 else 0.0
            if named <= 0 and lexical <= 0:
                continue
            prior = 1 - 0.06 * TYPE_PREFERENCE.get(doc.type, 7)
            score = (named + 0.6 * lexical) * prior
            why: list[Match] = [name_match] if name_match else []
            used = {w for w, _ in words}
            for f in FIELD_WEIGHTS:
                found = used & doc.fields[f]
                if found:
                    why.append(Match(f, _spans(query, found)))
            why += [t for t in typos if t.terms[1] in set().union(*doc.fields.values())]
            label = _pick(doc.labels, lang, doc.id)
            hits.append(Hit(round(score, 4), doc.id, doc.type, label, doc.labels, tuple(why)))
        hits.sort(key=lambda h: (-h.score, TYPE_PREFERENCE.get(h.type, 7), h.id))
        return hits[:limit]


def cached_index(views: Mapping[str, Any], cache: Any = None) -> SearchIndex:
    """The search index of a graph's views, kept in the graph cache beside them.

    ``views`` is :meth:`aipath_graph.cache.GraphCache.views` (or
    :func:`aipath_graph.store.store_views`); ``cache`` the
    :class:`~aipath_graph.cache.GraphCache` they came from, or None to build
    without caching. A cached index lets a query skip jieba altogether.
    """
    if cache is None:
        return SearchIndex.build(views["relations"], views["index"])

    def make() -> SearchIndex:
        return SearchIndex.build(views["relations"], views["index"])

    found = cache.entry(f"search-{INDEX_VERSION}.bin", make)
    return found if isinstance(found, SearchIndex) else make()


def _spans(query: str, words: Collection[str]) -> tuple[str, ...]:
    """The matched words as a reader sees them: Chinese pieces joined back into the
    stretches of the query they cover (深度, 度学, 学习 → 深度学习), latin words as they are.

    >>> _spans("我想学深度学习 pytorch", {"学习", "度学", "深度", "pytorch"})
    ('pytorch', '深度学习')
    """
    covered = [False] * len(query)
    latin = set()
    for w in words:
        if not _HAS_CJK.search(w):
            latin.add(w)
            continue
        at = query.find(w)
        while at >= 0:
            covered[at : at + len(w)] = [True] * len(w)
            at = query.find(w, at + 1)
    mask = "".join("1" if c else "0" for c in covered)
    return (*sorted(latin), *(query[m.start() : m.end()] for m in re.finditer("1+", mask)))


def _mentions(query: str, name: str) -> bool:
    """True when ``name`` occurs in ``query`` (on word boundaries for latin names)."""
    at = query.find(name)
    while at >= 0:
        before = query[at - 1] if at else " "
        after = query[at + len(name)] if at + len(name) < len(query) else " "
        if _HAS_CJK.search(name) or not (before.isalnum() or after.isalnum()):
            return True
        at = query.find(name, at + 1)
    return False


def _weighted(doc: _Doc) -> list[str]:
    """A node's BM25 document: each field's words, repeated by the field's weight."""
    return [w for f, k in FIELD_WEIGHTS.items() for w in sorted(doc.fields[f]) for _ in range(k)]


__all__ = [
    "FIELD_WEIGHTS",
    "SEARCHABLE_TYPES",
    "STOPWORDS",
    "Hit",
    "Match",
    "SearchIndex",
    "cached_index",
    "tokenize",
]
