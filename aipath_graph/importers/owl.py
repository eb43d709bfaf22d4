"""Import OWL class hierarchies, with skill links stated as ``owl:Restriction``s.

The Occupation Ontology (OccO) states "a data scientist has skill X" as
``occupation rdfs:subClassOf [ a owl:Restriction ; owl:onProperty has-skill ;
owl:someValuesFrom X ]`` on a blank node. Mapping: a class with such
existential restrictions → a role whose ``essential`` skills are the restriction
targets; those targets and their named, labelled superclasses → skills, with
``rdfs:subClassOf`` → ``broader``. When the source has no such restrictions at
all, every labelled class is a skill and the class hierarchy is kept. Labels:
``rdfs:label`` or ``skos:prefLabel`` (all languages); definitions: IAO's
definition, ``skos:definition`` or ``rdfs:comment``; alternative terms: IAO's or
``skos:altLabel``. The class IRI → ``exact_match``.

Examples
--------
>>> from pathlib import Path
>>> r = import_source(sorted(Path("tests/data/occo").glob("*.owl")), prefix="occo")
>>> [s for s in r.kinds["roles"]["occo-statistician"]["essential"]][:2]
['occo-active-learning', 'occo-active-listening']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef

from ..errors import DataError
from .common import Draft, ImportResult
from .skos import lang_texts, read_rdf

OBO = Namespace("http://purl.obolibrary.org/obo/")
DEFINITION = OBO.IAO_0000115
ALT_TERM = OBO.IAO_0000118
DEFAULT_EFFORT = 10.0


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def restrictions(g: Graph, prop: URIRef | None = None) -> tuple[dict[URIRef, list[URIRef]], int]:
    """``class → [targets]`` of ``someValuesFrom`` restrictions (on ``prop`` if given).

    Also returns how many restrictions of another form (``allValuesFrom``,
    cardinalities, complex fillers, other properties) were not mapped.
    """
    links: dict[URIRef, list[URIRef]] = {}
    other = 0
    for cls, r in g.subject_objects(RDFS.subClassOf):
        if not isinstance(r, BNode) or (r, RDF.type, OWL.Restriction) not in g:
            continue
        on = g.value(r, OWL.onProperty)
        target = g.value(r, OWL.someValuesFrom)
        if isinstance(cls, URIRef) and isinstance(target, URIRef) and (prop is None or on == prop):
            links.setdefault(cls, []).append(target)
        else:
            other += 1
    return {c: sorted(set(t)) for c, t in links.items()}, other


def import_source(
    paths: Sequence[Path],
    *,
    prefix: str = "owl",
    effort: float = DEFAULT_EFFORT,
    skill_property: str | None = None,
) -> ImportResult:
    """Import OWL files (one graph); see the module docstring."""
    g = read_rdf(paths)
    draft = Draft("owl", ", ".join(map(str, paths)), prefix=prefix)
    draft.header = [
        f"Imported by 'aipath import owl' from {draft.source}.",
        "Class IRIs are kept as exact_match; effort hours are placeholders.",
    ]
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    classes |= {c for c in g.objects(None, RDFS.subClassOf) if isinstance(c, URIRef)}
    if not classes:
        raise DataError(f"{draft.source}: no OWL classes found")
    links, other = restrictions(g, URIRef(skill_property) if skill_property else None)
    for _ in range(other):
        draft.warnings.add(
            "restriction",
            "{n} restrictions not of the form 'some <named class>' "
            "(or on another property) not mapped",
        )
    parents = {
        c: sorted(p for p in g.objects(c, RDFS.subClassOf) if isinstance(p, URIRef))
        for c in classes
    }
    labelled = {c for c in classes if _labels(g, c)}
    if links:
        skills: set[URIRef] = set()
        todo = [t for ts in links.values() for t in ts]
        while todo:
            c = todo.pop()
            if c in skills or c in links:
                continue
            skills.add(c)
            todo += [p for p in parents.get(c, []) if p in labelled]
    else:
        skills = labelled
    roles = sorted(links)
    for c in sorted(classes - skills - set(roles)):
        draft.warnings.add(
            "skipped", "{n} classes neither skills nor linked to skills skipped", _local(c)
        )
    slug = {
        c: draft.slug(str(c), _labels(g, c).get("en") or _local(c))
        for c in [*sorted(skills), *roles]
    }
    for c in sorted(skills):
        broader = []
        for p in parents.get(c, []):
            if p in skills:
                broader.append(slug[p])
            else:
                draft.warnings.add(
                    "dangling",
                    "{n} superclasses not in the source (or not skills) dropped",
                    f"{_local(c)} -> {_local(p)}",
                )
        draft.add(
            "skills",
            str(c),
            _labels(g, c),
            fallback=_local(c),
            effort=effort,
            **_texts(draft, g, c),
            broader=broader,
            exact_match=[str(c)],
        )
        draft.warnings.add(
            "effort",
            f"{{n}} skills have no effort in the source; set to "
            f"{effort:g} h (a placeholder to curate)",
        )
    for c in roles:
        for p in parents.get(c, []):
            draft.warnings.add(
                "role-isa",
                "{n} is-a links of roles not mapped (roles have no hierarchy)",
                f"{_local(c)} -> {_local(p)}",
            )
        texts = _texts(draft, g, c)
        stated = texts.get("definition") or {"en": "not stated in the source"}
        draft.add(
            "roles",
            str(c),
            _labels(g, c),
            fallback=_local(c),
            **texts,
            focus=stated,
            typical_work=stated,
            essential=[slug[t] for t in links[c] if t in slug],
            exact_match=[str(c)],
        )
    return draft.finish()


def _labels(g: Graph, c: URIRef) -> dict[str, str]:
    return lang_texts(g, c, RDFS.label, SKOS.prefLabel)


def _texts(draft: Draft, g: Graph, c: URIRef) -> dict[str, Any]:
    definition = draft.texts(
        lang_texts(g, c, DEFINITION, SKOS.definition, RDFS.comment), "definition", _local(c)
    )
    alt: dict[str, list[str]] = {}
    label = _labels(g, c)
    for o in sorted(set(g.objects(c, ALT_TERM)) | set(g.objects(c, SKOS.altLabel)), key=str):
        if (
            isinstance(o, Literal)
            and str(o).strip()
            and str(o).strip() != label.get(o.language or "en")
        ):
            alt.setdefault(o.language or "en", []).append(" ".join(str(o).split()))
    return {"definition": definition, "alt": alt}
