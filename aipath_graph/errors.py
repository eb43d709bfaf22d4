"""Exceptions and exit codes shared by the library and the CLI.

Every error a user can cause is an :class:`AipathError` whose ``str()`` is one
line saying what is wrong and, where it helps, what to do. The CLI turns these
into ``error: …`` on stderr and the exit code of the error class.

Examples
--------
>>> err = UnknownTermError("fine tunning", ["fine-tuning"])
>>> str(err)
"unknown term 'fine tunning'; did you mean: fine-tuning?"
>>> int(err.exit_code)
1
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``aipath`` command."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INVALID_GRAPH = 3
    NO_PATH = 4
    FALSE = 1  # an ASK query answered false


class AipathError(Exception):
    """Base class of every error the user can cause; ``str()`` is one line."""

    exit_code: ExitCode = ExitCode.ERROR


class UsageError(AipathError):
    """A command was called with options that cannot work together."""

    exit_code = ExitCode.USAGE


class DataError(AipathError):
    """Input data could not be read (a missing file, a parse error)."""

    exit_code = ExitCode.INVALID_GRAPH


class InvalidGraphError(AipathError):
    """The graph failed validation; ``problems`` holds every problem found.

    Its message is the first problem and a count of the rest.
    """

    exit_code = ExitCode.INVALID_GRAPH

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        first = _short(self.problems[0]) if self.problems else "the graph is invalid"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''}; run 'aipath validate')"
        super().__init__(first + (suffix if more > 0 else ""))


def _short(problem: object) -> str:
    where, message = getattr(problem, "where", None), getattr(problem, "message", None)
    return f"{where}: {message}" if where is not None and message is not None else str(problem)


class TermError(AipathError):
    """A name typed by the user does not pick out exactly one node."""


class UnknownTermError(TermError):
    """No node has this slug, label or alt label."""

    def __init__(self, term: str, suggestions: Sequence[str] = ()) -> None:
        self.term = term
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown term {term!r}{hint}")


class AmbiguousTermError(TermError):
    """Several nodes share this name; ``candidates`` lists them."""

    def __init__(self, term: str, candidates: Sequence[str]) -> None:
        self.term = term
        self.candidates = list(candidates)
        super().__init__(f"{term!r} is ambiguous; use one of: {', '.join(self.candidates)}")


class NodeNotFound(AipathError):
    """An id passed to an algorithm is not a node of the graph."""


class NoPathError(AipathError):
    """No prerequisite chain connects two nodes."""

    exit_code = ExitCode.NO_PATH


class CycleError(AipathError):
    """Prerequisites form a cycle; ``cycle`` lists the nodes in order."""

    exit_code = ExitCode.INVALID_GRAPH

    def __init__(self, cycle: Sequence[str], where: str = "") -> None:
        self.cycle = list(cycle)
        loop = " -> ".join([*self.cycle, self.cycle[0]]) if self.cycle else "?"
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}prerequisite cycle: {loop}")


class QueryError(AipathError):
    """A SPARQL query is malformed or not allowed."""
