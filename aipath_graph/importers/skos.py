"""Import a SKOS concept scheme (ESCO's skills pillar, for one) as skills and roles.

Mapping: each ``skos:Concept`` → a skill (an ``esco:Occupation`` → a role);
``skos:broader`` (or the inverse ``skos:narrower``) → ``broader``, every parent
kept (a polyhierarchy stays one); ESCO's ``esco:hasEssentialSkill`` between
skills → ``requires``, from an occupation → the role's ``essential`` (and
``esco:hasOptionalSkill`` → ``optional``; between skills it is no prerequisite and
is counted, not mapped); every language of ``skos:prefLabel`` (or SKOS-XL
``skosxl:prefLabel``), ``skos:altLabel``, ``skos:definition`` (or
``dcterms:description``) kept; the concept IRI → ``exact_match``. SKOS has no
effort: each skill gets the placeholder ``effort`` hours, to curate.

Examples
--------
>>> from pathlib import Path
>>> src = Path("tests/data/esco/esco-excerpt.ttl")
>>> r = import_source([src], prefix="esco")
>>> r.kinds["skills"]["esco-machine-learning"]["exact_match"]
['http://data.europa.eu/esco/skill/3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import DCTERMS, RDF, SKOS, BNode, Graph, Literal, Namespace, URIRef

from ..errors import DataError
from ..graph import RDF_FORMATS, parse_rdf
from .common import Draft, ImportResult

ESCO = Namespace("http://data.europa.eu/esco/model#")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
DC11 = Namespace("http://purl.org/dc/elements/1.1/")
#: Default placeholder effort (hours) of an imported skill.
DEFAULT_EFFORT = 4.0


def read_rdf(paths: Sequence[Path]) -> Graph:
    """Parse RDF files (format by suffix) into one graph; a clear error when one fails."""
    g = Graph()
    for path in paths:
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        if path.suffix.lower() not in RDF_FORMATS:
            raise DataError(
                f"{path}: unknown RDF file type {path.suffix!r}; use one of "
                f"{', '.join(sorted(RDF_FORMATS))}"
            )
        problem = parse_rdf(path, g)
        if problem:
            raise DataError(str(problem).replace(": error:", ":"))
    return g


def lang_texts(g: Graph, s: URIRef, *preds: URIRef) -> dict[str, str]:
    """One text per language from the first predicate that has any (smallest text wins)."""
    for p in preds:
        out: dict[str, str] = {}
        for o in g.objects(s, p):
            if isinstance(o, Literal):
                lang = o.language or "en"
                if lang not in out or str(o) < out[lang]:
                    out[lang] = str(o)
        if out:
            return out
    return {}


def _pref_labels(g: Graph, s: URIRef) -> dict[str, str]:
    out = lang_texts(g, s, SKOS.prefLabel)
    for xl in g.objects(s, SKOSXL.prefLabel):
        for o in g.objects(xl, SKOSXL.literalForm):
            if isinstance(o, Literal):
                out.setdefault(o.language or "en", str(o))
    return out


def _alt_labels(g: Graph, s: URIRef, pref: dict[str, str]) -> dict[str, list[str]]:
    forms = [o for o in g.objects(s, SKOS.altLabel) if isinstance(o, Literal)]
    for xl in g.objects(s, SKOSXL.altLabel):
        forms += [o for o in g.objects(xl, SKOSXL.literalForm) if isinstance(o, Literal)]
    out: dict[str, list[str]] = {}
    for o in sorted(forms):
        lang = o.language or "en"
        text = " ".join(str(o).split())
        if text and text != pref.get(lang) and text not in out.get(lang, []):
            out.setdefault(lang, []).append(text)
    return out


def _local(iri: URIRef) -> str:
    text = str(iri).rstrip("/#")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def import_source(
    paths: Sequence[Path], *, prefix: str = "skos", effort: float = DEFAULT_EFFORT
) -> ImportResult:
    """Import SKOS files; see the module docstring for the mapping."""
    g = read_rdf(paths)
    draft = Draft("skos", ", ".join(map(str, paths)), prefix=prefix)
    concepts = sorted(s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef))
    if not concepts:
        raise DataError(f"{draft.source}: no skos:Concept found; is this a SKOS concept scheme?")
    occupations = {s for s in concepts if (s, RDF.type, ESCO.Occupation) in g}
    groups = {s for s in concepts if (s, RDF.type, ESCO.ISCOGroup) in g}
    skills = [s for s in concepts if s not in occupations and s not in groups]
    for s in groups:
        draft.warnings.add(
            "isco", "{n} ISCO groups skipped (occupation classification, not skills)", _local(s)
        )
    concept_set = set(concepts)
    essential = _links(g, ESCO.hasEssentialSkill)
    optional = _links(g, ESCO.hasOptionalSkill)
    broader: dict[URIRef, set[URIRef]] = {}
    for child, parent in [
        *g.subject_objects(SKOS.broader),
        *((p, c) for c, p in g.subject_objects(SKOS.narrower)),
    ]:
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child in concept_set:
            broader.setdefault(child, set()).add(parent)

    def label_of(s: URIRef) -> dict[str, str]:
        return _pref_labels(g, s)

    slug = {s: draft.slug(str(s), label_of(s).get("en") or _local(s)) for s in skills}
    reason = {"en": "an essential skill of it in ESCO"}
    for s in skills:
        pref = label_of(s)
        parents = []
        for p in sorted(broader.get(s, ())):
            if p in slug:
                parents.append(slug[p])
            elif p in concept_set:
                draft.warnings.add(
                    "broader-other",
                    "{n} broader links to concepts that are not skills dropped",
                    f"{_local(s)} -> {_local(p)}",
                )
            else:
                draft.warnings.add(
                    "dangling",
                    "{n} broader links pointed at concepts not in the source; dropped",
                    f"{_local(s)} -> {_local(p)}",
                )
        requires = []
        for t in essential.get(s, []):
            if t == s:
                draft.warnings.add(
                    "self", "{n} concepts listed themselves as a skill; dropped", _local(s)
                )
            elif t in slug:
                requires.append({"id": slug[t], "reason": reason})
            else:
                draft.warnings.add(
                    "dangling",
                    "{n} broader links pointed at concepts not in the source; dropped",
                    f"{_local(s)} -> {_local(t)}",
                )
        for t in optional.get(s, []):
            draft.warnings.add(
                "optional",
                "{n} optional skill-to-skill relations not mapped (optional is no prerequisite)",
                f"{_local(s)} -> {_local(t)}",
            )
        draft.add(
            "skills",
            str(s),
            pref,
            fallback=_local(s),
            effort=effort,
            alt=_alt_labels(g, s, pref),
            definition=draft.texts(
                lang_texts(g, s, SKOS.definition, DCTERMS.description, DC11.description),
                "definition",
                _local(s),
            ),
            broader=parents,
            requires=requires,
            exact_match=[str(s)],
        )
        draft.warnings.add(
            "effort",
            f"{{n}} skills have no effort in the source; set to "
            f"{effort:g} h (a placeholder to curate)",
            "",
        )
    for s in sorted(occupations):
        _add_role(draft, g, s, essential.get(s, []), optional.get(s, []), slug)
    draft.header = [
        f"Imported by 'aipath import skos' from {draft.source}.",
        "Concept IRIs are kept as exact_match; effort hours are placeholders.",
        "ESCO content: 'This service uses the ESCO classification of the European Commission.'",
    ]
    return draft.finish()


def _links(g: Graph, pred: URIRef) -> dict[URIRef, list[URIRef]]:
    out: dict[URIRef, list[URIRef]] = {}
    for s, o in sorted(g.subject_objects(pred)):
        if isinstance(s, URIRef) and isinstance(o, URIRef | BNode):
            out.setdefault(s, []).append(o)  # type: ignore[arg-type]
    return out


def _add_role(
    draft: Draft, g: Graph, s: URIRef, ess: list[URIRef], opt: list[URIRef], slug: dict[URIRef, str]
) -> None:
    essential = [
        {"id": slug[t], "reason": {"en": "an essential skill in ESCO"}} for t in ess if t in slug
    ]
    optional = [slug[t] for t in opt if t in slug]
    missing = [t for t in [*ess, *opt] if t not in slug]
    for t in missing:
        draft.warnings.add(
            "dangling",
            "{n} broader links pointed at concepts not in the source; dropped",
            f"{_local(s)} -> {_local(t)}",
        )
    if not essential:
        draft.warnings.add(
            "role-empty",
            "{n} occupations without an essential skill in the source skipped (a role needs one)",
            _local(s),
        )
        return
    definition = draft.texts(
        lang_texts(g, s, SKOS.definition, DCTERMS.description), "definition", _local(s)
    )
    stated = definition or {"en": "not stated in the source"}
    draft.add(
        "roles",
        str(s),
        _pref_labels(g, s),
        fallback=_local(s),
        definition=definition,
        focus=stated,
        typical_work=stated,
        essential=essential,
        optional=optional,
        exact_match=[str(s)],
    )
