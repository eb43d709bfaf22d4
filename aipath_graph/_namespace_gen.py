"""Generate ``namespaces.py`` from ``ontology/aipath.ttl``.

Run ``python -m aipath_graph._namespace_gen`` after changing the ontology; a test
fails while the two disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

ONTOLOGY_IRI = "https://w3id.org/aipath/ontology#"
HERE = Path(__file__).resolve().parent
TTL = HERE.parent / "ontology" / "aipath.ttl"

HEADER = '''"""RDF namespaces of aipath-graph.

``AIP`` is generated from ``ontology/aipath.ttl`` by
``python -m aipath_graph._namespace_gen``; do not edit it by hand. It fails on
unknown terms, so a typo raises instead of minting a new IRI.

Examples
--------
>>> str(AIP.requires)
'https://w3id.org/aipath/ontology#requires'
>>> str(ID["linear-algebra"])
'https://w3id.org/aipath/id/linear-algebra'
>>> AIP.requirez  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AttributeError: term 'requirez' not in namespace 'https://w3id.org/aipath/ontology#'
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

#: Instance namespace: every node of the graph is ``ID[slug]``.
ID = Namespace("https://w3id.org/aipath/id/")

#: The ontology itself.
ONTOLOGY = URIRef("https://w3id.org/aipath/ontology")

#: schema.org, as the ontology uses it (https, as schema.org recommends).
SCHEMA = Namespace("https://schema.org/")

'''


def ontology_terms(ttl: Path = TTL) -> dict[str, list[str]]:
    """Return the ontology's classes and properties by kind, sorted."""
    g = Graph().parse(ttl)
    kinds = {
        "classes": [OWL.Class],
        "properties": [OWL.ObjectProperty, OWL.DatatypeProperty],
    }
    out: dict[str, list[str]] = {}
    for kind, types in kinds.items():
        names = {
            str(s)[len(ONTOLOGY_IRI) :]
            for t in types
            for s in g.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_IRI)
        }
        out[kind] = sorted(names)
    return out


def render(ttl: Path = TTL) -> str:
    """Return the text of ``namespaces.py`` for the ontology at ``ttl``."""
    terms = ontology_terms(ttl)
    lines = [
        HEADER,
        "class AIP(DefinedNamespace):",
        '    """The aipath ontology (``aip:``)."""',
        "",
    ]
    lines.append('    _NS = Namespace("' + ONTOLOGY_IRI + '")')
    lines.append("    _fail = True")
    lines.append("")
    lines.append("    # classes")
    lines += [f"    {name}: URIRef" for name in terms["classes"]]
    lines.append("")
    lines.append("    # properties")
    lines += [f"    {name}: URIRef" for name in terms["properties"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write ``aipath_graph/namespaces.py``."""
    target = HERE / "namespaces.py"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")


if __name__ == "__main__":
    main()
