"""What every importer shares: the draft graph, slugs, labels, warnings and output.

An importer reads a third-party source into a :class:`Draft` — nodes of our
YAML format keyed by slug — and calls :meth:`Draft.finish`, which drops dangling
references, breaks prerequisite cycles, notes duplicate labels and returns an
:class:`ImportResult`. The result writes our YAML (``aipath validate`` then
points at file:line) or Turtle; both load with ``--data`` beside the bundled
graph or alone.

Examples
--------
>>> d = Draft("demo", "demo.json", prefix="demo")
>>> a = d.add("skills", "a", {"en": "Alpha"}, effort=2)
>>> b = d.add("skills", "b", {"en": "Beta"}, effort=1, requires=[{"id": a, "reason": "first"}])
>>> r = d.finish()
>>> r.counts()
{'skills': 2}
>>> print(r.warnings.lines()[0])
2 labels had no @zh text; the @en text is used for it (e.g. a, b)
>>> from aipath_graph.namespaces import ID, AIP
>>> a, b
('demo-alpha', 'demo-beta')
>>> (ID[b], AIP.requires, ID[a]) in r.graph()
True
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from rdflib import Graph

from ..errors import DataError, InvalidGraphError
from ..schema import LANGS

#: Fields holding references, by kind: (field, is a requirement with reason).
REF_FIELDS: dict[str, tuple[str, ...]] = {
    "skills": ("requires", "requires_any", "broader"),
    "any_of": ("options",),
    "roles": ("essential", "optional"),
    "resources": ("teaches",),
}
KIND_ORDER = ("categories", "skills", "any_of", "resources", "roles")
#: Kinds whose labels name what a user types (a label shared there is worth a warning).
NAMED_KINDS = ("skills", "any_of", "roles")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """An ASCII slug of ``text`` (may be empty for non-Latin text).

    >>> slugify("Étude de l'IA — C++ / R")
    'etude-de-l-ia-c-r'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


@dataclass
class Warnings:
    """Counted warnings: one line per kind of problem, with a count and a few examples."""

    items: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def add(self, code: str, message: str, example: str = "") -> None:
        """Count one occurrence of ``code``; ``message`` may hold ``{n}`` for the count."""
        _, examples = self.items.setdefault(code, (message, []))
        examples.append(example)

    def count(self, code: str) -> int:
        """How many times ``code`` was added (0 when never)."""
        return len(self.items.get(code, ("", []))[1])

    def lines(self, examples: int = 3) -> list[str]:
        """One line per warning kind: the message with its count, and a few examples."""
        out = []
        for message, found in self.items.values():
            shown = [_short(e) for e in dict.fromkeys(found) if e][:examples]
            text = message.format(n=len(found))
            if shown:
                more = ", …" if len(set(found)) > len(shown) else ""
                text += f" (e.g. {', '.join(shown)}{more})"
            out.append(text)
        return out

    def summary(self) -> dict[str, int]:
        """``code → count``."""
        return {code: len(found) for code, (_, found) in self.items.items()}


def _short(example: str) -> str:
    """The last segment of each IRI in an example (``…/skill/abc`` → ``abc``)."""
    return re.sub(r"https?://\S+?([^/#\s]+)(?=\s|$)", r"\1", example)


