"""The YAML schema: which kinds exist, which fields each has, and what they mean in RDF.

One table drives the compiler, the validator and the documentation in
``graph/README.md``: a field's *shape* says how its YAML value is read, its
*predicate* where it goes in RDF, and *targets* which kinds a reference may point at.

Examples
--------
>>> KINDS["skills"].cls.endswith("#Skill")
True
>>> KINDS["skills"].fields["requires"].shape
'reqs'
>>> sorted(KIND_OF_CLASS)[:2]
['AnyOf', 'CareerLevel']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import DCTERMS, RDF, SKOS, URIRef

from .namespaces import AIP, SCHEMA

LEARNABLE = ("skills", "tools", "projects")
SKILL_LIKE = ("skills", "tools")


@dataclass(frozen=True)
class Field:
    """How one YAML field is read and written.

    Shapes: ``text`` (``{zh:, en:}``), ``texts`` (a list of those), ``alt``
    (``{lang: [names]}``), ``ref`` / ``refs`` (slugs), ``reqs`` (slugs or
    ``{id:, reason:}``), ``pos`` (number > 0), ``int``, ``bool``, ``str``,
    ``strs``, ``iri``, ``iris``.
    """

    shape: str
    predicate: URIRef | None
    required: bool = False
    targets: tuple[str, ...] = ()
    inverse: bool = False  # write ``object predicate subject``


COMMON: dict[str, Field] = {
    "label": Field("text", SKOS.prefLabel, required=True),
    "alt": Field("alt", SKOS.altLabel),
    "definition": Field("text", SKOS.definition),
    "note": Field("text", SKOS.note),
    "curated": Field("bool", AIP.curated),
    "category": Field("ref", AIP.inCategory, targets=("categories",)),
    "exact_match": Field("iris", SKOS.exactMatch),
    "close_match": Field("iris", SKOS.closeMatch),
}

_LEARN: dict[str, Field] = {
    "effort": Field("pos", AIP.effortHours, required=True),
    "stage": Field("ref", AIP.introducedIn, targets=("stages",)),
    "requires": Field("reqs", AIP.requires, targets=LEARNABLE),
    "requires_any": Field("reqs", AIP.requiresAnyOf, targets=("any_of",)),
}

_NEEDS: dict[str, Field] = {
    "essential": Field("reqs", AIP.essentialSkill, targets=LEARNABLE),
    "optional": Field("reqs", AIP.optionalSkill, targets=LEARNABLE),
    "responsibilities": Field("texts", AIP.responsibility),
}


@dataclass(frozen=True)
class Kind:
    """A top-level key of the YAML: its class and its own fields."""

    name: str
    cls: URIRef
    own: dict[str, Field] = field(default_factory=dict)
    extra_types: tuple[URIRef, ...] = ()

    @property
    def fields(self) -> dict[str, Field]:
        """The kind's fields, common ones included."""
        return {**COMMON, **self.own}


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "categories",
            AIP.Category,
            {"parent": Field("ref", AIP.inCategory, targets=("categories",))},
        ),
        Kind(
            "skills",
            AIP.Skill,
            {
                **_LEARN,
                "broader": Field("refs", SKOS.broader, targets=SKILL_LIKE),
                "relates": Field("refs", AIP.relatesTo, targets=LEARNABLE),
            },
        ),
        Kind(
            "tools",
            AIP.Tool,
            {
                **_LEARN,
                "broader": Field("refs", SKOS.broader, targets=SKILL_LIKE),
                "serves": Field("refs", AIP.serves, targets=LEARNABLE),
                "url": Field("iri", SCHEMA.url),
            },
        ),
        Kind(
            "any_of",
            AIP.AnyOf,
            {"options": Field("refs", AIP.option, required=True, targets=LEARNABLE)},
        ),
        Kind(
            "roles",
            AIP.Role,
            {
                "focus": Field("text", AIP.focus),
                "typical_work": Field("text", AIP.typicalWork),
                **_NEEDS,
            },
        ),
        Kind(
            "levels",
            AIP.CareerLevel,
            {
                "role": Field("ref", AIP.forRole, required=True, targets=("roles",)),
                "rank": Field("int", AIP.rank, required=True),
                "next": Field("ref", AIP.nextLevel, targets=("levels",)),
                **_NEEDS,
            },
        ),
        Kind(
            "stages",
            AIP.Stage,
            {
                "order": Field("int", AIP.order, required=True),
                "months_from": Field("int", AIP.monthsFrom, required=True),
                "months_to": Field("int", AIP.monthsTo),
                "goal": Field("text", AIP.goal, required=True),
                "covers": Field("refs", AIP.covers, targets=LEARNABLE),
            },
        ),
        Kind(
            "projects",
            AIP.Project,
            {
                "effort": Field("pos", AIP.effortHours, required=True),
                "stage": Field("ref", AIP.introducedIn, required=True, targets=("stages",)),
                "order": Field("int", AIP.order),
                "practises": Field("reqs", AIP.practises, targets=LEARNABLE),
                "requires": Field("reqs", AIP.requires, targets=LEARNABLE),
                "requires_any": Field("reqs", AIP.requiresAnyOf, targets=("any_of",)),
            },
        ),
        Kind("domains", AIP.Domain),
        Kind(
            "use_cases",
            AIP.UseCase,
            {
                "domain": Field("ref", AIP.inDomain, required=True, targets=("domains",)),
                "applies": Field("reqs", AIP.applies, targets=LEARNABLE),
            },
        ),
        Kind(
            "resources",
            AIP.Resource,
            {
                "type": Field("str", AIP.resourceType, required=True),
                "authors": Field("strs", SCHEMA.author),
                "year": Field("int", SCHEMA.datePublished),
                "url": Field("iri", SCHEMA.url),
                "publisher": Field("str", SCHEMA.publisher),
                "isbn": Field("str", SCHEMA.isbn),
                "teaches": Field("refs", AIP.teaches, targets=LEARNABLE),
                "effort": Field("pos", AIP.effortHours),
            },
        ),
        Kind(
            "trends",
            AIP.Trend,
            {"relates": Field("refs", AIP.relatesTo, targets=LEARNABLE)},
        ),
    ]
}

#: Class local name → kind name (``"Skill"`` → ``"skills"``).
KIND_OF_CLASS: dict[str, str] = {str(k.cls).rsplit("#", 1)[1]: k.name for k in KINDS.values()}

#: Resource ``type`` values and the schema.org class each adds.
RESOURCE_TYPES: dict[str, URIRef] = {
    "book": SCHEMA.Book,
    "course": SCHEMA.Course,
    "paper": SCHEMA.ScholarlyArticle,
    "blog": SCHEMA.Blog,
    "docs": SCHEMA.TechArticle,
    "repo": SCHEMA.SoftwareSourceCode,
    "article": SCHEMA.Article,
    "video": SCHEMA.VideoObject,
}

#: The fields of ``meta:`` (the dataset description).
META_FIELDS: dict[str, Field] = {
    "title": Field("text", DCTERMS.title, required=True),
    "description": Field("text", DCTERMS.description),
    "seed_pointer": Field("text", SKOS.note),
    "version": Field("str", SCHEMA.version),
    "created": Field("str", DCTERMS.created),
    "source": Field("source", DCTERMS.source),
    "license": Field("iri", DCTERMS.license),
}

LANGS = ("zh", "en")

__all__ = [
    "KINDS",
    "KIND_OF_CLASS",
    "LANGS",
    "LEARNABLE",
    "META_FIELDS",
    "RDF",
    "RESOURCE_TYPES",
    "Field",
    "Kind",
]
