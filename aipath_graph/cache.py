"""A cache of compiled graphs, so everyday commands skip YAML, compilation and rdflib.

The key is the SHA-256 of the package version, of the package's own modules, and
of every source file's path and content (the ontology included), so any edit —
to the data or to the code that compiles it — rebuilds it. One entry is a
folder holding three files, each written atomically (temporary file, then
rename) and each framed with a checksum:

- ``views.bin``: the prerequisite and relation graphs (networkx) and the name
  index — all a plan needs, loaded without importing rdflib;
- ``graph.bin``: the rdflib graph, for ``show`` and the API;
- ``dataset.bin``: the named graphs as N-Quads and the name index, which
  the SPARQL engine (pyoxigraph) loads without rdflib parsing anything.

A file that is missing, truncated, corrupt or from another version is rebuilt
from the sources; two processes racing to build write the same bytes and the
last rename wins. ``AIPATH_CACHE_DIR`` moves the cache; ``AIPATH_NO_CACHE=1``
turns it off.

Examples
--------
>>> import tempfile, pathlib
>>> c = GraphCache(None, root=pathlib.Path(tempfile.mkdtemp()))
>>> views = c.views()
>>> views["prerequisites"].nodes["backpropagation"]["effort"] > 0
True
>>> c.views()["index"] == views["index"]  # the second call reads the cache
True
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__

MAGIC = b"AIPATH-CACHE-1\n"
KEEP_ENTRIES = 8
_YAML = {".yaml", ".yml"}
_RDF = {".ttl", ".turtle", ".nt", ".n3", ".jsonld", ".json", ".rdf", ".owl", ".xml", ".trig", ".nq"}


def default_root() -> Path:
    """The cache folder: ``$AIPATH_CACHE_DIR``, else ``$XDG_CACHE_HOME/aipath-graph``."""
    if os.environ.get("AIPATH_CACHE_DIR"):
        return Path(os.environ["AIPATH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aipath-graph"


def enabled() -> bool:
    """False when ``AIPATH_NO_CACHE`` is set to a true value."""
    return os.environ.get("AIPATH_NO_CACHE", "").lower() not in {"1", "true", "yes"}


def source_files(paths: Sequence[Path] | None) -> list[Path]:
    """Every file a graph is built from (ontology included), in a stable order."""
    from .bundled import ONTOLOGY_FILE, default_sources

    files = [ONTOLOGY_FILE]
    for path in list(paths) if paths else default_sources():
        if path.is_dir():
            files += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _YAML | _RDF
            )
        else:
            files.append(path)
    return files


def source_key(paths: Sequence[Path] | None) -> str:
    """SHA-256 over the version, the package's own modules, and each source file's path and bytes."""
    digest = hashlib.sha256(f"aipath-graph {__version__}\n".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())  # the code that compiles and projects counts too
    for path in source_files(paths):
        digest.update(str(path.resolve()).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")  # the build reports it
        digest.update(b"\0")
    return digest.hexdigest()


def _frame(payload: bytes) -> bytes:
    return MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _unframe(data: bytes) -> bytes | None:
    if not data.startswith(MAGIC):
        return None
    rest = data[len(MAGIC) :]
    digest, sep, payload = rest.partition(b"\n")
    if not sep or hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    return payload


def read_entry(path: Path) -> Any | None:
    """The object stored at ``path``, or None when missing, truncated or corrupt."""
    try:
        payload = _unframe(path.read_bytes())
    except OSError:
        return None
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # a payload that passed its checksum but not unpickling: rebuild
        return None


def write_entry(path: Path, obj: Any) -> None:
    """Store ``obj`` at ``path`` atomically; a failure to write only loses the cache."""
    from .io import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, _frame(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)))
    except Exception:  # a read-only or full disk must not break the command
        return


class GraphCache:
    """Cached views of one set of sources (``None``: the bundled graph)."""

    def __init__(self, paths: Sequence[Path] | None, *, root: Path | None = None) -> None:
        self.paths = list(paths) if paths else None
        self.root = root or default_root()
        self._key: str | None = None

    @property
    def key(self) -> str:
        """The content hash of the sources (computed once)."""
        if self._key is None:
            self._key = source_key(self.paths)
        return self._key

    @property
    def folder(self) -> Path:
        """This entry's folder."""
        return self.root / self.key

    def _get(self, name: str, make: Callable[[], Any]) -> Any:
        if not enabled():
            return make()
        path = self.folder / name
        obj = read_entry(path)
        if obj is None:
            obj = make()
            write_entry(path, obj)
            self.prune()
        return obj

    def graph(self) -> Any:
        """The rdflib graph (built and validated for errors on a miss)."""
        from .graph import load_graph

        return self._get("graph.bin", lambda: load_graph(self.paths))

    def dataset(self) -> dict[str, Any]:
        """``{"quads": N-Quads of the named graphs, "index": name index}`` for the SPARQL engine.

        Loaded into pyoxigraph by :class:`aipath_graph.sparql.engine.OxDataset`
        without rdflib parsing anything (see :mod:`aipath_graph.dataset`).
        """

        def make() -> dict[str, Any]:
            from .dataset import nquads
            from .errors import InvalidGraphError
            from .graph import build
            from .resolve import build_index

            result = build(self.paths)
            if result.errors:
                raise InvalidGraphError(result.errors)
            if enabled() and read_entry(self.folder / "graph.bin") is None:
                write_entry(self.folder / "graph.bin", result.graph)
            return {"quads": nquads(result.parts), "index": build_index(result.graph)}

        return self._get("dataset.bin", make)

    def views(self) -> dict[str, Any]:
        """``{"prerequisites": DiGraph, "relations": DiGraph, "index": name index}``."""

        def make() -> dict[str, Any]:
            from .project import prerequisite_graph, relation_graph
            from .resolve import build_index

            g = self.graph()
            return {
                "prerequisites": prerequisite_graph(g),
                "relations": relation_graph(g),
                "index": build_index(g),
            }

        return self._get("views.bin", make)

    def prune(self, keep: int = KEEP_ENTRIES) -> None:
        """Remove all but the ``keep`` most recently used entries."""
        try:
            entries = sorted(
                (p for p in self.root.iterdir() if p.is_dir() and p.name != self.key),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
        except OSError:
            return
        for old in entries[keep - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        for tmp in self.folder.glob(".*.tmp") if self.folder.is_dir() else ():
            try:  # a build killed midway leaves its temporary file behind
                if time.time() - tmp.stat().st_mtime > 60:
                    tmp.unlink()
            except OSError:
                pass
