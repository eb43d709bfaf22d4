"""Run SPARQL in worker processes, each under a time limit that really stops it.

A running rdflib query cannot be interrupted from another thread, so the
server never evaluates SPARQL in its own process. :class:`QueryPool` keeps a
few worker processes, each holding its own copy of the graph (sent once as
N-Triples when the worker starts). A job goes to an idle worker; if the
answer does not come back within the time limit the worker is killed, a
fresh one is started in the background, and the caller gets
:class:`QueryTimeoutError`. Other workers keep answering meanwhile.

A job is a small tuple; :func:`run_job` is what a worker does with it:

``("sparql", text, accept, fmt)``
    a query from the SPARQL protocol; the answer is serialized in the worker
    in the negotiated format and comes back as a :class:`Reply`.
``("named", name, params, lang)``
    a named query with string parameters (a tuple of key/value pairs);
    SPARQL JSON results as a dict.
``("rows", name, term, lang, direct)``
    the rows of ``aipath prereqs`` / ``aipath dependents`` (``name`` is
    ``prerequisites`` or ``dependents``).

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> .", format="nt")
>>> state = WorkerState(g, max_rows=10)
>>> reply = run_job(state, ("sparql", "SELECT ?o { <urn:a> ?p ?o }", "text/csv", None))
>>> reply.status, reply.media_type, reply.body
(200, 'text/csv', b'o\\r\\nurn:b\\r\\n')
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import multiprocessing.connection
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from aipath_graph.answers import Session
from aipath_graph.errors import AipathError

__all__ = [
    "QueryPool",
    "QueryTimeoutError",
    "RemoteError",
    "Reply",
    "ServerBusyError",
    "WorkerState",
    "run_job",
]


class QueryTimeoutError(AipathError):
    """A job ran past the time limit; its worker was stopped."""


class ServerBusyError(AipathError):
    """Every worker stayed busy for the whole time limit."""


class RemoteError(AipathError):
    """An error raised in a worker, carried back by class name and message.

    ``kind`` is the name of the original exception class; ``extra`` holds its
    ``suggestions`` or ``candidates`` when it had them.
    """

    def __init__(self, kind: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.extra = dict(extra or {})


@dataclass(frozen=True)
class Reply:
    """An HTTP answer made in a worker: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class WorkerState:
    """What a worker keeps between jobs: the row limit and a session over its graph."""

    graph: Graph
    max_rows: int
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        self.session = Session.over(self.graph)


def _sparql(state: WorkerState, text: str, accept: str | None, fmt: str | None) -> Reply:
    from aipath_graph.sparql.media import negotiate
    from aipath_graph.sparql.query import run_query
    from aipath_graph.sparql.results import format_result

    result = run_query(state.graph, text, limit=state.max_rows + 1)
    media, name = negotiate(accept, result.kind, fmt)
    headers: dict[str, str] = {}
    if result.kind == "SELECT" and len(result.rows) > state.max_rows:
        del result.rows[state.max_rows :]
        headers["X-Aipath-Truncated"] = f"rows cut at {state.max_rows}"
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        body = result.graph.serialize(format=name, encoding="utf-8")
    else:
        body = format_result(result, name).encode("utf-8")
    return Reply(200, media, body, headers)


def _named(
    state: WorkerState, name: str, params: tuple[tuple[str, str], ...], lang: str
) -> dict[str, Any]:
    from aipath_graph.sparql.query import get_named_query, run_named
    from aipath_graph.sparql.results import format_result

    given = dict(params)
    if any(p.name == "lang" for p in get_named_query(name).params):
        given.setdefault("lang", lang)
    result = run_named(state.graph, name, given, resolve=state.session.iri, limit=state.max_rows)
    return json.loads(format_result(result, "json"))


def run_job(state: WorkerState, job: tuple[Any, ...]) -> Any:
    """Do one job in the current process (what a worker does; see the module docstring)."""
    kind, *args = job
    if kind == "sparql":
        return _sparql(state, *args)
    if kind == "named":
        return _named(state, *args)
    if kind == "rows":
        from aipath_graph.answers import related_rows

        name, term, lang, direct = args
        return related_rows(state.session, name, term, lang=lang, direct=direct)
    raise ValueError(f"unknown job {kind!r}")


def _error_message(exc: BaseException) -> tuple[str, str, dict[str, Any]]:
    extra = {k: list(getattr(exc, k)) for k in ("suggestions", "candidates") if hasattr(exc, k)}
    message = " ".join(str(exc).split()) or type(exc).__name__
    return type(exc).__name__, message[:2000], extra


