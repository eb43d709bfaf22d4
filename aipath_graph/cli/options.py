"""Options several commands share, and the one way a command writes its answer.

A command is: decorators from here, a call into :mod:`aipath_graph.answers`,
and :func:`emit` with the record and one formatter per text format (JSON
needs none: it is the record itself).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from ..i18n import t
from ..text import printable

__all__ = [
    "csv_text",
    "emit",
    "format_option",
    "have_options",
    "hours_option",
    "optional_option",
    "output_option",
    "read_profile",
    "say",
    "warn",
    "write_output",
]


def say(message: str) -> None:
    """Write a message line to stderr, control characters escaped (:func:`..text.printable`)."""
    click.echo(printable(message), err=True)


def write_output(text: str, output: str) -> None:
    """Write ``text`` to stdout (``-``) or atomically to a file, control characters escaped."""
    text = printable(text)
    if output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..io import atomic_write_text

    atomic_write_text(Path(output), text)
    say(t("wrote", _lang(), path=output))


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return str(getattr(obj, "lang", "en"))


def warn(messages: Iterable[str]) -> None:
    """Each message as ``warning: …`` on stderr, in the session's language."""
    lang = _lang()
    for message in messages:
        say(t("warning", lang, message=message))


def json_text(record: Any) -> str:
    """A record as indented JSON (UTF-8 text, not escaped)."""
    return json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def emit(
    record: Any,
    fmt: str,
    output: str,
    formats: Mapping[str, Callable[[Any], str]],
) -> None:
    """Write ``record`` as ``fmt``: ``json`` as it is, any other through ``formats[fmt]``.

    The record's ``warnings`` go to stderr first, so a script reading stdout
    still gets them.
    """
    if isinstance(record, Mapping):
        warn(record.get("warnings", ()))
    text = json_text(record) if fmt == "json" else formats[fmt](record)
    write_output(text, output)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV with a header line.

    >>> csv_text(["a", "b"], [[1, "x"]])
    'a,b\\n1,x\\n'
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def output_option(f: Any) -> Any:
    """``-o/--output PATH`` (default ``-``: stdout)."""
    return click.option(
        "-o",
        "--output",
        default="-",
        show_default=True,
        metavar="PATH",
        help="Write to this file (atomically) instead of stdout.",
    )(f)


def format_option(*choices: str) -> Callable[[Any], Any]:
    """``--format`` with these choices (the first is the default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def have_options(f: Any) -> Any:
    """``--have``, ``--no-implied`` and ``--profile``: what the learner knows."""
    f = click.option(
        "--profile",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="YAML profile: knows, learning, goals, hours_per_week.",
    )(f)
    f = click.option(
        "--no-implied",
        is_flag=True,
        help="Knowing an item does not imply knowing its prerequisites.",
    )(f)
    return click.option(
        "--have",
        "have",
        multiple=True,
        metavar="TERM[,TERM…]",
        help="What you already know (repeatable, or comma-separated).",
    )(f)


def hours_option(f: Any) -> Any:
    """``--hours-per-week N``: turn hours into weeks."""
    return click.option(
        "--hours-per-week",
        type=click.FloatRange(min=0.001, max=168),
        default=None,
        help="Study hours a week (up to 168), to turn hours into weeks.",
    )(f)


def optional_option(f: Any) -> Any:
    """``--include-optional``: also the optional skills of roles and levels."""
    return click.option(
        "--include-optional",
        is_flag=True,
        help="Also learn the optional skills of roles and career levels.",
    )(f)


def read_profile(path: Path | None) -> Any:
    """The learner profile at ``path`` (None when no path is given)."""
    if path is None:
        return None
    from ..profile import read_profile as read

    return read(path)
