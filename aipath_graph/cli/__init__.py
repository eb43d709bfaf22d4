"""The ``aipath`` command: a thin shell over the library.

Each command family lives in its own module and only parses options, calls the
library and formats the result. Library errors (:class:`AipathError`) become one
line on stderr and the exit code of their class; ``--traceback`` shows the
Python traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..errors import AipathError, ExitCode

if TYPE_CHECKING:
    import rdflib

    from ..resolve import Resolver

LANGS = ("zh", "en")


@dataclass
class AppContext:
    """What every command needs: the data sources, the language, and the graph, built lazily."""

    data: list[Path] = field(default_factory=list)
    lang: str = "en"
    traceback: bool = False
    _graph: rdflib.Graph | None = None
    _resolver: Resolver | None = None

    def graph(self) -> rdflib.Graph:
        """The RDF graph of ``--data`` (or the bundled graph), built once."""
        if self._graph is None:
            from ..graph import load_graph

            self._graph = load_graph(self.data or None)
        return self._graph

    def resolver(self) -> Resolver:
        """The name resolver of :meth:`graph`."""
        if self._resolver is None:
            from ..resolve import Resolver

            self._resolver = Resolver(self.graph())
        return self._resolver

    def resolve(self, term: str) -> str:
        """Resolve a user-typed name to a node id (slug)."""
        return self.resolver().slug(term)


class AipathGroup(click.Group):
    """A click group that turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AipathError as exc:
            app = ctx.obj if isinstance(ctx.obj, AppContext) else None
            if app is not None and app.traceback:
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(int(exc.exit_code))
        except BrokenPipeError:  # `aipath … | head`
            sys.stderr.close()
            ctx.exit(int(ExitCode.OK))


@click.group(cls=AipathGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aipath")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="YAML folder or RDF file (Turtle, N-Triples, JSON-LD, RDF/XML) to use instead of "
    "the bundled graph; repeatable.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="en",
    show_default=True,
    help="Language of labels in the output.",
)
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.pass_context
def main(ctx: click.Context, data: Sequence[Path], lang: str, traceback: bool) -> None:
    """Explore the AI-engineer career-path knowledge graph.

    Every command reads the bundled graph unless --data is given. Names
    of skills, tools, roles … may be typed as a slug, a Chinese or English
    label, or an alt label.

    \b
    Examples:
      aipath stats
      aipath validate
      aipath --lang zh plan --to AI工程师
      aipath --data my-graph/ validate
    """
    ctx.obj = AppContext(data=list(data), lang=lang, traceback=traceback)


def pass_app(f: Any) -> Any:
    """Decorator: pass the :class:`AppContext` as the first argument."""
    return click.pass_obj(f)


def write_output(text: str, output: str) -> None:
    """Write ``text`` to stdout (``-``) or atomically to a file."""
    if output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..io import atomic_write_text

    atomic_write_text(Path(output), text)
    click.echo(f"wrote {output}", err=True)


def output_option(f: Any) -> Any:
    """``-o/--output PATH`` (default ``-``: stdout)."""
    return click.option(
        "-o", "--output", default="-", show_default=True, metavar="PATH",
        help="Write to this file (atomically) instead of stdout.",
    )(f)


def _register() -> None:
    from . import build as _build

    for cmd in _build.COMMANDS:
        main.add_command(cmd)
    # Other command families register here (one import each).
    for module in ("query", "plan", "render", "interop", "serve"):
        try:
            mod = __import__(f"{__name__}.{module}", fromlist=["COMMANDS"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module}":
                raise
            continue
        for cmd in getattr(mod, "COMMANDS", ()):
            main.add_command(cmd)


_register()