def _worker_main(conn: multiprocessing.connection.Connection, data: bytes, max_rows: int) -> None:
    """Entry point of a worker process: load the graph, then answer jobs until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    from aipath_graph.graph import bind_prefixes

    graph = Graph().parse(data=data, format="nt")
    bind_prefixes(graph)
    state = WorkerState(graph, max_rows)
    try:
        conn.send(("ready", None))
    except OSError:
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            out: tuple[Any, ...] = ("ok", run_job(state, job))
        except AipathError as exc:
            out = ("error", *_error_message(exc))
        except RecursionError:
            out = ("error", "QueryError", "the query is nested too deeply", {})
        except Exception as exc:  # the client gets one line, never a traceback
            kind, message, _ = _error_message(exc)
            out = ("crash", kind, message, {})
        try:
            conn.send(out)
        except (OSError, ValueError):
            return


def _size(message: tuple[Any, ...]) -> int:
    value = message[1] if message[0] == "ok" else message[2]
    if isinstance(value, Reply):
        return len(value.body)
    return len(repr(value))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: multiprocessing.connection.Connection


class QueryPool:
    """A few worker processes that run jobs under a time limit.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to query; each worker gets a copy.
    size : int
        Number of worker processes.
    timeout : float
        Seconds a job may run (and, separately, wait for an idle worker).
    max_rows : int
        At most this many rows in an answer.
    start_timeout : float
        Seconds a new worker may take to load the graph.
    cache_size : int
        Answers kept for repeated jobs (the graph is read-only, so a job's
        answer never changes); 0 turns the cache off. Timeouts are not kept.

    Examples
    --------
    >>> import asyncio
    >>> from rdflib import Graph
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> .", format="nt")
    >>> async def demo():
    ...     async with QueryPool(g, size=1, timeout=20) as pool:
    ...         return await pool.run(("sparql", "ASK { ?s ?p ?o }", "text/csv", None))
    >>> asyncio.run(demo()).body
    b'true\\n'
    """

    def __init__(
        self,
        graph: Graph,
        *,
        size: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        start_timeout: float = 120.0,
        cache_size: int = 512,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self.timeout = timeout
        self.max_rows = max_rows
        self.start_timeout = start_timeout
        self._data = graph.serialize(format="nt", encoding="utf-8")
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.restarts = 0
        self._cache: OrderedDict[tuple[Any, ...], tuple[Any, ...]] = OrderedDict()
        self.cache_size = cache_size
        self.cache_item_bytes = 1 << 20

    async def __aenter__(self) -> QueryPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the graph."""
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    async def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main,
            args=(child, self._data, self.max_rows),
            name="aipath-sparql",
            daemon=True,
        )
        await asyncio.to_thread(process.start)
        child.close()
        worker = _Worker(process, parent)
        self._all.add(worker)
        try:
            await self._wait_readable(parent, self.start_timeout)
            message = parent.recv()
        except (TimeoutError, EOFError, OSError):
            self._kill(worker)
            raise AipathError("a query worker failed to start") from None
        if message != ("ready", None):
            self._kill(worker)
            raise AipathError("a query worker failed to start")
        return worker

    @staticmethod
    async def _wait_readable(conn: multiprocessing.connection.Connection, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = conn.fileno()

        def on_ready() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, on_ready)
        try:
            await asyncio.wait_for(ready, timeout)
        finally:
            loop.remove_reader(fd)

    def _kill(self, worker: _Worker) -> None:
        self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        # Reap it without blocking the event loop.
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().run_in_executor(None, worker.process.join, 5)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        if self._closed:
            return
        self.restarts += 1

        async def respawn() -> None:
            while not self._closed:
                try:
                    fresh = await self._spawn()
                except AipathError:
                    await asyncio.sleep(1.0)
                    continue
                if self._closed:
                    self._kill(fresh)
                else:
                    self._idle.put_nowait(fresh)
                return

        task = asyncio.get_running_loop().create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job: tuple[Any, ...], *, timeout: float | None = None) -> Any:
        """Run one job on an idle worker and return its result.

        Raises
        ------
        QueryTimeoutError
            The job ran past the time limit (its worker was replaced).
        ServerBusyError
            No worker became idle within the time limit.
        RemoteError
            The job raised an error in the worker.
        """
        limit = self.timeout if timeout is None else timeout
        if job in self._cache:  # the graph never changes: a repeated job has the same answer
            self._cache.move_to_end(job)
            return self._answer(self._cache[job])
        if self._closed:
            raise ServerBusyError("the server is shutting down")
        try:
            worker = await asyncio.wait_for(self._idle.get(), limit)
        except TimeoutError:
            raise ServerBusyError(
                f"every query worker stayed busy for {limit:g} s; try again later"
            ) from None
        try:
            worker.conn.send(job)
            await self._wait_readable(worker.conn, limit)
            message = worker.conn.recv()
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeoutError(
                f"the query ran longer than the time limit of {limit:g} s and was stopped"
            ) from None
        except asyncio.CancelledError:  # the client went away: the worker may still be busy
            self._replace(worker)
            raise
        except (EOFError, OSError, ValueError):
            self._replace(worker)
            raise RemoteError("WorkerCrashed", "the query worker stopped unexpectedly") from None
        self._idle.put_nowait(worker)
        if message[0] in ("ok", "error") and _size(message) <= self.cache_item_bytes:
            self._cache[job] = message
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return self._answer(message)

    @staticmethod
    def _answer(message: tuple[Any, ...]) -> Any:
        status, *rest = message
        if status == "ok":
            return rest[0]
        kind, text, extra = rest
        raise RemoteError(
            kind if status == "error" else "InternalError",
            text if status == "error" else f"query failed: {text}",
            extra,
        )

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in list(self._all):
            await asyncio.to_thread(worker.process.join, 2)
            self._kill(worker)
