"""Node ids without rdflib: the instance namespace and slug <-> IRI conversion.

Kept free of heavy imports so that the everyday commands (``plan``, ``next`` …)
can run on the cached networkx graphs without importing rdflib.

Examples
--------
>>> node_id("https://w3id.org/aipath/id/git"), node_id("http://example.org/x")
('git', 'http://example.org/x')
>>> node_iri("git")
'https://w3id.org/aipath/id/git'
"""

from __future__ import annotations

#: The instance namespace: every node of the graph is ``ID_NS + slug``.
ID_NS = "https://w3id.org/aipath/id/"
#: The classes of the ontology a node of the graph has (the first one found names its type).
NODE_TYPES = (
    "Skill",
    "Tool",
    "Project",
    "AnyOf",
    "Role",
    "CareerLevel",
    "Stage",
    "Domain",
    "UseCase",
    "Resource",
    "Trend",
    "Category",
)


def node_id(iri: str) -> str:
    """The id of a node: its slug in the instance namespace, else the IRI itself."""
    text = str(iri)
    return text[len(ID_NS) :] if text.startswith(ID_NS) else text


def node_iri(node: str) -> str:
    """The IRI of a node id (the inverse of :func:`node_id`)."""
    return node if ":" in node else ID_NS + node


#: The node classes a learner studies (they carry effort hours).
LEARNABLE_TYPES = frozenset({"Skill", "Tool", "Project"})