@dataclass
class ImportResult:
    """An imported graph in our YAML format, and what could not be mapped."""

    importer: str
    source: str
    kinds: dict[str, dict[str, dict[str, Any]]]
    warnings: Warnings
    notices: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    #: the source's key of each imported node → its slug.
    ids: dict[str, str] = field(default_factory=dict)
    #: the ``meta:`` mapping written with the nodes (e.g. a licence ``notice``).
    meta: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Nodes per kind."""
        return {k: len(v) for k, v in self.kinds.items() if v}

    def to_yaml(self) -> str:
        """The graph as YAML in the format of ``graph/README.md``."""
        lines = [f"# {line}" if line else "#" for line in self.header]
        body = {k: self.kinds[k] for k in KIND_ORDER if self.kinds.get(k)}
        if self.meta:
            body = {"meta": self.meta, **body}
        text = yaml.dump(
            body,
            Dumper=_NoAliasDumper,
            allow_unicode=True,
            sort_keys=False,
            width=100_000,
            default_flow_style=False,
        )
        return "\n".join(lines) + ("\n" if lines else "") + text

    def graph(self) -> Graph:
        """Compile the YAML into RDF (the ontology is not included).

        Raises
        ------
        InvalidGraphError
            The draft does not compile (a bug in an importer: it should never happen).
        """
        from ..compile import compile_records
        from ..load import parse_yaml

        loaded = parse_yaml(self.to_yaml(), f"<import {self.importer}>")
        compiled = compile_records(loaded.records, loaded.meta)
        problems = [*loaded.problems, *compiled.problems]
        if any(p.severity == "error" for p in problems):
            raise InvalidGraphError(problems)
        from ..graph import bind_prefixes

        bind_prefixes(compiled.graph)
        return compiled.graph

    def to_turtle(self) -> str:
        """The graph as Turtle, with the header as comments."""
        from ..serialize import serialize

        lines = [f"# {line}" if line else "#" for line in self.header]
        return "\n".join(lines) + ("\n" if lines else "") + serialize(self.graph(), "turtle")

    def write(self, path: Path | str, fmt: str | None = None) -> str:
        """Write YAML or Turtle (by ``fmt`` or the suffix) atomically; return the format used."""
        from ..io import atomic_write_text

        fmt = fmt or output_format(str(path))
        atomic_write_text(Path(path), self.to_turtle() if fmt == "ttl" else self.to_yaml())
        return fmt

    def render(self, fmt: str) -> str:
        """The text of :meth:`write` without writing it."""
        return self.to_turtle() if fmt == "ttl" else self.to_yaml()


class _NoAliasDumper(yaml.SafeDumper):
    """A safe dumper that writes shared values out instead of ``&id`` anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def output_format(path: str) -> str:
    """``ttl`` for a Turtle file name, else ``yaml``.

    >>> output_format("x.ttl"), output_format("x.yaml"), output_format("-")
    ('ttl', 'yaml', 'yaml')
    """
    return "ttl" if path.lower().endswith((".ttl", ".turtle")) else "yaml"


