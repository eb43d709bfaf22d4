"""A learner profile: a small YAML file of what a person knows and is learning.

.. code-block:: yaml

    name: Ada                      # optional
    knows: [Python基础, linear-algebra, git]
    learning: [pytorch]            # in progress: still planned, marked as such
    goals: [AI工程师]               # default targets of `aipath plan`
    hours_per_week: 8              # default of --hours-per-week

Items are names as a user types them (slug, Chinese or English label, alt label);
the CLI resolves them against the graph. Every key is optional; an unknown key is an
error (a typo such as ``know:`` would otherwise silently plan from nothing).

Examples
--------
>>> p = parse_profile("knows: [python, git]\\nhours_per_week: 6\\n", "me.yaml")
>>> p.knows, p.learning, p.hours_per_week
(['python', 'git'], [], 6.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aipath_graph.errors import ProfileError

__all__ = ["Profile", "parse_profile", "read_profile"]

_KEYS = ("name", "knows", "learning", "goals", "hours_per_week")


@dataclass
class Profile:
    """What a learner knows, is learning and aims at (names, not yet resolved)."""

    name: str | None = None
    knows: list[str] = field(default_factory=list)
    learning: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    hours_per_week: float | None = None


def _names(value: Any, key: str, file: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise ProfileError(f"{file}: {key!r} must be a list of names")
    return [str(v).strip() for v in value if str(v).strip()]


def parse_profile(text: str, file: str = "<profile>") -> Profile:
    """Parse the YAML text of a profile.

    Raises
    ------
    ProfileError
        The text is not YAML, not a mapping, has an unknown key or a bad value.

    Examples
    --------
    >>> try:
    ...     parse_profile("know: [python]", "me.yaml")
    ... except ProfileError as err:
    ...     print(err)
    me.yaml: unknown key 'know' (expected one of: name, knows, learning, goals, hours_per_week)
    """
    from aipath_graph.load import AliasError, StrictLoader

    try:
        data = yaml.load(text, Loader=StrictLoader)
    except AliasError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise ProfileError(f"{file}:{line}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        raise ProfileError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProfileError(f"{file}: a profile is a mapping with keys {', '.join(_KEYS)}")
    for key in data:
        if key not in _KEYS:
            raise ProfileError(f"{file}: unknown key {key!r} (expected one of: {', '.join(_KEYS)})")
    hours = data.get("hours_per_week")
    if hours is not None and (
        isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 168
    ):
        raise ProfileError(f"{file}: 'hours_per_week' must be a number of hours from 0 to 168")
    name = data.get("name")
    return Profile(
        name=str(name) if name is not None else None,
        knows=_names(data.get("knows"), "knows", file),
        learning=_names(data.get("learning"), "learning", file),
        goals=_names(data.get("goals"), "goals", file),
        hours_per_week=float(hours) if hours is not None else None,
    )


def read_profile(path: Path) -> Profile:
    """Read a profile file (see the module docstring).

    Raises
    ------
    ProfileError
        The file cannot be read or is not a valid profile.
    """
    from aipath_graph.io import read_source

    try:
        text = read_source(Path(path)).decode("utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: cannot read profile (not UTF-8)") from None
    return parse_profile(text, str(path))
