"""Turn what a user types into a node.

A term may be a slug, an IRI, a Chinese or English label, or an alt label, in
any case and in full- or half-width characters (``ＰｙＴｏｒｃｈ`` is ``pytorch``).
Spaces, ``-`` and ``_`` are interchangeable. An unknown name gets "did you mean"
suggestions.

When one name belongs to several nodes, the resolver picks what people mean:

1. an exact id (or IRI) always wins: ``responsible-ai`` is the trend of that
   id, even where a skill has "Responsible AI" as an alt label;
2. otherwise the node of the most preferred kind wins (:data:`TYPE_PREFERENCE`):
   skills and tools before roles and levels, projects, stages and the like,
   and resources and categories last — "深度学习" is the skill when a skill
   has that name, not the book;
3. two nodes of equally preferred kinds are ambiguous, and the error lists them.

The resolver is a plain index (normalised name → node ids), built once from a
graph and small enough to cache, so resolving needs no RDF library at all.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> r = Resolver(load_graph())
>>> r.slug("反向传播算法"), r.slug("Backpropagation"), r.slug("BACKPROPAGATION")
('backpropagation', 'backpropagation', 'backpropagation')
>>> r.slug("ＰｙＴｏｒｃｈ")
'pytorch'
>>> r.slug("responsible-ai")  # the trend's id, though a skill has the alt label
'responsible-ai'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from .errors import AmbiguousTermError, UnknownTermError
from .ids import node_id, node_iri

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

_SEP = re.compile(r"[\s_\-‐–—·・]+")

#: How strongly a node of each type is preferred when several share a name (lower wins).
TYPE_PREFERENCE: dict[str, int] = {
    "Skill": 0,
    "Tool": 0,
    "Role": 1,
    "CareerLevel": 1,
    "Project": 2,
    "Stage": 3,
    "UseCase": 3,
    "Domain": 3,
    "Trend": 3,
    "AnyOf": 4,
    "Resource": 5,
    "Category": 6,
}
_LAST = max(TYPE_PREFERENCE.values()) + 1
#: Node types a search never returns: planning artefacts and untyped references.
HIDDEN_TYPES = frozenset({"AnyOf", "Unknown"})
#: Node types a search may return, most preferred first (:mod:`aipath_graph.search`).
SEARCHABLE_TYPES: tuple[str, ...] = tuple(
    sorted((t for t in TYPE_PREFERENCE if t not in HIDDEN_TYPES), key=TYPE_PREFERENCE.__getitem__)
)


def normalize(text: str) -> str:
    """Case- and width-fold a name for matching.

    >>> normalize("  Ｆｉｎｅ_Tuning ")
    'fine tuning'
    >>> normalize("大型语言模型（LLM）工程")
    '大型语言模型(llm)工程'
    """
    # NFKC leaves ASCII alone, and casefold is lower there (most names, and fast)
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return _SEP.sub(" ", folded.strip()).strip()


def build_index(g: Any) -> dict[str, Any]:
    """The name index of a graph (an rdflib graph or its :class:`~aipath_graph.facts.Facts`).

    ``{"names": {name: [ids]}, "display": {id: "id (label)"}, "types": {id: type},
    "alt": {id: {lang: [alt labels]}}}``; names are normalized (:func:`normalize`).
    """
    from .facts import SKOS, Facts, Text, is_iri
    from .project import typed_nodes

    F = Facts.of(g)
    types: dict[str, str] = {}
    for t, subjects in typed_nodes(F).items():  # a node typed twice keeps the first type
        for s in subjects:
            types.setdefault(s, t)
    names: dict[str, set[str]] = {}
    ids = {s: node_id(s) for s in types}
    for s, node in ids.items():
        for key in (node, s):
            names.setdefault(normalize(key), set()).add(node)
    labels: dict[str, dict[str, str]] = {}
    alt: dict[str, dict[str, set[str]]] = {}
    for pred in (SKOS + "prefLabel", SKOS + "altLabel"):
        for subj, o in F[pred]:
            if is_iri(subj) and subj in ids and type(o) is Text:
                node = ids[subj]
                names.setdefault(normalize(o.value), set()).add(node)
                if pred == SKOS + "prefLabel":
                    labels.setdefault(subj, {})[o.lang] = o.value
                else:
                    alt.setdefault(node, {}).setdefault(o.lang, set()).add(o.value)
    display = {}
    for s, node in ids.items():
        shown = labels.get(s, {}).get("en") or labels.get(s, {}).get("zh") or ""
        display[node] = f"{node} ({shown})" if shown else node
    return {
        "names": {k: sorted(v) for k, v in names.items()},
        "display": display,
        "types": {ids[s]: t for s, t in types.items()},
        "alt": {n: {lang: sorted(texts) for lang, texts in a.items()} for n, a in alt.items()},
    }


class Resolver:
    """Resolve user-typed names against one graph (lookups are dict hits).

    Build it from an rdflib graph, ``Resolver(g)``, or from a cached index,
    ``Resolver.from_index(index)``.
    """

    def __init__(self, g: Graph | None = None, *, index: dict[str, Any] | None = None) -> None:
        if index is None:
            if g is None:
                raise TypeError("Resolver needs a graph or an index")
            index = build_index(g)
        self.index = index
        self._names: dict[str, list[str]] = index["names"]
        self._display: dict[str, str] = index["display"]
        self._types: dict[str, str] = index.get("types", {})

    @classmethod
    def from_index(cls, index: dict[str, Any]) -> Resolver:
        """A resolver over an index made by :func:`build_index`."""
        return cls(index=index)

    def candidates(self, text: str) -> list[str]:
        """Ids of all nodes the text names, sorted (empty when none)."""
        return list(self._names.get(normalize(text), ()))

    def type_of(self, node: str) -> str | None:
        """The type of a node (``"Skill"``, ``"Resource"`` …), None when unknown."""
        return self._types.get(node)

    def exact_id(self, text: str) -> str | None:
        """The node whose id or IRI ``text`` is, exactly (case and width folded), else None.

        >>> r = Resolver(index={"names": {}, "display": {"git": "git"}})
        >>> r.exact_id(" GIT "), r.exact_id("https://w3id.org/aipath/id/git"), r.exact_id("g it")
        ('git', 'git', None)
        """
        folded = unicodedata.normalize("NFKC", text).strip()
        for key in (folded, folded.casefold()):
            node = node_id(key)
            if node in self._display:
                return node
        return None

    def ranked(self, text: str) -> list[str]:
        """Ids of all nodes the text names, the one people mean first (see the module notes).

        >>> r = Resolver(index={"names": {"dl": ["dl-book", "deep-learning"]}, "display": {},
        ...                     "types": {"dl-book": "Resource", "deep-learning": "Skill"}})
        >>> r.ranked("DL")
        ['deep-learning', 'dl-book']
        """
        found = self.candidates(text)
        exact = self.exact_id(text)
        return sorted(found, key=lambda n: (n != exact, self._preference(n), n))

    def _preference(self, node: str) -> int:
        return TYPE_PREFERENCE.get(self._types.get(node, ""), _LAST)

    def best(self, text: str) -> tuple[list[str], list[str]]:
        """``(chosen, others)``: the nodes ``text`` names that tie for first, and the rest.

        ``chosen`` has one id when the name picks out one node, several when
        equally preferred nodes share it, none when nothing has that name.
        """
        ranked = self.ranked(text)
        if not ranked:
            return [], []
        exact = self.exact_id(text)
        if exact is not None and exact in ranked:
            return [exact], [n for n in ranked if n != exact]
        top = self._preference(ranked[0])
        chosen = [n for n in ranked if self._preference(n) == top]
        return chosen, ranked[len(chosen) :]

    def slug(self, text: str) -> str:
        """Return the id (a slug for our nodes) of the node ``text`` names.

        Where several nodes share the name, an exact id wins, then the most
        preferred type (:data:`TYPE_PREFERENCE`).

        Raises
        ------
        UnknownTermError
            No node has that name; ``suggestions`` holds close names.
        AmbiguousTermError
            Several nodes have that name; ``candidates`` lists them.
        """
        exact = self.exact_id(text)
        if exact is not None:
            return exact
        chosen, _ = self.best(text)
        if len(chosen) == 1:
            return chosen[0]
        if chosen:
            raise AmbiguousTermError(text, [self._display.get(n, n) for n in chosen])
        raise UnknownTermError(text, self.suggestions(text))

    def resolve(self, text: str) -> URIRef:
        """Like :meth:`slug`, but return the node's IRI as an rdflib ``URIRef``."""
        from rdflib import URIRef

        return URIRef(node_iri(self.slug(text)))

    def suggestions(self, text: str, n: int = 5) -> list[str]:
        """Names close to ``text``, shown as ``id (label)``."""
        key = normalize(text)
        names = list(self._names)
        close = difflib.get_close_matches(key, names, n=n * 2, cutoff=0.55)
        close += [name for name in names if key and key in name and name not in close]
        out: list[str] = []
        for name in close:
            for node in self._names[name]:
                shown = self._display.get(node, node)
                if shown not in out:
                    out.append(shown)
        return out[:n]


__all__ = ["TYPE_PREFERENCE", "Resolver", "build_index", "normalize"]
