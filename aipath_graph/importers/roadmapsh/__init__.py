"""Import a roadmap.sh roadmap that the user supplies: a JSON file or a roadmap folder.

roadmap.sh's content is licensed for personal use only: it is never bundled, and
every output made from an import carries a reminder (:data:`NOTICE`).

Mapping (see :mod:`.layout` for how the drawing is read):

- ``topic`` → a skill on the *spine*: each topic ``requires`` the one before it in
  the roadmap's order (top to bottom, arrows drawn between topics honoured).
- ``subtopic`` and ``todo`` (checklist) items → skills that are parts
  (``broader``) of the topic they hang under.
- a section's heading → a category of the boxes in it; a "pick one" heading → an
  OR group (``any_of``) of its items, which its topic ``requires_any``.
- ``content/<slug>@<id>.md`` → the node's definition (first paragraph); its tagged
  links, and ``resourceButton`` nodes, → resources that teach the node.
- The older "mockup" format: parts are named after their topic, order by number.
- Ids start with the roadmap's name (``ai-engineer-…``) unless ``prefix`` is given,
  so two imports load side by side; labels used twice get distinct ids.

Examples
--------
>>> from pathlib import Path
>>> r = import_source([Path("tests/data/roadmapsh/mini-roadmap")])
>>> r.kinds["skills"]["mini-roadmap-python-basics"]["broader"]
['mini-roadmap-programming-fundamentals']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from ...errors import DataError
from ..common import Draft, ImportResult, slugify
from .content import parse_content
from .layout import attach, headings, owner_above, spine
from .model import CONTENT, Box, Roadmap
from .read import read_roadmap

NOTICE = (
    "roadmap.sh content is licensed for personal use only: keep the imported graph "
    "to yourself; do not publish or bundle it"
)
#: Default placeholder effort (hours) of an imported node.
DEFAULT_EFFORT = 10.0
#: A section heading that offers a choice ("Popular Vector DBs (pick one)").
PICK_ONE = re.compile(r"\bpick\b|\bchoose\b|\bone of\b|\bany of\b", re.IGNORECASE)
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
#: ``resourceButton`` badge words → our resource type (first match wins; else article).
BADGE_TYPES = (
    ("course", "course"),
    ("book", "book"),
    ("paper", "paper"),
    ("video", "video"),
    ("opensource", "repo"),
    ("github", "repo"),
    ("official", "docs"),
)
_NAMES = {"topic": "topics", "subtopic": "subtopics", "todo": "checklist items"}


def import_source(
    paths: Sequence[Path], *, prefix: str | None = None, effort: float = DEFAULT_EFFORT
) -> ImportResult:
    """Import one roadmap.sh roadmap (file or folder); see the module docstring."""
    if len(paths) != 1:
        raise DataError("roadmapsh: give one roadmap JSON file or roadmap folder")
    rm = read_roadmap(paths[0])
    draft = Draft("roadmapsh", str(paths[0]), prefix=slugify(rm.name) if prefix is None else prefix)
    draft.notices.append(NOTICE)
    draft.meta = {"source": {"title": f"roadmap.sh: {rm.name}", "notice": NOTICE}}
    draft.header = [
        f"Imported by 'aipath import roadmapsh' from {paths[0]} (roadmap {rm.name!r}).",
        f"{NOTICE}.",
    ]
    _Builder(rm, draft, effort).run()
    return draft.finish()


class _Builder:
    """Fills a draft from a roadmap; one method per kind of thing imported."""

    def __init__(self, rm: Roadmap, draft: Draft, effort: float) -> None:
        self.rm, self.draft, self.effort = rm, draft, effort
        self.slug: dict[str, str] = {}
        self.category: dict[str, str] = {}
        self.parents: dict[str, tuple[str, str]] = {}

    def run(self) -> None:
        rm, w = self.rm, self.draft.warnings
        for kind, found in rm.dropped.items():
            for example in found:
                if kind == "dangling":
                    w.add("dangling", "{n} arrows pointed at no node; dropped", example)
                else:
                    w.add("layout", "{n} layout nodes (notes, lines, links…) skipped", example)
        labelled = {}
        for b in rm.boxes.values():
            if b.type in CONTENT and not b.label:
                w.add("no-label", "{n} topics or subtopics had no label; skipped", b.id)
            elif b.type in CONTENT:
                labelled[b.id] = b
            elif b.type not in ("section", "label", "resourceButton"):
                w.add("layout", "{n} layout nodes (titles, paragraphs, lines…) skipped", b.type)
        rm.boxes = {i: b for i, b in rm.boxes.items() if i in labelled or b.type not in CONTENT}
        rm.arrows = [a for a in rm.arrows if a.source in rm.boxes and a.target in rm.boxes]
        sp = spine(rm)
        for s, t in sp.dropped:
            w.add(
                "cycle-arrow",
                "{n} arrows between topics formed a loop; the one pointing up was ignored",
                f"{rm.boxes[s].label} -> {rm.boxes[t].label}",
            )
        if not sp.order:
            raise DataError(f"{rm.path}: the roadmap has no topics to import")
        parents = self.parents = attach(rm, sp.order)
        self.make_slugs(sp.order, parents)
        groups = self.groups_and_categories(parents)
        self.topics(sp.order, sp.drawn, groups)
        self.parts(parents, groups)
        self.content()
        self.resource_buttons()
        placed = Counter(how for _, how in parents.values())
        if placed["nearest"]:
            w.items["nearest"] = (
                "{n} subtopics were linked to no topic by arrow, section or line; "
                "each was put under the nearest topic",
                [rm.boxes[p].label for p, (_, how) in parents.items() if how == "nearest"],
            )
        for kind in ("topic", "subtopic", "todo"):
            n = sum(1 for i in self.slug if self.rm.boxes[i].type == kind)
            if n:
                w.items[f"effort-{kind}"] = (
                    f"{{n}} {_NAMES[kind]} have no effort in the source; set to "
                    f"{self.effort:g} h (a placeholder to curate)",
                    [""] * n,
                )

    # -- ids ---------------------------------------------------------------------------------
    def make_slugs(self, order: list[str], parents: dict[str, tuple[str, str]]) -> None:
        """Topics first, in order; a part whose label is used twice is named with its topic."""
        boxes = self.rm.boxes
        count = Counter(b.label.casefold() for b in boxes.values() if b.type in CONTENT)
        for i in order:
            self.slug[i] = self.draft.slug(i, boxes[i].label)
        for i in sorted(parents, key=lambda i: (boxes[i].y, boxes[i].x, i)):
            label = boxes[i].label
            top = parents[i][0]
            while boxes[top].parent and boxes[top].parent in boxes:
                top = boxes[top].parent
            hint = f"{label} {boxes[top].label}" if count[label.casefold()] > 1 else label
            self.slug[i] = self.draft.slug(i, hint)

    # -- sections ----------------------------------------------------------------------------
    def groups_and_categories(self, parents: dict[str, tuple[str, str]]) -> dict[str, str]:
        """Section headings → categories; "pick one" ones → OR groups. Returns part → group."""
        in_group: dict[str, str] = {}
        for label, heads in headings(self.rm):
            members = [m for m in heads if m in self.slug]
            if not members:
                continue
            heading = label.label
            cat = self.draft.add("categories", f"category:{label.id}", {"en": heading})
            for m in members:
                self.category.setdefault(m, cat)
            options = [m for m in members if m in parents]
            if PICK_ONE.search(heading) and len(options) >= 2:
                group = self.draft.add(
                    "any_of",
                    f"group:{label.id}",
                    {"en": heading},
                    hint=f"one of {heading}",
                    options=[self.slug[m] for m in options],
                )
                for m in options:
                    in_group[m] = group
        return in_group

    # -- nodes ---------------------------------------------------------------------------------
    def _fields(self, i: str) -> dict[str, Any]:
        return {"category": self.category.get(i)}

    def topics(
        self, order: list[str], drawn: list[tuple[str, str]], groups: dict[str, str]
    ) -> None:
        boxes = self.rm.boxes
        before: dict[str, list[dict[str, str]]] = {i: [] for i in order}
        for s, t in drawn:
            reason = f"roadmap.sh draws an arrow from {boxes[s].label!r} to {boxes[t].label!r}"
            before[t].append({"id": self.slug[s], "reason": reason})
        for prev, i in pairwise(order):
            if all(r["id"] != self.slug[prev] for r in before[i]):
                reason = (
                    f"roadmap.sh's path comes to {boxes[i].label!r} after {boxes[prev].label!r}"
                )
                before[i].append({"id": self.slug[prev], "reason": reason})
        needs_group: dict[str, list[str]] = {}
        for part, group in groups.items():
            needs_group.setdefault(group, []).append(part)
        for i in order:
            choose = []
            for group, parts in needs_group.items():
                owner = Counter(self._top(p) for p in parts).most_common(1)[0][0]
                if owner == i:
                    heading = self.draft.node(group)["label"]["en"]
                    choose.append({"id": group, "reason": f"roadmap.sh: {heading!r}"})
            self.draft.add(
                "skills",
                i,
                {"en": boxes[i].label},
                effort=self.effort,
                requires=before[i],
                requires_any=choose,
                **self._fields(i),
            )

    def _top(self, part: str) -> str:
        return self.parents[part][0]

    def parts(self, parents: dict[str, tuple[str, str]], groups: dict[str, str]) -> None:
        boxes = self.rm.boxes
        for i in sorted(parents, key=lambda i: (boxes[i].y, boxes[i].x, i)):
            broader = [] if i in groups else [self.slug[parents[i][0]]]
            self.draft.add(
                "skills",
                i,
                {"en": boxes[i].label},
                effort=self.effort,
                broader=broader,
                **self._fields(i),
            )

    # -- content -----------------------------------------------------------------------------
    def content(self) -> None:
        w = self.draft.warnings
        for i, path in sorted(self.rm.content.items()):
            if i not in self.slug:
                continue
            try:
                page = parse_content(path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError) as exc:
                w.add("content-unread", "{n} content files could not be read; skipped", str(exc))
                continue
            node = self.draft.node(self.slug[i])
            if page.definition:
                node["definition"] = {"en": page.definition}
            for link in page.links:
                if link.type is None:
                    w.add(
                        f"link-{link.tag}",
                        f"{{n}} @{link.tag}@ links (not a learning resource) not kept",
                        link.url,
                    )
                    continue
                self.resource(link.url, link.title, link.type, self.slug[i])

    def resource(self, url: str, title: str, rtype: str, teaches: str) -> None:
        if not _IRI.match(url):
            self.draft.warnings.add("bad-url", "{n} links with an unusable address skipped", url)
            return
        slug = self.draft.add("resources", url, {"en": title}, type=rtype, url=url, teaches=[])
        taught = self.draft.node(slug).setdefault("teaches", [])
        if teaches not in taught:
            taught.append(teaches)

    def resource_buttons(self) -> None:
        owners = list(self.slug)
        for b in self.rm.of_type("resourceButton"):
            owner = owner_above(self.rm, b, owners)
            if not b.href or owner is None:
                self.draft.warnings.add(
                    "lone-resource", "{n} resource buttons under no topic; skipped", b.label
                )
                continue
            self.resource(b.href, b.label or b.href, _badge_type(b), self.slug[owner])


def _badge_type(box: Box) -> str:
    """Our resource type for a resource button's badge.

    >>> _badge_type(Box("r", "resourceButton", "x", 0, 0, 1, 1, badge="Courses"))
    'course'
    >>> _badge_type(Box("r", "resourceButton", "x", 0, 0, 1, 1, badge="Tutorial"))
    'article'
    """
    badge = box.badge.casefold().replace(" ", "")
    return next((t for word, t in BADGE_TYPES if word in badge), "article")
