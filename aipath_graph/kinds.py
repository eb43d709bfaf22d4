"""Edge kinds: the one table of which relation becomes which edge of the projection.

Plain strings, no rdflib, so the planner and the maps can read them without
loading the RDF stack. :mod:`aipath_graph.project` turns the predicate names
into IRIs of the ontology and builds the graphs from this table; every other
module derives its kind sets from here.

Examples
--------
>>> sorted(PREREQUISITE_KINDS)[:3]
['any', 'applies', 'covers']
>>> "serves" in DISPLAY_KINDS and "serves" not in PREREQUISITE_KINDS
True
"""

from __future__ import annotations

#: Relations a learning plan follows: (ontology term, kind, reversed?). Not reversed
#: means ``subject predicate object`` gives the edge ``object → subject`` (subject
#: needs object). ``skos:broader`` is written ``skos:broader``; the rest are ``aip:``.
PREREQUISITE_RELATIONS: tuple[tuple[str, str, bool], ...] = (
    ("requires", "requires", False),
    ("skos:broader", "part", True),  # part skos:broader parent → edge part → parent
    ("option", "option", False),  # group aip:option x → edge x → group
    ("requiresAnyOf", "any", False),
    ("essentialSkill", "essential", False),
    ("optionalSkill", "optional", False),
    ("practises", "practises", False),
    ("applies", "applies", False),
    ("covers", "covers", False),
)
#: A career level to the next one (``aip:nextLevel``): followed by plans.
LEVEL_KIND = "level"
#: Relations shown on maps but not followed by plans: (ontology term, kind); edge
#: subject → object.
DISPLAY_RELATIONS: tuple[tuple[str, str], ...] = (
    ("serves", "serves"),
    ("teaches", "teaches"),
    ("inDomain", "in_domain"),
    ("relatesTo", "relates"),
    ("inCategory", "in_category"),
)
#: A project in the stage that introduces it (``aip:introducedIn``), on maps only.
IN_STAGE_KIND = "in_stage"

PREREQUISITE_KINDS: frozenset[str] = frozenset(k for _, k, _ in PREREQUISITE_RELATIONS) | {
    LEVEL_KIND
}
DISPLAY_KINDS: frozenset[str] = frozenset(k for _, k in DISPLAY_RELATIONS) | {IN_STAGE_KIND}

__all__ = [
    "DISPLAY_KINDS",
    "DISPLAY_RELATIONS",
    "IN_STAGE_KIND",
    "LEVEL_KIND",
    "PREREQUISITE_KINDS",
    "PREREQUISITE_RELATIONS",
]
