"""Compile YAML records into an RDF graph (no I/O).

The compiler checks every field against :mod:`aipath_graph.schema` as it goes
and returns the problems it found with the YAML line of each, so one pass gives
both the graph and the first half of validation. Output is deterministic: the
same records give the same triples, and only IRIs (no blank nodes), so the
Turtle written from them is byte-identical from run to run.

Examples
--------
>>> from aipath_graph.load import parse_yaml
>>> text = '''
... skills:
...   calculus: {label: {zh: 微积分, en: Calculus}, effort: 90}
...   backpropagation:
...     label: {zh: 反向传播算法, en: Backpropagation}
...     effort: 8
...     requires: [{id: calculus, reason: gradients come from the chain rule}]
... '''
>>> result = compile_records(parse_yaml(text, "s.yaml").records)
>>> result.problems
[]
>>> from aipath_graph.namespaces import AIP, ID
>>> (ID.backpropagation, AIP.requires, ID.calculus) in result.graph
True
>>> bad = compile_records(parse_yaml("skills:\\n  x: {label: {zh: 乙, en: X}, effort: 1, requires: [calculas]}", "b.yaml").records)
>>> print(bad.problems[0])
b.yaml:2: error: x: requires: unknown id 'calculas'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef

from .load import Location, Problem, Record
from .namespaces import AIP, ID
from .schema import KINDS, LANGS, META_FIELDS, RESOURCE_TYPES, Field

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$")
IRI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")

#: The dataset node that ``meta:`` describes.
DATASET = ID["dataset"]


@dataclass
class CompileResult:
    """The compiled graph, the problems found, and where each node was defined."""

    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    locations: dict[URIRef, Location] = field(default_factory=dict)
    field_locations: dict[tuple[URIRef, URIRef], Location] = field(default_factory=dict)


def suggest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` close matches of ``word`` among ``choices``.

    >>> suggest("calculas", ["calculus", "git", "linear-algebra"])
    ['calculus']
    """
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``"; did you mean: …?"`` suffix, or ``""`` when nothing is close."""
    close = suggest(word, choices)
    return f"; did you mean: {', '.join(close)}?" if close else ""


class _Compiler:
    def __init__(self, records: Sequence[Record]) -> None:
        self.graph = Graph()
        self.problems: list[Problem] = []
        self.locations: dict[URIRef, Location] = {}
        self.field_locations: dict[tuple[URIRef, URIRef], Location] = {}
        self.kind_of: dict[str, str] = {}
        self.records: list[Record] = []
        for rec in records:
            self._register(rec)

    # -- bookkeeping ---------------------------------------------------------------
    def error(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where, message))

    def _register(self, rec: Record) -> None:
        where = rec.loc()
        if rec.kind not in KINDS:
            self.error(
                Location(rec.file, rec.lines.get((rec.kind,), 0)),
                f"unknown kind {rec.kind!r}{did_you_mean(rec.kind, [*KINDS, 'meta'])}",
            )
            return
        if not SLUG_RE.match(rec.slug):
            self.error(
                where,
                f"{rec.slug!r} is not a valid id: use lowercase ASCII letters, digits and '-'",
            )
            return
        if rec.slug in self.kind_of:
            first = self.locations[ID[rec.slug]]
            self.error(where, f"duplicate id {rec.slug!r} (first defined at {first}); rename one")
            return
        self.kind_of[rec.slug] = rec.kind
        self.locations[ID[rec.slug]] = where
        self.records.append(rec)

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.graph.add((s, p, o))

    # -- values --------------------------------------------------------------------
    def text(self, rec: Record, path: tuple[Any, ...], value: Any, what: str) -> list[Literal]:
        """Read a bilingual text ``{zh: …, en: …}`` (a plain string counts as English)."""
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict) or not value:
            self.error(rec.loc(*path), f"{what}: expected {{zh: …, en: …}}")
            return []
        out = []
        for lang, text in value.items():
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                self.error(rec.loc(*path, lang), f"{what}: {lang!r} is not a language tag")
                continue
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                self.error(rec.loc(*path, lang), f"{what}: the {lang} text must be a string")
                continue
            text = str(text).strip()
            if not text:
                self.error(rec.loc(*path, lang), f"{what}: the {lang} text is empty")
                continue
            out.append(Literal(text, lang=lang))
        return out

    def ref(
        self, rec: Record, path: tuple[Any, ...], value: Any, spec: Field, what: str
    ) -> URIRef | None:
        if not isinstance(value, str):
            self.error(rec.loc(*path), f"{what}: expected an id, got {_kind(value)}")
            return None
        kind = self.kind_of.get(value)
        if kind is None:
            self.error(
                rec.loc(*path), f"{what}: unknown id {value!r}{did_you_mean(value, self.kind_of)}"
            )
            return None
        if spec.targets and kind not in spec.targets:
            allowed = " or ".join(spec.targets)
            self.error(rec.loc(*path), f"{what}: {value!r} is one of {kind}, expected {allowed}")
            return None
        return ID[value]

    # -- records -------------------------------------------------------------------
    def compile_record(self, rec: Record) -> None:
        kind = KINDS[rec.kind]
        node = ID[rec.slug]
        self.add(node, RDF.type, kind.cls)
        fields = kind.fields
        for name in fields:
            if fields[name].required and name not in rec.fields:
                self.error(rec.loc(), f"{rec.slug}: missing required field {name!r}")
        for name, value in rec.fields.items():
            spec = fields.get(name)
            if spec is None:
                self.error(
                    rec.loc(name),
                    f"{rec.slug}: unknown field {name!r} for {rec.kind}{did_you_mean(str(name), fields)}",
                )
                continue
            self.compile_field(rec, node, name, value, spec)
        if rec.kind == "resources":
            rtype = rec.fields.get("type")
            if isinstance(rtype, str) and rtype in RESOURCE_TYPES:
                self.add(node, RDF.type, RESOURCE_TYPES[rtype])
            elif "type" in rec.fields:
                self.error(
                    rec.loc("type"),
                    f"{rec.slug}: type: {rtype!r} is not one of {', '.join(RESOURCE_TYPES)}",
                )

    def compile_field(self, rec: Record, node: URIRef, name: str, value: Any, spec: Field) -> None:
        what = f"{rec.slug}: {name}"
        pred = spec.predicate
        assert pred is not None
        self.field_locations.setdefault((node, pred), rec.loc(name))
        shape = spec.shape
        if value is None:
            self.error(rec.loc(name), f"{what}: empty value; remove the field or give a value")
            return
        if shape == "text":
            for lit in self.text(rec, (name,), value, what):
                self.add(node, pred, lit)
            if name == "label" and isinstance(value, dict):
                for lang in LANGS:
                    if lang not in value:
                        self.error(rec.loc(name), f"{what}: missing the {lang} label")
        elif shape == "texts":
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                for lit in self.text(rec, (name, i), item, what):
                    self.add(node, pred, lit)
        elif shape == "alt":
            if not isinstance(value, dict):
                self.error(rec.loc(name), f"{what}: expected {{zh: [...], en: [...]}}")
                return
            for lang, names in value.items():
                names = names if isinstance(names, list) else [names]
                for i, alt in enumerate(names):
                    for lit in self.text(rec, (name, lang, i), {lang: alt}, what):
                        self.add(node, pred, lit)
        elif shape in ("ref", "refs"):
            items = value if isinstance(value, list) else [value]
            if shape == "ref" and isinstance(value, list):
                self.error(rec.loc(name), f"{what}: expected one id, got a list")
                return
            for i, item in enumerate(items):
                path = (name, i) if isinstance(value, list) else (name,)
                target = self.ref(rec, path, item, spec, what)
                if target is not None:
                    self.add(node, pred, target)
        elif shape == "reqs":
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                path = (name, i) if isinstance(value, list) else (name,)
                self.compile_requirement(rec, node, path, item, spec, what)
        elif shape == "pos":
            number = _number(value)
            if number is None or number <= 0:
                self.error(rec.loc(name), f"{what}: expected a number of hours > 0, got {value!r}")
                return
            self.add(node, pred, Literal(decimal_lexical(number), datatype=XSD.decimal))
        elif shape == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(rec.loc(name), f"{what}: expected a whole number, got {value!r}")
                return
            dtype = XSD.gYear if name == "year" else XSD.integer
            self.add(node, pred, Literal(str(value) if name == "year" else value, datatype=dtype))
        elif shape == "bool":
            if not isinstance(value, bool):
                self.error(rec.loc(name), f"{what}: expected true or false, got {value!r}")
                return
            if value:
                self.add(node, pred, Literal(True))
        elif shape == "str":
            if (
                not isinstance(value, str | int | float)
                or isinstance(value, bool)
                or not str(value).strip()
            ):
                self.error(rec.loc(name), f"{what}: expected a text, got {value!r}")
                return
            self.add(node, pred, Literal(str(value).strip()))
        elif shape == "strs":
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    self.error(rec.loc(name, i), f"{what}: expected a name, got {item!r}")
                    continue
                self.add(node, pred, Literal(item.strip()))
        elif shape in ("iri", "iris"):
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if not isinstance(item, str) or not IRI_RE.match(item):
                    self.error(rec.loc(name, i), f"{what}: {item!r} is not an absolute IRI")
                    continue
                self.add(node, pred, URIRef(item))
        else:  # pragma: no cover - the schema table only uses the shapes above
            raise AssertionError(shape)

    def compile_requirement(
        self, rec: Record, node: URIRef, path: tuple[Any, ...], item: Any, spec: Field, what: str
    ) -> None:
        reason: Any = None
        if isinstance(item, dict):
            extra = sorted(set(item) - {"id", "reason"})
            if extra:
                self.error(
                    rec.loc(*path),
                    f"{what}: unknown key {extra[0]!r} (use id: and reason:, and quote a reason that holds a comma)",
                )
            if "id" not in item:
                self.error(rec.loc(*path), f"{what}: each item needs an id:")
                return
            reason, item = item.get("reason"), item["id"]
        target = self.ref(rec, path, item, spec, what)
        if target is None:
            return
        if target == node:
            self.error(rec.loc(*path), f"{what}: {rec.slug!r} cannot need itself")
            return
        pred = spec.predicate
        assert pred is not None
        self.add(node, pred, target)
        if reason is not None:
            lits = self.text(rec, (*path, "reason"), reason, f"{what}: reason")
            if lits:
                local = str(pred).rsplit("#", 1)[1]
                stmt = ID[f"{rec.slug}/{local}/{item}"]
                self.add(stmt, RDF.type, RDF.Statement)
                self.add(stmt, RDF.subject, node)
                self.add(stmt, RDF.predicate, pred)
                self.add(stmt, RDF.object, target)
                for lit in lits:
                    self.add(stmt, AIP.reason, lit)

    def compile_meta(self, rec: Record) -> None:
        from rdflib import DCTERMS

        from .namespaces import SCHEMA

        self.add(DATASET, RDF.type, SCHEMA.Dataset)
        for name, value in rec.fields.items():
            spec = META_FIELDS.get(name)
            if spec is None:
                self.error(
                    Location(rec.file, rec.lines.get(("meta", name), 0)),
                    f"meta: unknown field {name!r}{did_you_mean(str(name), META_FIELDS)}",
                )
                continue
            pred = spec.predicate
            assert pred is not None
            if spec.shape == "text":
                for lit in self.text(_MetaView(rec), (name,), value, f"meta: {name}"):
                    self.add(DATASET, pred, lit)
            elif spec.shape == "source" and isinstance(value, dict):
                for key, val in sorted(value.items()):
                    if key == "title":
                        for lit in self.text(_MetaView(rec), (name, key), val, "meta: source"):
                            self.add(DATASET, DCTERMS.source, lit)
                    elif isinstance(val, str) and IRI_RE.match(val):
                        self.add(DATASET, DCTERMS.references, URIRef(val))
                    elif isinstance(val, str):
                        self.add(DATASET, DCTERMS.rights, Literal(f"{key}: {val}"))
            elif spec.shape == "iri" and isinstance(value, str) and IRI_RE.match(value):
                self.add(DATASET, pred, URIRef(value))
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                self.add(DATASET, pred, Literal(str(value)))
            else:
                self.error(_MetaView(rec).loc(name), f"meta: {name}: unexpected value {value!r}")


class _MetaView(Record):
    """A record view whose paths start at ``meta``."""

    def __init__(self, rec: Record) -> None:
        super().__init__("meta", "", rec.fields, rec.file, rec.lines)

    def loc(self, *path: Any) -> Location:
        full = ("meta", *path)
        while full:
            if full in self.lines:
                return Location(self.file, self.lines[full])
            full = full[:-1]
        return Location(self.file, 0)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def decimal_lexical(number: Decimal) -> str:
    """The canonical xsd:decimal form, as Turtle writes it back.

    >>> decimal_lexical(Decimal("12")), decimal_lexical(Decimal("2.50")), decimal_lexical(Decimal("1E+1"))
    ('12.0', '2.5', '10.0')
    """
    text = format(number.normalize(), "f")
    return text if "." in text else f"{text}.0"


def _kind(value: Any) -> str:
    kinds: dict[type, str] = {dict: "a mapping", list: "a list"}
    return kinds.get(type(value), repr(value))


def compile_records(records: Sequence[Record], meta: Sequence[Record] = ()) -> CompileResult:
    """Compile records (and ``meta:`` records) into a graph; see the module docstring."""
    comp = _Compiler(records)
    for rec in comp.records:
        comp.compile_record(rec)
    for rec in meta:
        comp.compile_meta(rec)
    return CompileResult(comp.graph, comp.problems, comp.locations, comp.field_locations)
