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
    PORT_IN_USE = 5
    FALSE = 1  # an ASK query answered false


class AipathError(Exception):
    """Base class of every error the user can cause; ``str()`` is one line.

    An error made from a ``key`` of :data:`aipath_graph.i18n.WORDS` (and its
    fields) can say itself in either language: :meth:`message`.

    >>> UsageError(key="need_from_to").message("zh")
    '请同时给出 from=名称 和 to=名称'
    """

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, *args: object, key: str | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        if key is not None and not args:
            args = (self.message("en"),)
        super().__init__(*args)

    def message(self, lang: str = "en") -> str:
        """The one-line message in ``lang`` (English when the error has no key)."""
        if self.key is None:
            return str(self)
        from .i18n import t

        return t(self.key, lang, **self.params)


class UsageError(AipathError):
    """A command was called with options that cannot work together."""

    exit_code = ExitCode.USAGE


class NotARoleError(UsageError):
    """A command about roles was given another kind of node (a tool, a skill …).

    >>> NotARoleError("pytorch", "Tool").message("en")
    "'pytorch' is a Tool, not a role or career level"
    >>> NotARoleError("pytorch", "Tool").message("zh")
    '「pytorch」是工具，不是岗位或职级'
    """

    def __init__(self, term: str, node_type: str | None) -> None:
        self.term, self.node_type = term, node_type
        super().__init__(key="not_a_role", term=term, type=node_type)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, the node type named in that language."""
        from .i18n import t, type_name

        kind = type_name(self.node_type, lang)
        return t(
            "not_a_role", lang, term=self.term, type=kind if lang == "zh" else kind.capitalize()
        )

    def __str__(self) -> str:
        return self.message("en")


class DataError(AipathError):
    """Input data could not be read (a missing file, a parse error)."""

    exit_code = ExitCode.INVALID_GRAPH


class ProfileError(AipathError):
    """A learner profile could not be read (not exit 3: the graph is fine)."""


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
        super().__init__(key="unknown_term", term=term)

    def message(self, lang: str = "en") -> str:
        """The message and the did-you-mean line in ``lang``."""
        from .i18n import join, t

        hint = (
            t("did_you_mean", lang, names=join(self.suggestions, lang)) if self.suggestions else ""
        )
        return t("unknown_term", lang, term=self.term) + hint

    def __str__(self) -> str:
        return self.message("en")


class AmbiguousTermError(TermError):
    """Several nodes share this name; ``candidates`` lists them."""

    def __init__(self, term: str, candidates: Sequence[str]) -> None:
        self.term = term
        self.candidates = list(candidates)
        super().__init__(key="ambiguous", term=term, names=", ".join(self.candidates))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        from .i18n import join, t

        return t("ambiguous", lang, term=self.term, names=join(self.candidates, lang))


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


class PortInUseError(AipathError):
    """``aipath serve`` cannot listen: the address is taken (or not ours to bind)."""

    exit_code = ExitCode.PORT_IN_USE


class QueryError(AipathError):
    """A SPARQL query is malformed or not allowed."""
