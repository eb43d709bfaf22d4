"""Import Metacademy's concept graph (metacademy.org, CC BY-SA 3.0).

SOURCE is either Metacademy's flat-file content folder (``concepts/<tag>/``,
``shortcuts/<tag>/``, ``time_estimates/concepts.txt``) or the application's JSON
dump (a Django fixture with ``graph.concept`` and ``graph.dependency`` records).

Mapping: a concept → a skill (its title the label, its summary the definition);
a dependency → ``requires`` with its reason; a dependency marked ``shortcut: 1``
on a concept that has a shortcut version → ``requires_any`` of an OR group
{the concept, its shortcut}, the shortcut a skill with its own dependencies;
the fitted learning time (``time_estimates`` or ``learn_time``) → effort hours.
Tags written with ``-`` for ``_`` or with spaces are normalised; what still
names no concept is reported as dangling.

Examples
--------
>>> from pathlib import Path
>>> r = import_source([Path("tests/data/metacademy-import/content")], prefix="mc")
>>> r.kinds["skills"]["mc-backpropagation"]["requires"][0]["id"]
'mc-chain-rule'
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from .common import Draft, ImportResult, hours, median_or

HEADER = [
    "Content of Metacademy (metacademy.org), CC BY-SA 3.0:",
    "https://creativecommons.org/licenses/by-sa/3.0/ - this derived graph is shared alike.",
]


@dataclass
class Concept:
    """One Metacademy concept as read from either source form."""

    tag: str
    title: str = ""
    summary: str = ""
    hours: float | None = None
    deps: list[dict[str, str]] = field(default_factory=list)  # {tag, reason, shortcut}


def blocks(text: str) -> Iterator[dict[str, str]]:
    """The ``key: value`` blocks of a Metacademy text file (``#`` lines are comments).

    >>> list(blocks("tag: a\\nreason: x: y\\n\\n# note\\ntag: b\\nshortcut: 1\\n"))
    [{'tag': 'a', 'reason': 'x: y'}, {'tag': 'b', 'shortcut': '1'}]
    """
    block: dict[str, str] = {}
    for line in [*text.splitlines(), ""]:
        if line.lstrip().startswith("#"):
            continue
        if not line.strip():
            if block:
                yield block
            block = {}
            continue
        key, sep, value = line.partition(":")
        if sep:
            block[key.strip()] = value.strip()
    return


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason})") from None


def read_content_repo(root: Path) -> tuple[dict[str, Concept], dict[str, Concept]]:
    """Concepts and shortcut versions (by tag) from the flat-file content folder."""
    if not (root / "concepts").is_dir():
        raise DataError(f"{root}: not a Metacademy content folder (no concepts/ inside)")
    estimates: dict[str, float] = {}
    for line in _read(root / "time_estimates" / "concepts.txt").splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                estimates[parts[0]] = float(parts[1])
            except ValueError:
                continue

    def concept(folder: Path) -> Concept:
        return Concept(
            tag=folder.name,
            title=_read(folder / "title.txt"),
            summary=_read(folder / "summary.txt"),
            hours=estimates.get(folder.name),
            deps=[b for b in blocks(_read(folder / "dependencies.txt")) if b.get("tag")],
        )

    concepts = {
        f.name: concept(f)
        for f in sorted((root / "concepts").iterdir())
        if f.is_dir() and f.name != "ANNOTATED_EXAMPLE"
    }
    shortcuts = {}
    if (root / "shortcuts").is_dir():
        shortcuts = {
            f.name: concept(f) for f in sorted((root / "shortcuts").iterdir()) if f.is_dir()
        }
    return concepts, shortcuts


def read_app_dump(path: Path) -> dict[str, Concept]:
    """Concepts (by tag) from the application's JSON dump."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read as JSON: {exc}") from None
    if not isinstance(records, list):
        raise DataError(f"{path}: expected a list of fixture records")
    by_pk: dict[str, Concept] = {}
    for r in records:
        if isinstance(r, dict) and r.get("model") == "graph.concept":
            f: dict[str, Any] = r.get("fields", {})
            by_pk[str(r["pk"])] = Concept(
                tag=str(f.get("tag") or r["pk"]),
                title=f.get("title") or "",
                summary=f.get("summary") or "",
                hours=f.get("learn_time"),
            )
    if not by_pk:
        raise DataError(f"{path}: no graph.concept records; is this Metacademy's graph dump?")
    for r in records:
        if isinstance(r, dict) and r.get("model") == "graph.dependency":
            f = r.get("fields", {})
            target = by_pk.get(str(f.get("target")))
            source = by_pk.get(str(f.get("source")))
            if target is not None:
                target.deps.append(
                    {
                        "tag": source.tag if source else str(f.get("source")),
                        "reason": f.get("reason") or "",
                    }
                )
    return {c.tag: c for c in by_pk.values()}


def normalise(tag: str, known: dict[str, Concept]) -> str | None:
    """The concept a dependency tag names, forgiving ``-`` for ``_`` and spaces.

    >>> normalise("feed-forward-neural-nets", {"feed_forward_neural_nets": Concept("x")})
    'feed_forward_neural_nets'
    """
    for candidate in (tag, tag.replace("-", "_"), "_".join(tag.replace("-", "_").split())):
        if candidate in known:
            return candidate
    return None


def import_source(paths: Sequence[Path], *, prefix: str = "mc") -> ImportResult:
    """Import Metacademy; see the module docstring."""
    if len(paths) != 1:
        raise DataError("metacademy: give one source: the content folder or the JSON dump")
    path = paths[0]
    if path.is_dir():
        concepts, shortcuts = read_content_repo(path)
    elif path.is_file():
        concepts, shortcuts = read_app_dump(path), {}
    else:
        raise DataError(f"{path}: no such file or folder")
    draft = Draft("metacademy", str(path), prefix=prefix)
    draft.header = [f"Imported by 'aipath import metacademy' from {path}.", *HEADER]
    default = median_or((c.hours for c in concepts.values() if c.hours), 1.0)
    slug = {t: draft.slug(t, t) for t in concepts}
    short_slug = {
        t: draft.slug(f"shortcut:{t}", f"{t}-shortcut") for t in shortcuts if t in concepts
    }

    def effort(c: Concept) -> float:
        if c.hours:
            return hours(c.hours)
        draft.warnings.add(
            "effort",
            f"{{n}} concepts have no time estimate; set to the median, {default:g} h",
            c.tag,
        )
        return default

    def requirements(c: Concept, owner: str) -> tuple[list[Any], list[Any]]:
        requires, any_of = [], []
        for dep in c.deps:
            tag = normalise(dep["tag"], concepts)
            if tag is None:
                draft.warnings.add(
                    "dangling",
                    "{n} dependencies name no concept; dropped",
                    f"{c.tag} -> {dep['tag']}",
                )
                continue
            if tag != dep["tag"]:
                draft.warnings.add(
                    "tag-form",
                    "{n} dependency tags written with '-' or spaces normalised to a concept tag",
                    dep["tag"],
                )
            reason = {"en": " ".join(dep["reason"].split())} if dep.get("reason") else None
            if not reason:
                draft.warnings.add("no-reason", "{n} dependencies have no reason", c.tag)
            shortcut = dep.get("shortcut", "").strip() in ("1", "true", "yes")
            if shortcut and tag in short_slug:
                group = _group(draft, concepts[tag], slug[tag], short_slug[tag])
                any_of.append({"id": group, "reason": reason} if reason else group)
                continue
            if shortcut:
                draft.warnings.add(
                    "shortcut-missing",
                    "{n} shortcut dependencies on concepts "
                    "with no shortcut version kept as plain requirements",
                    tag,
                )
            requires.append({"id": slug[tag], "reason": reason} if reason else slug[tag])
        return requires, any_of

    for tag, c in concepts.items():
        requires, any_of = requirements(c, slug[tag])
        if not c.summary:
            draft.warnings.add("no-summary", "{n} concepts have no summary", tag)
        draft.add(
            "skills",
            tag,
            {"en": c.title} if c.title else {},
            hint=tag,
            fallback=tag.replace("_", " "),
            effort=effort(c),
            definition={"en": " ".join(c.summary.split())} if c.summary else {},
            requires=requires,
            requires_any=any_of,
        )
    for tag in short_slug:
        full = concepts[tag]
        s = shortcuts[tag]
        requires, any_of = requirements(s, short_slug[tag])
        title = full.title or tag.replace("_", " ")
        draft.add(
            "skills",
            f"shortcut:{tag}",
            {"en": f"{title} (shortcut)"},
            hint=f"{tag}-shortcut",
            effort=hours(effort(full) / 2),
            note={
                "en": "Metacademy's lighter version of the concept; effort set to half "
                "of the full concept's (Metacademy gives none)."
            },
            requires=requires,
            requires_any=any_of,
        )
    for tag in shortcuts:
        if tag not in concepts:
            draft.warnings.add(
                "dangling", "{n} dependencies name no concept; dropped", f"shortcut {tag}"
            )
    return draft.finish()


def _group(draft: Draft, c: Concept, full: str, short: str) -> str:
    title = c.title or c.tag.replace("_", " ")
    return draft.add(
        "any_of",
        f"any:{c.tag}",
        {"en": f"{title}, or its shortcut"},
        hint=f"{c.tag}-or-shortcut",
        options=[full, short],
    )
