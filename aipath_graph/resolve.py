"""Turn what a user types into a node.

A term may be a slug, an IRI, a Chinese or English label, or an alt label, in
any case and in full- or half-width characters (``ＰｙＴｏｒｃｈ`` is ``pytorch``).
Spaces, ``-`` and ``_`` are interchangeable. One name for several nodes is
ambiguous and lists them; an unknown name gets "did you mean" suggestions.

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


def normalize(text: str) -> str:
    """Case- and width-fold a name for matching.

    >>> normalize("  Ｆｉｎｅ_Tuning ")
    'fine tuning'
    >>> normalize("大型语言模型（LLM）工程")
    '大型语言模型(llm)工程'
    """
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return _SEP.sub(" ", folded).strip()


def build_index(g: Graph) -> dict[str, Any]:
    """The name index of a graph: ``{"names": {name: [ids]}, "display": {id: "id (label)"}}``."""
    from rdflib import RDF, SKOS, Literal, URIRef

    from .namespaces import AIP
    from .project import NODE_TYPES

    typed: set[URIRef] = {
        s for t in NODE_TYPES for s in g.subjects(RDF.type, AIP[t]) if isinstance(s, URIRef)
    }
    names: dict[str, set[str]] = {}
    for s in typed:
        for key in (node_id(str(s)), str(s)):
            names.setdefault(normalize(key), set()).add(node_id(str(s)))
    labels: dict[URIRef, dict[str, str]] = {}
    for pred in (SKOS.prefLabel, SKOS.altLabel):
        for subj, o in g.subject_objects(pred):
            if isinstance(subj, URIRef) and subj in typed and isinstance(o, Literal):
                names.setdefault(normalize(str(o)), set()).add(node_id(str(subj)))
                if pred == SKOS.prefLabel:
                    labels.setdefault(subj, {})[o.language or ""] = str(o)
    display = {}
    for s in typed:
        shown = labels.get(s, {}).get("en") or labels.get(s, {}).get("zh") or ""
        display[node_id(str(s))] = f"{node_id(str(s))} ({shown})" if shown else node_id(str(s))
    return {"names": {k: sorted(v) for k, v in names.items()}, "display": display}


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

    @classmethod
    def from_index(cls, index: dict[str, Any]) -> Resolver:
        """A resolver over an index made by :func:`build_index`."""
        return cls(index=index)

    def candidates(self, text: str) -> list[str]:
        """Ids of all nodes the text names, sorted (empty when none)."""
        return list(self._names.get(normalize(text), ()))

    def slug(self, text: str) -> str:
        """Return the id (a slug for our nodes) of the one node named by ``text``.

        Raises
        ------
        UnknownTermError
            No node has that name; ``suggestions`` holds close names.
        AmbiguousTermError
            Several nodes have that name; ``candidates`` lists them.
        """
        found = self.candidates(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousTermError(text, [self._display.get(n, n) for n in found])
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


__all__ = ["Resolver", "build_index", "normalize"]
