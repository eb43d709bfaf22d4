"""The ontology, its generated namespace, and the SHACL shapes."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from aipath_graph import _namespace_gen
from aipath_graph.graph import ONTOLOGY_FILE, SHAPES_FILE
from aipath_graph.namespaces import AIP


def test_generated_namespace_is_up_to_date():
    current = (_namespace_gen.HERE / "namespaces.py").read_text(encoding="utf-8")
    assert current == _namespace_gen.render(), "run: python -m aipath_graph._namespace_gen"


def test_namespace_and_ontology_hold_the_same_terms():
    g = Graph().parse(ONTOLOGY_FILE)
    in_ontology = {
        str(s)
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in g.subjects(RDF.type, t)
        if str(s).startswith(str(AIP._NS))
    }
    in_namespace = {str(AIP._NS) + name for name in AIP.__annotations__}
    assert in_ontology == in_namespace
    # _fail=True: an unknown term raises instead of minting an IRI
    try:
        AIP.requirez  # noqa: B018
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("AIP accepted an unknown term")


def test_every_term_has_zh_and_en_label_and_a_comment():
    g = Graph().parse(ONTOLOGY_FILE)
    for name in AIP.__annotations__:
        term = URIRef(str(AIP._NS) + name)
        langs = {lit.language for lit in g.objects(term, RDFS.label) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= langs, name
        assert g.value(term, RDFS.comment) is not None, name


def test_ontology_metadata():
    g = Graph().parse(ONTOLOGY_FILE)
    onto = URIRef("https://w3id.org/aipath/ontology")
    assert g.value(onto, OWL.versionInfo) is not None
    from rdflib import DCTERMS

    assert g.value(onto, DCTERMS.license) is not None
    assert g.value(onto, DCTERMS.creator) is not None


def test_shapes_parse():
    assert len(Graph().parse(SHAPES_FILE)) > 100
