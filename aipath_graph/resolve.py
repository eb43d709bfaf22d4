"""Turn what a user types into a node IRI.

A term may be a slug, an IRI, a Chinese or English label, or an alt label, in
any case and in full- or half-width characters (``ＰｙＴｏｒｃｈ`` is ``pytorch``).
Spaces, ``-`` and ``_`` are interchangeable. One name for several nodes is
ambiguous and lists them; an unknown name gets "did you mean" suggestions.

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
from collections import defaultdict

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from .errors import AmbiguousTermError, UnknownTermError
from .namespaces import AIP, ID
from .project import NODE_TYPES, node_id

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


class Resolver:
    """Resolve user-typed names against one graph (built once; lookups are dict hits)."""

    def __init__(self, g: Graph) -> None:
        self.graph = g
        self._index: dict[str, set[URIRef]] = defaultdict(set)
        self._display: dict[URIRef, str] = {}
        typed: set[URIRef] = set()
        for type_name in NODE_TYPES:
            for s in g.subjects(RDF.type, AIP[type_name]):
                if isinstance(s, URIRef):
                    typed.add(s)
        for s in typed:
            self._index[normalize(node_id(s))].add(s)
            self._index[normalize(str(s))].add(s)
        for pred in (SKOS.prefLabel, SKOS.altLabel):
            for s, o in g.subject_objects(pred):
                if s in typed and isinstance(o, Literal):
                    self._index[normalize(str(o))].add(s)
        for s in typed:
            en = g.value(s, SKOS.prefLabel)
            labels = {lit.language: str(lit) for lit in g.objects(s, SKOS.prefLabel)
                      if isinstance(lit, Literal)}
            shown = labels.get("en") or labels.get("zh") or (str(en) if en else "")
            self._display[s] = f"{node_id(s)} ({shown})" if shown else node_id(s)

    def candidates(self, text: str) -> list[URIRef]:
        """All nodes the text names, sorted (empty when none)."""
        return sorted(self._index.get(normalize(text), ()))

    def resolve(self, text: str) -> URIRef:
        """Return the one node named by ``text``.

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
            raise AmbiguousTermError(text, [self._display[s] for s in found])
        raise UnknownTermError(text, self.suggestions(text))

    def slug(self, text: str) -> str:
        """Like :meth:`resolve`, but return the node id (a slug for our nodes)."""
        return node_id(self.resolve(text))

    def suggestions(self, text: str, n: int = 5) -> list[str]:
        """Names close to ``text``, shown as ``slug (label)``."""
        key = normalize(text)
        names = list(self._index)
        close = difflib.get_close_matches(key, names, n=n * 2, cutoff=0.55)
        close += [name for name in names if key and key in name and name not in close]
        out: list[str] = []
        for name in close:
            for s in sorted(self._index[name]):
                shown = self._display[s]
                if shown not in out:
                    out.append(shown)
        return out[:n]


__all__ = ["ID", "Resolver", "normalize"]
