"""Deterministic RDF serialisation.

rdflib's Turtle writer sorts subjects, predicates and objects, so a graph
without blank nodes (ours has none) serialises to the same bytes every time;
N-Triples lines are sorted here for the same reason.

Examples
--------
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph()
>>> _ = g.add((URIRef("http://e/b"), URIRef("http://e/p"), Literal("x")))
>>> _ = g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("y")))
>>> print(serialize(g, "nt"), end="")
<http://e/a> <http://e/p> "y" .
<http://e/b> <http://e/p> "x" .
"""

from __future__ import annotations

from rdflib import Graph


def serialize(g: Graph, fmt: str) -> str:
    """Serialise ``g`` as ``turtle``, ``nt``, ``json-ld`` or ``xml``, deterministically."""
    if fmt == "nt":
        lines = g.serialize(format="nt").splitlines()
        return "".join(sorted(f"{line}\n" for line in lines if line.strip()))
    if fmt == "json-ld":
        import json

        data = json.loads(g.serialize(format="json-ld"))
        if isinstance(data, list):
            data.sort(key=lambda node: str(node.get("@id", "")))
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return g.serialize(format=fmt)
