"""The ``aipath`` command: a thin shell over the answers layer.

Each command family lives in its own module and only parses options, calls the
library and formats the result. Library errors (:class:`AipathError`) become one
line on stderr and the exit code of their class; ``--traceback`` shows the
Python traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..answers import Session
from ..errors import AipathError, ExitCode
from ..i18n import LANGS, default_lang, t

#: The session every command receives (kept under its old name for scripts).
AppContext = Session

#: Optional dependencies: top-level module → the extra that installs it.
OPTIONAL_MODULES = {
    "hypercorn": "serve",
    "starlette": "serve",
    "multipart": "serve",
    "python_multipart": "serve",
    "pyoxigraph": "oxigraph",
    "oxrdflib": "oxigraph",
    "nbclient": "notebooks",
}


class AipathGroup(click.Group):
    """A click group that turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AipathError as exc:
            app = ctx.obj if isinstance(ctx.obj, Session) else None
            if app is not None and app.traceback:
                raise
            lang = app.lang if app is not None else default_lang()
            say(t("error", lang, message=exc.message(lang)))
            ctx.exit(int(exc.exit_code))
        except ModuleNotFoundError as exc:
            extra = OPTIONAL_MODULES.get((exc.name or "").split(".")[0])
            if extra is None or (isinstance(ctx.obj, Session) and ctx.obj.traceback):
                raise
            click.echo(
                f"error: this needs the optional package {exc.name!r}; install it with "
                f"pip install 'aipath-graph[{extra}]' (or pip install -e '.[{extra}]' in a checkout)",
                err=True,
            )
            ctx.exit(int(ExitCode.ERROR))
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
    default=default_lang,
    envvar="AIPATH_LANG",
    show_default="en, or $AIPATH_LANG",
    help="Language of the output (labels and frame text); also accepted after the command.",
)
@click.option(
    "--store",
    default="memory",
    show_default=True,
    metavar="memory|oxigraph:PATH|sparql:URL",
    help="Where the graph lives: in memory (rdflib, cached on disk), an embedded Oxigraph "
    "store at PATH (built once, reopened instantly), or a remote SPARQL 1.1 endpoint "
    "(URL#graph=IRI&timeout=SECONDS; credentials from AIPATH_REMOTE_USER/"
    "AIPATH_REMOTE_PASSWORD or ~/.netrc).",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="With --store sparql:URL: read this named graph of the endpoint as the graph.",
)
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.pass_context
def main(
    ctx: click.Context,
    data: Sequence[Path],
    lang: str,
    store: str,
    graph_iri: str | None,
    traceback: bool,
) -> None:
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
      aipath --store oxigraph:.aipath-store show fine-tuning
      aipath --store sparql:http://127.0.0.1:7878/query prereqs fine-tuning
      aipath --store sparql:http://127.0.0.1:8890/sparql --graph https://w3id.org/aipath/graph next
    """
    if graph_iri and not store.startswith("sparql:"):
        from ..errors import UsageError

        raise UsageError("--graph names a graph of a remote store; use it with --store sparql:URL")
    ctx.obj = Session(
        data=list(data), lang=lang, traceback=traceback, store=store, graph_iri=graph_iri
    )
    ctx.call_on_close(ctx.obj.close)


def pass_app(f: Any) -> Any:
    """Decorator: pass the :class:`~aipath_graph.answers.Session` as the first argument."""
    return click.pass_obj(f)


from .options import emit, output_option, say, warn, write_output  # noqa: E402

__all__ = [
    "LANGS",
    "AppContext",
    "emit",
    "main",
    "output_option",
    "pass_app",
    "say",
    "warn",
    "write_output",
]


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None and isinstance(ctx.obj, Session):
        ctx.obj.lang = value


def _lang_after(cmd: click.Command) -> None:
    """Accept ``--lang`` after the command too (``aipath plan … --lang zh``)."""
    if any("--lang" in p.opts for p in cmd.params):
        return
    cmd.params.append(
        click.Option(
            ["--lang"],
            type=click.Choice(LANGS),
            default=None,
            expose_value=False,
            is_eager=True,
            callback=_set_lang,
            help="Language of the output (as the global --lang).",
        )
    )


def _register() -> None:
    from . import build as _build

    for cmd in _build.COMMANDS:
        _lang_after(cmd)
        main.add_command(cmd)
    # Other command families register here (one import each).
    for module in ("query", "plan", "search", "render", "interop", "serve"):
        try:
            mod = __import__(f"{__name__}.{module}", fromlist=["COMMANDS"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module}":
                raise
            continue
        for cmd in getattr(mod, "COMMANDS", ()):
            _lang_after(cmd)
            main.add_command(cmd)


_register()
