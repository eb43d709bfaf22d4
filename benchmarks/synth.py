"""Synthetic prerequisite graphs of any size, for benchmarks.

:func:`synthetic_graph` builds a networkx graph shaped like
:func:`aipath_graph.project.prerequisite_graph` (same node attributes, edge kinds and
direction); :func:`to_rdf` turns it into an rdflib graph in the aipath ontology, so the
whole pipeline (``--data``) can be timed too; :func:`to_ntriples` writes the same
triples as N-Triples text directly (seconds for a million triples, where building an
rdflib graph takes a minute). :data:`SIZES` names the benchmark sizes: 1k, 10k, 30k
(about ESCO's size) and 100k skills.

Shape: skills ``s0 … s{n-1}``; skill *i* requires up to ``max_prereqs`` earlier skills,
half from the previous ``window`` (long chains, as in a real curriculum) and half from
anywhere earlier (cross-links); about ``group_rate`` of the skills also require an
``AnyOf`` group of 2–3 earlier options; four stages split the skills in order; a few
roles need ``essential`` and ``optional`` skills from the last quarter. Deterministic
for a given ``seed``.

Examples
--------
>>> G = synthetic_graph(200, seed=1)
>>> sum(1 for _, d in G.nodes(data=True) if d["type"] == "Skill")
200
>>> import networkx as nx
>>> nx.is_directed_acyclic_graph(G)
True
"""

from __future__ import annotations

import random

import networkx as nx
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from aipath_graph.namespaces import AIP, ID

STAGES = ("beginner", "intermediate", "professional", "expert")

#: Benchmark sizes (skills) by name; 30k is about the size of ESCO's skill pillar.
SIZES = {"1k": 1_000, "10k": 10_000, "30k": 30_000, "100k": 100_000}


def parse_size(text: str) -> int:
    """Return the number of skills a size names: ``"30k"``, ``"1m"`` or ``"2500"``.

    Examples
    --------
    >>> parse_size("30k"), parse_size("1M"), parse_size("2500")
    (30000, 1000000, 2500)
    """
    t = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if scale > 1 else t) * scale)


def _add(G: nx.DiGraph, n: str, kind: str, effort: float = 0.0, stage: str | None = None):
    G.add_node(
        n,
        iri=str(ID[n]),
        type=kind,
        label={"en": n, "zh": n},
        definition={},
        effort=effort,
        stage=stage,
        category=None,
        learnable=kind in ("Skill", "Tool", "Project"),
    )


def synthetic_graph(
    n: int,
    *,
    seed: int = 0,
    max_prereqs: int = 4,
    window: int = 50,
    group_rate: float = 0.02,
    roles: int = 5,
) -> nx.DiGraph:
    """Return a random prerequisite DAG with ``n`` skills (see the module docstring)."""
    rng = random.Random(seed)
    G = nx.DiGraph()
    for st in STAGES:
        _add(G, st, "Stage")
    for i in range(n):
        stage = STAGES[min(3, 4 * i // n)]
        s = f"s{i}"
        _add(G, s, "Skill", effort=float(rng.choice((2, 4, 6, 8, 10, 15, 20, 30, 40))), stage=stage)
        if i < 3 * n // 4 and rng.random() < 0.05:
            G.add_edge(s, stage, kind="covers", reason=None)
        if i == 0:
            continue
        k = rng.randint(0 if i < 10 else 1, max_prereqs)
        pre = set()
        for j in range(k):
            lo = max(0, i - window) if j % 2 == 0 else 0
            pre.add(rng.randrange(lo, i))
        for p in sorted(pre):
            G.add_edge(f"s{p}", s, kind="requires", reason=None)
        if i > 10 and rng.random() < group_rate:
            g = f"g{i}"
            _add(G, g, "AnyOf")
            for o in rng.sample(range(max(0, i - 4 * window), i), rng.randint(2, 3)):
                G.add_edge(f"s{o}", g, kind="option", reason=None)
            G.add_edge(g, s, kind="any", reason=None)
    for r in range(roles):
        role = f"role{r}"
        _add(G, role, "Role")
        for i in rng.sample(range(3 * n // 4, n), min(12, n - 3 * n // 4)):
            G.add_edge(f"s{i}", role, kind="essential", reason=None)
        for i in rng.sample(range(n // 2, n), min(4, n - n // 2)):
            if not G.has_edge(f"s{i}", role):
                G.add_edge(f"s{i}", role, kind="optional", reason=None)
    return G


_PREDICATES = {
    "requires": AIP.requires,
    "essential": AIP.essentialSkill,
    "optional": AIP.optionalSkill,
    "any": AIP.requiresAnyOf,
    "covers": AIP.covers,
}


def to_rdf(G: nx.DiGraph) -> Graph:
    """Return the synthetic graph as RDF in the aipath ontology.

    Examples
    --------
    >>> from aipath_graph.project import prerequisite_graph
    >>> G = synthetic_graph(50, seed=2)
    >>> H = prerequisite_graph(to_rdf(G))
    >>> sorted(G.edges) == sorted(H.edges)
    True
    """
    g = Graph()
    g.bind("aip", AIP)
    for n, d in G.nodes(data=True):
        s = ID[n]
        g.add((s, RDF.type, AIP[d["type"]]))
        for lang, text in d["label"].items():
            g.add((s, SKOS.prefLabel, Literal(text, lang=lang)))
        if d["learnable"]:
            g.add((s, AIP.effortHours, Literal(f"{d['effort']:.1f}", datatype=XSD.decimal)))
        if d["stage"]:
            g.add((s, AIP.introducedIn, ID[d["stage"]]))
    for u, v, kind in G.edges(data="kind"):
        if kind == "option":
            g.add((ID[v], AIP.option, ID[u]))
        else:
            g.add((URIRef(ID[v]), _PREDICATES[kind], ID[u]))
    return g


def to_ntriples(G: nx.DiGraph) -> str:
    """Return the triples of :func:`to_rdf` as N-Triples text, written directly.

    Node ids of the synthetic graph are plain ASCII slugs, so no escaping is needed.

    Examples
    --------
    >>> from rdflib.compare import isomorphic
    >>> G = synthetic_graph(40, seed=3)
    >>> nt = to_ntriples(G)
    >>> isomorphic(Graph().parse(data=nt, format="nt"), to_rdf(G))
    True
    """
    ns, aip = str(ID), str(AIP)
    typ, label = f"<{RDF.type}>", f"<{SKOS.prefLabel}>"
    effort, stage = f"<{AIP.effortHours}>", f"<{AIP.introducedIn}>"
    dec = f"<{XSD.decimal}>"
    pred = {kind: f"<{iri}>" for kind, iri in _PREDICATES.items()}
    option = f"<{AIP.option}>"
    out: list[str] = []
    add = out.append
    for n, d in G.nodes(data=True):
        s = f"<{ns}{n}>"
        add(f"{s} {typ} <{aip}{d['type']}> .")
        for lang, text in d["label"].items():
            add(f'{s} {label} "{text}"@{lang} .')
        if d["learnable"]:
            add(f'{s} {effort} "{d["effort"]:.1f}"^^{dec} .')
        if d["stage"]:
            add(f"{s} {stage} <{ns}{d['stage']}> .")
    for u, v, kind in G.edges(data="kind"):
        if kind == "option":
            add(f"<{ns}{v}> {option} <{ns}{u}> .")
        else:
            add(f"<{ns}{v}> {pred[kind]} <{ns}{u}> .")
    out.append("")
    return "\n".join(out)


__all__ = ["SIZES", "parse_size", "synthetic_graph", "to_ntriples", "to_rdf"]
