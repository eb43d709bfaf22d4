"""Read the YAML source of a graph into records that remember where they came from.

A *record* is one node of the YAML (``skills: backpropagation: {...}``) with its
kind, slug, plain-Python fields and the file and line of every key and list
item, so that later stages can point a user at the exact line to fix. Reading
never raises on bad input: problems are collected and returned.

Input is bounded: YAML anchors and aliases (``&a`` / ``*a``, the stuff of
"billion laughs" bombs) are refused with ``FILE:LINE``, a source file may hold
at most :data:`MAX_YAML_BYTES` (YAML) or :data:`MAX_SOURCE_BYTES` (RDF), and a
source that is not a regular file (``/dev/zero``, a FIFO) is refused before
anything reads it.

Examples
--------
>>> text = "skills:\\n  git:\\n    label: {zh: 版本控制(Git), en: Git}\\n    effort: 10\\n"
>>> result = parse_yaml(text, "skills.yaml")
>>> [r.slug for r in result.records], result.problems
(['git'], [])
>>> result.records[0].loc("effort")
Location(file='skills.yaml', line=4)
"""

from __future__ import annotations

import datetime as _dt
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .io import MAX_SOURCE_BYTES, MAX_YAML_BYTES, read_source

#: Paths inside a file: a tuple of mapping keys and list indices.
YamlPath = tuple[Any, ...]

_NO_ALIASES = (
    "YAML anchors and aliases (&name, *name, <<: *name) are not allowed; write the value out"
)


class AliasError(yaml.MarkedYAMLError):
    """An anchor or alias in YAML input (refused: see the module docstring)."""


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses anchors and aliases.

    >>> yaml.load("a: [1, 2]", Loader=StrictLoader)
    {'a': [1, 2]}
    >>> try:
    ...     yaml.load("a: &x [1]\\nb: *x", Loader=StrictLoader)
    ... except AliasError as exc:
    ...     print(exc.problem_mark.line + 1, exc.problem)  # doctest: +ELLIPSIS
    1 YAML anchors and aliases ... are not allowed; write the value out
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AliasError(None, None, _NO_ALIASES, event.start_mark)
        return super().compose_node(parent, index)


def source_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a graph source, or None (a folder, or a regular file within limits).

    >>> source_problem(Path("/dev/zero"))
    'is not a regular file (a device, FIFO or socket); give a file or a folder'
    >>> source_problem(Path("graph")) is None
    True
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "no such file or folder"
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a device, FIFO or socket); give a file or a folder"
    limit = MAX_YAML_BYTES if path.suffix.lower() in {".yaml", ".yml"} else MAX_SOURCE_BYTES
    if st.st_size > limit:
        return f"is {st.st_size:,} bytes, more than the limit of {limit:,}"
    return None


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file (``line`` is 1-based; 0 when unknown)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in the input, printed as ``FILE:LINE: error: message``."""

    where: Location
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


@dataclass
class Record:
    """One YAML node: ``kind`` is the top-level key, ``slug`` the node's key."""

    kind: str
    slug: str
    fields: dict[str, Any]
    file: str
    lines: dict[YamlPath, int] = field(repr=False)

    def loc(self, *path: Any) -> Location:
        """Location of a field (or list item) of this record, or of the record itself.

        Falls back to the longest known prefix of ``path``.
        """
        base = (self.kind, self.slug)
        full = base + tuple(path)
        while len(full) >= len(base):
            if full in self.lines:
                return Location(self.file, self.lines[full])
            full = full[:-1]
        return Location(self.file, 0)


@dataclass
class LoadResult:
    """Records and problems read from one or more YAML files."""

    records: list[Record] = field(default_factory=list)
    meta: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: LoadResult) -> None:
        """Append the records and problems of ``other``."""
        self.records += other.records
        self.meta += other.meta
        self.problems += other.problems


