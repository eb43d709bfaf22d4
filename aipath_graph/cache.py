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

The cache only trusts what its own user wrote, because unpickling runs code:

- the folder is created private (``0700``); a folder that belongs to another
  user, or that others may write to, is not used (one warning line on the
  ``aipath.cache`` logger, then the command runs without a cache);
- each file is signed with HMAC-SHA256 under a per-user secret (``secret`` in
  the cache folder, 32 random bytes, mode ``0600``), so a file someone else
  planted — whose checksum anyone could compute — is rebuilt, never loaded;
- a file owned by another user is not read at all.

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
import hmac
import logging
import os
import pickle
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__

MAGIC = b"AIPATH-CACHE-2\n"
SECRET_FILE = "secret"
log = logging.getLogger("aipath.cache")
_warned: set[str] = set()
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
    from .io import MAX_SOURCE_BYTES, read_source

    digest = hashlib.sha256(f"aipath-graph {__version__}\n".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())  # the code that compiles and projects counts too
    for path in source_files(paths):
        digest.update(str(path.resolve()).encode() + b"\0")
        try:  # never a device or FIFO, never without bound (the build reports those)
            digest.update(read_source(path, MAX_SOURCE_BYTES))
        except OSError:
            digest.update(b"<unreadable>")  # the build reports it
        digest.update(b"\0")
    return digest.hexdigest()


def private_folder_problem(root: Path) -> str | None:
    """Why ``root`` cannot hold a trusted cache, or None when it can (it is created 0700).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "new"
    >>> private_folder_problem(folder) is None, oct(folder.stat().st_mode & 0o777)
    (True, '0o700')
    >>> folder.chmod(0o777)
    >>> private_folder_problem(folder).endswith("is writable by other users (mode 777)")
    True
    """
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(root)
    except OSError as exc:
        return f"cache folder {root} cannot be created ({exc.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return f"cache folder {root} is not a folder"
    if st.st_uid != os.geteuid():
        return f"cache folder {root} belongs to another user (uid {st.st_uid})"
    if st.st_mode & 0o022:
        return f"cache folder {root} is writable by other users (mode {st.st_mode & 0o777:o})"
    return None


def _own_private_file(path: Path) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid()


def user_secret(root: Path) -> bytes | None:
    """The per-user signing secret kept in ``root`` (made on first use), or None when unusable."""
    path = root / SECRET_FILE
    for _ in range(2):
        if _own_private_file(path):
            if os.lstat(path).st_mode & 0o077:
                return None  # readable by others: anyone could sign with it
            try:
                key = path.read_bytes()
            except OSError:
                return None
            return key if len(key) == 32 else None
        if path.exists() or path.is_symlink():
            return None  # someone else's file, or not a file
        tmp = root / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
            os.link(tmp, path)  # fails if another process made it first: then read theirs
        except FileExistsError:
            pass
        except OSError:
            return None
        finally:
            tmp.unlink(missing_ok=True)
    return None


def _unframe(data: bytes, secret: bytes) -> memoryview | None:
    """The signed payload of an entry (a view: a big entry is not copied), or None."""
    if not data.startswith(MAGIC):
        return None
    start = len(MAGIC)
    end = data.find(b"\n", start, start + 128)
    if end < 0:
        return None
    payload = memoryview(data)[end + 1 :]
    expected = hmac.new(secret, payload, "sha256").hexdigest().encode()
    if not hmac.compare_digest(expected, data[start:end]):
        return None
    return payload


def read_entry(path: Path, secret: bytes | None = None) -> Any | None:
    """The object stored at ``path``, or None when missing, corrupt, unsigned or not ours.

    ``secret`` defaults to the user secret of the cache folder two levels up.
    """
    if secret is None:
        secret = user_secret(path.parent.parent)
    if secret is None or not _own_private_file(path):
        return None
    try:
        payload = _unframe(path.read_bytes(), secret)
    except OSError:
        return None
    if payload is None:
        return None
    from .bulk import paused_gc

    try:
        with paused_gc():  # a big entry is millions of objects
            return pickle.loads(payload)
    except Exception:  # a payload that passed its signature but not unpickling: rebuild
        return None


def write_entry(path: Path, obj: Any, secret: bytes) -> None:
    """Store ``obj`` at ``path`` atomically, signed; a failure to write only loses the cache.

    The pickle is streamed to the file (signed as it goes), never held whole in memory.
    """
    from .io import atomic_write

    def write(fh: BinaryIO) -> None:
        mac = hmac.new(secret, digestmod="sha256")
        fh.write(MAGIC + b"0" * mac.digest_size * 2 + b"\n")

        class Signed:
            def write(self, chunk: bytes) -> int:
                mac.update(chunk)
                return fh.write(chunk)

        from .bulk import paused_gc

        with paused_gc():  # pickling a big graph makes millions of temporary objects
            pickle.dump(obj, Signed(), protocol=pickle.HIGHEST_PROTOCOL)
        fh.seek(len(MAGIC))
        fh.write(mac.hexdigest().encode())

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, write)
    except Exception:  # a read-only or full disk must not break the command
        return


class GraphCache:
    """Cached views of one set of sources (``None``: the bundled graph)."""

    def __init__(self, paths: Sequence[Path] | None, *, root: Path | None = None) -> None:
        self.paths = list(paths) if paths else None
        self.root = root or default_root()
        self._key: str | None = None
        self._secret: bytes | None = None

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

    def secret(self) -> bytes | None:
        """The signing secret, or None (after one warning) when the folder is not private."""
        if self._secret is None:
            problem = private_folder_problem(self.root)
            if problem is None:
                self._secret = user_secret(self.root)
                if self._secret is None:
                    problem = f"{self.root / SECRET_FILE} is not a private file of this user"
            if problem is not None:
                if problem not in _warned:
                    _warned.add(problem)
                    log.warning("aipath: warning: %s; running without the cache", problem)
                return None
        return self._secret

    def entry(self, name: str, make: Callable[[], Any]) -> Any:
        """The object cached as ``name`` in this entry's folder, made (and signed) on a miss.

        Without a usable private folder (or with the cache off) it is just ``make()``.
        """
        secret = self.secret() if enabled() else None
        if secret is None:
            return make()
        path = self.folder / name
        obj = read_entry(path, secret)
        if obj is None:
            obj = make()
            write_entry(path, obj, secret)
            self.prune()
        return obj

    def graph(self) -> Any:
        """The rdflib graph (built and validated for errors on a miss)."""
        from .graph import load_graph

        return self.entry("graph.bin", lambda: load_graph(self.paths))

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
            self.entry("graph.bin", lambda: result.graph)  # kept for the commands that need it
            return {"quads": nquads(result.parts), "index": build_index(result.graph)}

        return self.entry("dataset.bin", make)

    def views(self) -> dict[str, Any]:
        """``{"prerequisites": DiGraph, "relations": DiGraph, "index": name index}``."""

        def make() -> dict[str, Any]:
            from .project import views

            return views(self.graph())

        return self.entry("views.bin", make)

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
