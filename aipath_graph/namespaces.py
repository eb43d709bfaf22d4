"""RDF namespaces of aipath-graph.

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


class AIP(DefinedNamespace):
    """The aipath ontology (``aip:``)."""

    _NS = Namespace("https://w3id.org/aipath/ontology#")
    _fail = True

    # classes
    AnyOf: URIRef
    CareerLevel: URIRef
    Category: URIRef
    Domain: URIRef
    Learnable: URIRef
    Project: URIRef
    Resource: URIRef
    Role: URIRef
    Skill: URIRef
    Stage: URIRef
    Tool: URIRef
    Trend: URIRef
    UseCase: URIRef

    # properties
    applies: URIRef
    covers: URIRef
    curated: URIRef
    effortHours: URIRef
    essentialSkill: URIRef
    focus: URIRef
    forRole: URIRef
    goal: URIRef
    inCategory: URIRef
    inDomain: URIRef
    introducedIn: URIRef
    monthsFrom: URIRef
    monthsTo: URIRef
    nextLevel: URIRef
    option: URIRef
    optionalSkill: URIRef
    order: URIRef
    practises: URIRef
    rank: URIRef
    reason: URIRef
    relatesTo: URIRef
    requires: URIRef
    requiresAnyOf: URIRef
    resourceType: URIRef
    responsibility: URIRef
    serves: URIRef
    teaches: URIRef
    typicalWork: URIRef
