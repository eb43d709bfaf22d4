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

#: Optional dependencies: top-level module → the extra that installs it.
OPTIONAL_MODULES = {
    "uvicorn": "serve",
    "starlette": "serve",
    "multipart": "serve",
    "python_multipart": "serve",
    "pyoxigraph": "oxigraph",
    "oxrdflib": "oxigraph",
    "nbclient": "notebooks",
}


@dataclass
class AppContext:
    """What every command needs: the sources, the store, the language, and the graph views.

    Everything is built lazily and at most once per process. On the default
    in-memory store the views come from the on-disk cache (see
    :mod:`aipath_graph.cache`), so a plan needs neither YAML parsing nor rdflib.
    """

    data: list[Path] = field(default_factory=list)
    lang: str = "en"
    traceback: bool = False
    store: str = "memory"
    _graph: rdflib.Graph | None = None
    _views: dict[str, Any] | None = None
    _resolver: Resolver | None = None
    _sparql: Any = None
    _cached_graph: bool = False

    def _cache(self) -> Any:
        from ..cache import GraphCache

        return GraphCache(self.data or None)

    def graph(self) -> rdflib.Graph:
        """The RDF graph of ``--data`` (or the bundled graph) in the chosen store."""
        if self._graph is None:
            if self.store == "memory":
                self._graph = self._cache().graph()
                self._cached_graph = True
            else:
                from ..store import open_store

                self._graph = open_store(self.store, self.data or None)
        return self._graph

    def sparql(self) -> Any:
        """What SPARQL runs on: pyoxigraph (in memory from the cache, or the embedded store).

        A remote store (``sparql:URL``) answers queries itself: its rdflib graph.
        """
        if self._sparql is None:
            from ..sparql.engine import OxDataset

            if self.store == "memory" and (self._graph is None or self._cached_graph):
                entry = self._cache().dataset()
                self._sparql = OxDataset.from_quads(entry["quads"])
                self._sparql.index = entry["index"]
            elif self.store.startswith("oxigraph:"):
                store = self.graph().store._inner  # type: ignore[attr-defined] # oxrdflib's
                self._sparql = OxDataset(store, union=False)
            elif self.store == "memory":  # a graph given by a caller (the server's workers)
                assert self._graph is not None
                self._sparql = OxDataset.from_triples(
                    self._graph.serialize(format="nt", encoding="utf-8")
                )
            else:
                self._sparql = self.graph()
        return self._sparql

    def _resolver_from_cache(self) -> bool:
        return self._graph is None or self._cached_graph

    def dataset_quads(self) -> bytes | None:
        """The named graphs of the sources as N-Quads (None for a remote store)."""
        if self.store.startswith("sparql:") or (self._graph is not None and not self._cached_graph):
            return None
        return self._cache().dataset()["quads"]  # type: ignore[no-any-return]

    def views(self) -> dict[str, Any]:
        """The networkx views and the name index (cached on the memory store)."""
        if self._views is None:
            if self.store == "memory":
                views = self._cache().views()
            else:
                from ..store import store_views

                views = store_views(self.graph())
            import gc

            import networkx as nx

            for key in ("prerequisites", "relations"):
                nx.freeze(views[key])  # frozen graphs keep the planner's index between calls
            gc.freeze()  # the loaded graph is long-lived: keep the collector off it
            self._views = views
        return self._views

    def prereq_graph(self, lang: str | None = None) -> Any:
        """The prerequisite DiGraph, with each edge's ``reason`` in ``lang``."""
        return _localized(self.views()["prerequisites"], lang or self.lang)

    def relation_graph(self, lang: str | None = None) -> Any:
        """The relation DiGraph (prerequisites and display relations), localized."""
        return _localized(self.views()["relations"], lang or self.lang)

    def resolver(self) -> Resolver:
        """The name resolver of the graph."""
        if self._resolver is None:
            from ..resolve import Resolver

            if self._views is None and self.store == "memory" and self._resolver_from_cache():
                index = self.sparql().name_index()  # the dataset entry has it: no networkx
            else:
                index = self.views()["index"]
            self._resolver = Resolver.from_index(index)
        return self._resolver

    def resolve(self, term: str) -> str:
        """Resolve a user-typed name to a node id (slug)."""
        return self.resolver().slug(term)

    def close(self) -> None:
        """Release the store (an embedded Oxigraph store is locked while open)."""
        self._sparql = None  # it may hold the embedded store too
        if self._graph is not None and self.store != "memory":
            self._graph.close()
        self._graph = None


def _localized(G: Any, lang: str) -> Any:
    """Set each edge's ``reason`` to its text in ``lang`` (English when missing)."""
    if G.graph.get("reason_lang") != lang:
        for _, _, d in G.edges(data=True):
            texts = d.get("reasons") or {}
            d["reason"] = texts.get(lang) or texts.get("en") or texts.get("") or d.get("reason")
        G.graph["reason_lang"] = lang
    return G


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
        except ModuleNotFoundError as exc:
            extra = OPTIONAL_MODULES.get((exc.name or "").split(".")[0])
            if extra is None or (isinstance(ctx.obj, AppContext) and ctx.obj.traceback):
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
    default="en",
    show_default=True,
    help="Language of labels in the output.",
)
@click.option(
    "--store",
    default="memory",
    show_default=True,
    metavar="memory|oxigraph:PATH|sparql:URL",
    help="Where the graph lives: in memory (rdflib, cached on disk), an embedded Oxigraph "
    "store at PATH (built once, reopened instantly), or a remote SPARQL 1.1 endpoint.",
)
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.pass_context
def main(ctx: click.Context, data: Sequence[Path], lang: str, store: str, traceback: bool) -> None:
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
    """
    ctx.obj = AppContext(data=list(data), lang=lang, traceback=traceback, store=store)
    ctx.call_on_close(ctx.obj.close)


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
        "-o",
        "--output",
        default="-",
        show_default=True,
        metavar="PATH",
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