class Draft:
    """Nodes being imported, keyed by slug, with the source key each came from."""

    def __init__(self, importer: str, source: str, *, prefix: str = "") -> None:
        self.importer = importer
        self.source = source
        self.prefix = slugify(prefix)
        self.kinds: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in KIND_ORDER}
        self.slug_of: dict[str, str] = {}
        self.warnings = Warnings()
        self.notices: list[str] = []
        self.header: list[str] = []
        self.meta: dict[str, Any] = {}

    # -- ids and labels ----------------------------------------------------------------------
    def slug(self, key: str, hint: str = "") -> str:
        """The slug of a source key (made once: prefix + slug of ``hint`` or ``key``, unique)."""
        if key in self.slug_of:
            return self.slug_of[key]
        base = slugify(hint) or slugify(key) or "node"
        base = base[:60].strip("-")
        if self.prefix:
            base = f"{self.prefix}-{base}"
        taken = set(self.slug_of.values())
        slug, i = base, 2
        while slug in taken:
            slug, i = f"{base}-{i}", i + 1
        self.slug_of[key] = slug
        return slug

    def texts(self, texts: Mapping[str, str], what: str, key: str) -> dict[str, str]:
        """Clean a language → text mapping (trim, drop empties); warn on stray whitespace."""
        out: dict[str, str] = {}
        for lang, text in sorted(texts.items()):
            clean = " ".join(str(text).split())
            if clean != str(text):
                self.warnings.add(
                    f"space-{what}", f"{{n}} {what}s had stray whitespace, trimmed", key
                )
            if clean:
                out[(lang or "en").lower()] = clean
        return out

    def label(self, texts: Mapping[str, str], key: str, fallback: str) -> dict[str, str]:
        """A label with both @zh and @en (copied from another language when missing)."""
        out = self.texts(texts, "label", key)
        if not out:
            self.warnings.add("no-label", "{n} nodes had no label; named after their id", key)
            out = {"en": fallback}
        for lang in LANGS:
            if lang not in out:
                other = out.get("en") or next(iter(out.values()))
                source = "en" if "en" in out else next(iter(out))
                self.warnings.add(
                    f"copy-{lang}",
                    f"{{n}} labels had no @{lang} text; the @{source} text is used for it",
                    key,
                )
                out[lang] = other
        return {k: out[k] for k in [*LANGS, *sorted(set(out) - set(LANGS))]}

    def add(
        self,
        kind: str,
        key: str,
        label: Mapping[str, str],
        *,
        hint: str = "",
        fallback: str = "",
        **fields: Any,
    ) -> str:
        """Add a node (or return the existing one's slug); ``fields`` go into the YAML as is."""
        slug = self.slug(key, hint or label.get("en") or next(iter(label.values()), "") or key)
        if slug in self.kinds[kind]:
            return slug
        node: dict[str, Any] = {"label": self.label(label, key, fallback or key)}
        node.update({k: v for k, v in fields.items() if v not in (None, [], {}, "")})
        self.kinds[kind][slug] = node
        return slug

    def node(self, slug: str) -> dict[str, Any]:
        """The fields of a node by slug (any kind)."""
        for nodes in self.kinds.values():
            if slug in nodes:
                return nodes[slug]
        raise KeyError(slug)

    # -- finishing -----------------------------------------------------------------------------
    def finish(self) -> ImportResult:
        """Drop dangling references, break cycles, note duplicate labels; return the result."""
        if not any(self.kinds.values()):
            raise DataError(f"{self.source}: found nothing to import as {self.importer}")
        self._drop_dangling()
        self._break_cycles()
        self._drop_empty_groups()
        seen: dict[str, list[str]] = {}
        for kind in NAMED_KINDS:
            for slug, node in self.kinds[kind].items():
                seen.setdefault(node["label"]["en"].casefold(), []).append(slug)
        for label, slugs in sorted(seen.items()):
            if len(slugs) > 1:
                self.warnings.add(
                    "dup-label",
                    "{n} labels are shared by several nodes (kept; type the id to pick one)",
                    label,
                )
        return ImportResult(
            self.importer,
            self.source,
            self.kinds,
            self.warnings,
            self.notices,
            self.header,
            ids=dict(self.slug_of),
            meta=self.meta,
        )

    def _refs(self) -> Iterable[tuple[str, str, str, int, str]]:
        for kind, names in REF_FIELDS.items():
            for slug, node in self.kinds[kind].items():
                for name in names:
                    for i, item in enumerate(node.get(name, [])):
                        target = item["id"] if isinstance(item, dict) else item
                        yield kind, slug, name, i, target

    def _drop_dangling(self) -> None:
        known = {s for nodes in self.kinds.values() for s in nodes}
        bad = [(k, s, n, i, t) for k, s, n, i, t in self._refs() if t not in known]
        for kind, slug, name, i, target in reversed(bad):
            del self.kinds[kind][slug][name][i]
            self.warnings.add(
                "dangling",
                "{n} references pointed at nothing imported; dropped",
                f"{slug} -> {target}",
            )
        for nodes in self.kinds.values():
            for node in nodes.values():
                for name in [n for n, v in node.items() if v == []]:
                    del node[name]

    def _prereq_edges(self) -> nx.DiGraph:
        G = nx.DiGraph()
        for kind, slug, name, i, target in self._refs():
            u, v = (slug, target) if name == "broader" else (target, slug)
            G.add_edge(u, v, where=(kind, slug, name, i))
        return G

    def _break_cycles(self) -> None:
        G = self._prereq_edges()
        removed = []
        while not nx.is_directed_acyclic_graph(G):  # linear; find_cycle is not on a DAG
            try:
                cycle = nx.find_cycle(G)
            except nx.NetworkXNoCycle:
                break
            u, v = cycle[-1][:2]
            removed.append(G.edges[u, v]["where"])
            loop = " -> ".join([*(a for a, _ in cycle), cycle[0][0]])
            self.warnings.add("cycle", "{n} prerequisite cycles broken by dropping one link", loop)
            G.remove_edge(u, v)
        for kind, slug, name, i in sorted(removed, reverse=True):
            del self.kinds[kind][slug][name][i]
            if not self.kinds[kind][slug][name]:
                del self.kinds[kind][slug][name]

    def _drop_empty_groups(self) -> None:
        for slug, node in list(self.kinds["any_of"].items()):
            if len(node.get("options", [])) < 2:
                del self.kinds["any_of"][slug]
                self.warnings.add(
                    "small-group", "{n} OR groups had fewer than two options; removed", slug
                )
        groups = set(self.kinds["any_of"])
        for node in self.kinds["skills"].values():
            if "requires_any" in node:
                node["requires_any"] = [
                    r
                    for r in node["requires_any"]
                    if (r["id"] if isinstance(r, dict) else r) in groups
                ]
                if not node["requires_any"]:
                    del node["requires_any"]


def median_or(values: Iterable[float], default: float) -> float:
    """The median of ``values`` rounded to 0.01, or ``default`` when there are none.

    >>> median_or([1, 2, 10], 4.0), median_or([], 4.0)
    (2.0, 4.0)
    """
    values = list(values)
    return round(float(statistics.median(values)), 2) if values else default


def hours(value: float) -> float:
    """Hours rounded to 0.01 and never 0 (effort must be > 0).

    >>> hours(0.001), hours(1.23456)
    (0.01, 1.23)
    """
    return max(round(float(value), 2), 0.01)