class _Converter:
    """Turn a composed YAML node tree into plain Python, recording lines."""

    MAX_DEPTH = 64

    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.lines: dict[YamlPath, int] = {}
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(Location(self.file, line), message))

    def convert(self, node: yaml.Node, path: YamlPath, stack: tuple[int, ...] = ()) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        if id(node) in stack or len(stack) > self.MAX_DEPTH:
            self.problem(line, "recursive or too deeply nested YAML alias; write the value out")
            return None
        stack = (*stack, id(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node, (*path, "<key>"), stack)
                if not isinstance(key, str | int | float | bool) or key is None:
                    self.problem(
                        key_node.start_mark.line + 1, "a mapping key must be a plain scalar"
                    )
                    continue
                if isinstance(key, bool | int | float):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                if key in out:
                    self.problem(
                        key_node.start_mark.line + 1,
                        f"duplicate key {key!r} (first at line {self.lines[(*path, key)]}); "
                        "keep one of them",
                    )
                    continue
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = self.convert(value_node, (*path, key), stack)
            self.lines.pop((*path, "<key>"), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i), stack) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.problem(line, f"cannot read this value: {_first_line(exc)}")
            return None
        if isinstance(value, _dt.date | _dt.datetime):
            return value.isoformat()
        if isinstance(value, bytes):
            self.problem(line, "binary values are not allowed; write text")
            return None
        return value


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200]


def parse_yaml(text: str, file: str) -> LoadResult:
    """Parse the YAML ``text`` of ``file`` into records (see the module docstring)."""
    result = LoadResult()
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
    except AliasError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        result.problems.append(Problem(Location(file, line), str(exc.problem)))
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        msg = " ".join(str(exc.problem or exc).split())
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            msg += f" ({exc.context} at line {exc.context_mark.line + 1})"
        result.problems.append(Problem(Location(file, line), f"YAML syntax error: {msg}"))
        return result
    except yaml.YAMLError as exc:
        result.problems.append(Problem(Location(file), f"YAML error: {_first_line(exc)}"))
        return result
    finally:
        loader.dispose()
    if root is None:
        return result  # an empty file holds no records
    conv = _Converter(file, loader)
    data = conv.convert(root, ())
    result.problems += conv.problems
    if not isinstance(data, dict):
        result.problems.append(
            Problem(
                Location(file, 1), "the top level must be a mapping of kinds (skills:, tools:, …)"
            )
        )
        return result
    for kind, body in data.items():
        kind_line = conv.lines.get((kind,), 0)
        if kind == "meta":
            if not isinstance(body, dict):
                result.problems.append(Problem(Location(file, kind_line), "meta must be a mapping"))
                continue
            result.meta.append(Record("meta", "meta", body, file, conv.lines))
            continue
        if body is None:
            continue
        if not isinstance(body, dict):
            result.problems.append(
                Problem(Location(file, kind_line), f"{kind!r} must be a mapping of slug: fields")
            )
            continue
        for slug, fields in body.items():
            line = conv.lines.get((kind, slug), kind_line)
            if not isinstance(fields, dict):
                result.problems.append(
                    Problem(
                        Location(file, line), f"{slug!r} must be a mapping of fields (label:, …)"
                    )
                )
                continue
            result.records.append(Record(str(kind), str(slug), fields, file, conv.lines))
    return result


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their ``*.yaml``/``*.yml`` files, sorted; keep files as given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"})
        else:
            out.append(path)
    return out


def load_yaml(paths: Iterable[Path], *, relative_to: Path | None = None) -> LoadResult:
    """Read YAML files (or folders of them) into one :class:`LoadResult`.

    File names in locations are shown relative to ``relative_to`` when given.
    """
    result = LoadResult()
    for path in yaml_files(paths):
        name = _display(path, relative_to)
        try:
            text = read_source(path).decode("utf-8")
        except FileNotFoundError:
            result.problems.append(Problem(Location(name), "no such file"))
            continue
        except OSError as exc:
            result.problems.append(Problem(Location(name), f"cannot read: {exc.strerror}"))
            continue
        except UnicodeDecodeError as exc:
            result.problems.append(Problem(Location(name), f"cannot read: {_first_line(exc)}"))
            continue
        result.extend(parse_yaml(text, name))
    return result


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)
