"""The embedded Oxigraph store (``--store oxigraph:PATH``): built once, reopened at once.

Layout: the store holds the named graphs of the dataset (:mod:`aipath_graph.dataset`:
the ontology, the bundled data or each ``--data`` source, a quad file's own
graphs) and nothing in its default graph; every reader takes the default
graph to be their union (SPARQL through
:class:`~aipath_graph.sparql.engine.OxDataset`, rdflib through
:class:`~aipath_graph.oxunion.UnionStore`). So each triple is written once, and a big RDF file is
bulk-loaded once, straight from disk.

The store is rebuilt when its key (:func:`aipath_graph.cache.source_key`: the
sources' bytes and the code) changes. While it is built, the triples the views
need are read from the same inputs (:class:`~aipath_graph.facts.Facts`), and the
views are kept beside the store, signed like the cache: a reopened store plans
without opening Oxigraph at all.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> g = open_oxigraph(path)
>>> sorted(str(c.identifier) for c in g.store.contexts())  # doctest: +NORMALIZE_WHITESPACE
['https://w3id.org/aipath/graph/bundled', 'https://w3id.org/aipath/graph/ontology']
>>> len(g) == len(set(g))  # the default graph: their union, each triple once
True
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .bulk import give_back_memory, paused_gc
from .errors import AipathError

#: The store's key (the sources' and the code's hash), written last by a build.
KEY_FILE = "aipath-source-key"
#: The networkx views of the store, kept beside it (with its key).
VIEWS_FILE = "aipath-views.bin"

#: rdflib's parser names (:data:`aipath_graph.graph.RDF_FORMATS`) → pyoxigraph's formats.
OXIGRAPH_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "n3": "N3",
    "json-ld": "JSON_LD",
    "xml": "RDF_XML",
    "trig": "TRIG",
    "nquads": "N_QUADS",
}


def open_oxigraph(path: Path, sources: Sequence[Path] | None = None) -> Any:
    """Open (building or rebuilding when the sources changed) the store at ``path``."""
    import pyoxigraph

    refresh(path, sources)
    try:
        store = pyoxigraph.Store(str(path))
    except OSError as exc:
        raise AipathError(f"cannot open the Oxigraph store at {path}: {exc}") from exc
    from .oxunion import union_graph

    return union_graph(store)


def refresh(path: Path, sources: Sequence[Path] | None, key: str | None = None) -> Any:
    """Build the store at ``path`` unless its key (``key``, else computed) is current.

    Returns the :class:`~aipath_graph.facts.Facts` read while building, or None
    when the store was current.
    """
    if key is None:
        from .cache import GraphCache

        key = GraphCache(sources).key
    marker = path / KEY_FILE
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == key:
        return None
    facts = build(path, sources)
    marker.write_text(key + "\n", encoding="utf-8")
    return facts


def build(path: Path, sources: Sequence[Path] | None = None) -> Any:
    """Load the dataset into a fresh store at ``path``; return the Facts of what was loaded.

    The YAML sources and the ontology (small) are compiled and validated as
    everywhere, then loaded as N-Quads; RDF files are bulk-loaded by Oxigraph
    from disk into their source's graph (never held in rdflib), then streamed
    once more through Oxigraph's parser for the view triples.
    """
    import pyoxigraph as ox

    from .facts import Facts
    from .graph import RDF_FORMATS

    if path.exists():
        if not (path / KEY_FILE).exists() and any(path.iterdir()):
            raise AipathError(
                f"{path} exists and is not an aipath Oxigraph store; choose another path"
            )
        shutil.rmtree(path)
    quads, rdf_files, names = _compiled(sources)
    facts = Facts()
    path.mkdir(parents=True)
    # Marked as ours from the start: a build cut short (Ctrl-C, a crash) is rebuilt next time.
    (path / KEY_FILE).write_text("building\n", encoding="utf-8")
    try:
        store = ox.Store(str(path))
        store.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
        loads = []
        for file in rdf_files:
            fmt = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[RDF_FORMATS[file.suffix.lower()]])
            load = {"path": str(file), "format": fmt, "base_iri": file.resolve().as_uri()}
            try:
                store.bulk_load(**load, to_graph=ox.NamedNode(str(names.of_file(file))))
            except SyntaxError as exc:
                raise AipathError(
                    f"{file}: cannot parse: {' '.join(str(exc).split())[:300]}"
                ) from None
            loads.append(load)
        store.flush()
        del store
        give_back_memory()  # the bulk loader's buffers, before the views are built
        with paused_gc():  # millions of small tuples, no cycles among them
            facts.add_quads(ox.parse(quads, format=ox.RdfFormat.N_QUADS))
            for i, load in enumerate(loads):
                facts.add_quads(ox.parse(**load), scope=f"f{i}")
    except OSError as exc:
        shutil.rmtree(path, ignore_errors=True)
        raise AipathError(f"cannot build the Oxigraph store at {path}: {exc}") from exc
    except AipathError:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return facts


def _compiled(sources: Sequence[Path] | None) -> tuple[bytes, list[Path], Any]:
    """The named graphs of the YAML sources and the ontology as N-Quads, and the RDF files."""
    from .cache import GraphCache
    from .dataset import SourceNames, nquads
    from .errors import InvalidGraphError
    from .graph import build as build_graph
    from .graph import expand_sources

    if sources is None:
        quads: bytes = GraphCache(None).dataset()["quads"]
        return quads, [], None
    _, rdf_files, problems = expand_sources(sources)
    if problems:
        raise InvalidGraphError(problems)
    result = build_graph(sources, rdf=False)
    if result.errors:
        raise InvalidGraphError(result.errors)
    return nquads(result.parts), rdf_files, SourceNames(list(sources))


def views(path: Path, sources: Sequence[Path] | None) -> dict[str, Any]:
    """The views of the store at ``path`` (built or rebuilt as needed), kept beside it."""
    from .cache import GraphCache, enabled, read_entry, write_entry
    from .facts import Facts
    from .project import views as project

    cache = GraphCache(sources)
    key = cache.key
    facts = refresh(path, sources, key)
    secret = cache.secret() if enabled() else None  # signed by the user's cache secret
    if facts is None and secret is not None:
        entry = read_entry(path / VIEWS_FILE, secret)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key:
            kept: dict[str, Any] = entry[1]
            return kept
    if facts is None:  # a current store without its views: read them from the store
        import pyoxigraph

        facts = Facts.of_store(pyoxigraph.Store.read_only(str(path)))
    if not len(facts):
        raise AipathError("the store holds no aipath graph (no triples of the ontology)")
    result = project(facts)
    del facts
    if secret is not None:
        write_entry(path / VIEWS_FILE, (key, result), secret)
    return result


__all__ = ["KEY_FILE", "VIEWS_FILE", "build", "open_oxigraph", "views"]
