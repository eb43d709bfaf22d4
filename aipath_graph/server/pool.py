"""Run SPARQL in worker processes: time-limited, byte-limited, fair between clients.

A running query cannot be interrupted from another thread, so the server
never evaluates SPARQL in its own process. :class:`QueryPool` keeps worker
processes, each holding its own copy of the dataset in pyoxigraph (sent once
as N-Quads, or a bare graph as N-Triples, when the worker starts).

Fairness. There are ``size`` regular workers and one *fast lane* worker.
A client (one IP address) has at most ``per_client`` jobs running; more wait
for one of its own to finish. A job takes an idle regular worker; when none
is idle, a client with nothing else running may use the fast lane. A job
there runs on past ``fast_limit`` seconds only while no other job waits for
the lane: then it is stopped and goes back to wait for a regular worker (and
never tries the fast lane again; nor does, for a minute, a client whose query
ran out of time). A cheap query is answered at once. So one client's slow
queries cannot keep another client's cheap one waiting.

Stopping a job. When a job runs past its time limit, or its client goes away
(the caller is cancelled), the worker is interrupted in place (``SIGUSR1``;
the query stops when its evaluation next hands control back to Python, such
as between two solutions) and is free again at once; a worker that does not
stop within ``grace`` seconds is killed and replaced in the background. A
worker whose memory grew by more than ``recycle_bytes`` over a job is
replaced too, so one huge answer does not pin memory for ever.

Limits on answers: at most ``max_rows`` rows and at most ``max_bytes`` bytes
(whole rows or triples are dropped from the end, and the reply says so in
``X-Aipath-Truncated``, as for rows). Answers to repeated jobs are cached:
at most ``cache_size`` of them and ``cache_bytes`` bytes in all.

A job is a small tuple; :func:`run_job` is what a worker does with it:

``("sparql", text, accept, fmt, default_graphs, named_graphs, base)``
    a query from the SPARQL protocol (the last three — the protocol's dataset
    and the base IRI — may be left out); the answer is serialized in the worker in the
    negotiated format and comes back as a :class:`Reply`.
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
>>> small = WorkerState(g, max_rows=10, max_bytes=3)
>>> reply = run_job(small, ("sparql", "SELECT ?o { <urn:a> ?p ?o }", "text/csv", None))
>>> reply.body, reply.headers
(b'o\\r\\n', {'X-Aipath-Truncated': 'bytes cut at 3 (0 rows kept)'})
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from aipath_graph.answers import Session
from aipath_graph.errors import AipathError

__all__ = [
    "CLIENT",
    "QueryPool",
    "QueryTimeoutError",
    "RemoteError",
    "Reply",
    "ServerBusyError",
    "TooManyQueriesError",
    "WorkerState",
    "run_job",
]

log = logging.getLogger("aipath.server")

#: The client (its IP address) a job runs for; set per request by the server.
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("aipath_client", default="")


class QueryTimeoutError(AipathError):
    """A job ran past the time limit; its worker was stopped."""


class ServerBusyError(AipathError):
    """Every worker stayed busy for the whole time limit."""


class TooManyQueriesError(AipathError):
    """A client already has its limit of jobs running and none finished in time."""


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
    """What a worker keeps between jobs: the limits and a session over its graph."""

    graph: Any
    max_rows: int
    max_bytes: int = 4 << 20
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        from aipath_graph.resolve import Resolver
        from aipath_graph.sparql.engine import OxDataset

        if isinstance(self.graph, OxDataset):  # the worker's dataset: names from its index
            resolver = Resolver.from_index(self.graph.name_index())
            self.session = Session(_sparql=self.graph, _resolver=resolver)
        else:
            self.session = Session.over(self.graph)


def _term_bytes(term: Any) -> int:
    return len(str(term)) + 8


def _fit(result: Any, max_bytes: int, render: Any) -> tuple[bytes, int | None]:
    """``render(result)`` in at most ``max_bytes``, dropping rows (or triples) from the end.

    Returns the body and the number of rows (or triples) kept, None when nothing was cut.
    Nothing much larger than ``max_bytes`` is ever rendered: rows are first cut
    where the text of their terms alone passes the limit.
    """
    from rdflib import Graph as RdfGraph

    graph = result.kind in ("CONSTRUCT", "DESCRIBE")
    items: list[Any] = list(result.graph) if graph else result.rows
    total, keep = 0, len(items)
    for i, item in enumerate(items):
        terms = item if graph else item.values()
        total += sum(_term_bytes(t) for t in terms)
        if total > max_bytes:
            keep = i
            break
    cut = keep < len(items)

    def render_first(n: int) -> bytes:
        if graph:
            part = RdfGraph()
            for prefix, ns in result.graph.namespaces():
                part.bind(prefix, ns)
            for triple in items[:n]:
                part.add(triple)
            result.graph = part
        else:
            result.rows = items[:n]
        return render(result)

    body = render_first(keep) if cut else render(result)
    while len(body) > max_bytes and keep > 0:
        cut = True
        keep = min(keep - 1, int(keep * max_bytes / len(body)))
        body = render_first(keep)
    return body, keep if cut else None


def _sparql(
    state: WorkerState,
    text: str,
    accept: str | None,
    fmt: str | None,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    base: str | None = None,
) -> Reply:
    from aipath_graph.sparql.media import negotiate
    from aipath_graph.sparql.query import run_query
    from aipath_graph.sparql.results import format_result
    from aipath_graph.text import printable

    result = run_query(
        state.graph,
        text,
        limit=state.max_rows + 1,
        max_bytes=state.max_bytes,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        base=base,
    )
    media, name = negotiate(accept, result.kind, fmt)
    headers: dict[str, str] = {}
    if result.kind == "SELECT" and len(result.rows) > state.max_rows:
        del result.rows[state.max_rows :]
        headers["X-Aipath-Truncated"] = f"rows cut at {state.max_rows}"

    def render(r: Any) -> bytes:  # control characters escaped, as in every text output
        if r.kind in ("CONSTRUCT", "DESCRIBE"):
            text = r.graph.serialize(format=name)
        else:
            text = format_result(r, name)
        return printable(text).encode("utf-8")

    body, kept = _fit(result, state.max_bytes, render)
    if kept is not None:
        unit = "triples" if result.kind in ("CONSTRUCT", "DESCRIBE") else "rows"
        headers["X-Aipath-Truncated"] = f"bytes cut at {state.max_bytes} ({kept} {unit} kept)"
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


class _GiveWay(Exception):
    """A job in the fast lane ran past ``fast_limit`` while another waited for the lane."""


class _Stop(BaseException):
    """Raised in a worker by ``SIGUSR1`` to stop the job it is running (see :class:`QueryPool`)."""


def _rss() -> int:
    """Resident memory of this process in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _do(state: WorkerState, job: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        return ("ok", run_job(state, job))
    except AipathError as exc:
        return ("error", *_error_message(exc))
    except RecursionError:
        return ("error", "QueryError", "the query is nested too deeply", {})
    except MemoryError:
        return ("error", "QueryError", "the query needs more memory than a worker has", {})
    except Exception as exc:  # the client gets one line, never a traceback
        kind, message, _ = _error_message(exc)
        return ("crash", kind, message, {})


def _worker_main(
    conn: multiprocessing.connection.Connection,
    data: tuple[Any, ...],
    max_rows: int,
    max_bytes: int = 4 << 20,
    stop: Any = None,
) -> None:
    """Entry point of a worker process: load the graph, then answer jobs until told to stop.

    Every job arrives as ``(number, job)`` and gets exactly one reply, whatever
    happens; ``SIGUSR1`` stops the job whose number the parent put in ``stop``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    from aipath_graph.sparql.engine import OxDataset

    current = [-1]

    def on_stop(signum: int, frame: Any) -> None:
        if stop is not None and current[0] >= 0 and stop.value == current[0]:
            raise _Stop

    signal.signal(signal.SIGUSR1, on_stop)
    # SPARQL runs on pyoxigraph: the dataset's named graphs, or a bare graph as default graph.
    kind, payload, index = data
    load = OxDataset.from_quads if kind == "nquads" else OxDataset.from_triples
    graph = load(payload)
    graph.index = index
    state = WorkerState(graph, max_rows, max_bytes)
    # Warm up (imports, the query engine), so the first real query is as fast as any other.
    run_job(state, ("sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "text/csv", None))
    try:
        conn.send(("ready", _rss()))
    except OSError:
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        number, job = message
        try:
            current[0] = number
            try:
                out = _do(state, job)
            finally:
                current[0] = -1
        except _Stop:  # the stop may land anywhere in the block above: still one reply
            current[0] = -1
            out = ("stopped",)
        try:
            conn.send(out)
        except (OSError, ValueError):
            return


def _size(message: tuple[Any, ...]) -> int:
    value = message[1] if message[0] == "ok" else message[2]
    if isinstance(value, Reply):
        return len(value.body) + 200
    return len(repr(value))


def _process_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: multiprocessing.connection.Connection
    stop: Any
    rss: int = 0
    fast: bool = False
    jobs: int = 0


class QueryPool:
    """Worker processes that run jobs under a time limit, fairly between clients.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to query; each worker gets a copy (in pyoxigraph).
    quads : bytes, optional
        The dataset's named graphs as N-Quads (:mod:`aipath_graph.dataset`);
        without them the workers hold ``graph`` as the default graph only.
    size : int
        Regular worker processes (the fast lane adds one more).
    timeout : float
        Seconds a job may take in all: waiting for a worker and running.
    max_rows : int
        At most this many rows in an answer.
    max_bytes : int
        At most this many bytes in a SPARQL protocol answer.
    per_client : int, optional
        Jobs one client may have running at once; more wait their turn
        (default: half the regular workers, at least 1, so that one client
        never holds them all).
    fast_lane : bool
        Keep one extra worker for clients that have nothing else running.
    fast_limit : float
        Seconds a job may run in the fast lane before it gives way to another.
    grace : float
        Seconds a stopped worker may take to stop before it is killed.
    start_timeout : float
        Seconds a new worker may take to load the graph.
    cache_size : int
        Answers kept for repeated jobs (the graph is read-only, so a job's
        answer never changes); 0 turns the cache off.
    cache_bytes : int
        Bytes of answers kept for repeated jobs (the graph is read-only, so a
        job's answer never changes); 0 turns the cache off. Timeouts are not kept.
    recycle_bytes : int
        A worker whose resident memory grew by more than this is replaced.
    spares : int
        Warm worker processes kept loaded to replace at once a worker that
        had to be killed (its query would not stop).

    Examples
    --------
    >>> import asyncio
    >>> from rdflib import Graph
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> .", format="nt")
    >>> async def demo():
    ...     async with QueryPool(g, size=1, timeout=20, fast_lane=False) as pool:
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
        max_bytes: int = 4 << 20,
        per_client: int | None = None,
        fast_lane: bool = True,
        fast_limit: float = 0.5,
        grace: float = 0.5,
        start_timeout: float = 120.0,
        cache_bytes: int = 32 << 20,
        recycle_bytes: int = 256 << 20,
        cache_size: int = 512,
        quads: bytes | None = None,
        spares: int = 1,
    ) -> None:
        per_client = max(1, size // 2) if per_client is None else per_client
        if size < 1 or per_client < 1:
            raise ValueError("a pool needs at least one worker, and a client at least one job")
        self.size = size
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.per_client = per_client
        self.fast_lane = fast_lane
        self.fast_limit = fast_limit
        self.grace = grace
        self.start_timeout = start_timeout
        self.recycle_bytes = recycle_bytes
        from aipath_graph.resolve import build_index

        index = build_index(graph)
        if quads is not None:
            self._data: tuple[Any, ...] = ("nquads", quads, index)
        else:
            self._data = ("nt", graph.serialize(format="nt", encoding="utf-8"), index)
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._free = asyncio.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: dict[str, int] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._closed = False
        self._number = 0
        self.restarts = 0
        self.spares = spares
        self._spares: list[_Worker] = []
        self.stopped = 0
        self._cache: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], int]] = OrderedDict()
        self._cache_used = 0
        self._slow: OrderedDict[tuple[Any, ...], None] = OrderedDict()  # too slow for the fast lane
        self._hogs: dict[str, float] = {}
        self._fast_waiting = 0  # jobs waiting that could take the fast lane  # client → when one of its jobs last ran out of time
        self.cache_bytes = cache_bytes if cache_size > 0 else 0
        self.cache_size = cache_size
        self.cache_item_bytes = min(1 << 20, cache_bytes // 8)

    async def __aenter__(self) -> QueryPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def workers(self) -> int:
        """Worker processes in all (regular ones and the fast lane)."""
        return self.size + (1 if self.fast_lane else 0)

    @property
    def idle(self) -> int:
        """Workers waiting for a job right now."""
        return len(self._idle)

    async def start(self) -> None:
        """Start every worker (and the warm spares) and wait until each has loaded the graph."""
        fast = [False] * self.size + ([True] if self.fast_lane else [])
        workers = await asyncio.gather(*(self._spawn(f) for f in fast))
        self._idle += workers
        self._spares += await asyncio.gather(*(self._spawn(False) for _ in range(self.spares)))

    async def _spawn(self, fast: bool) -> _Worker:
        parent, child = self._ctx.Pipe()
        stop = self._ctx.Value("q", -1, lock=False)
        process = self._ctx.Process(
            target=_worker_main,
            args=(child, self._data, self.max_rows, self.max_bytes, stop),
            name="aipath-sparql-fast" if fast else "aipath-sparql",
            daemon=True,
        )
        await asyncio.to_thread(process.start)
        child.close()
        worker = _Worker(process, parent, stop, fast=fast)
        self._all.add(worker)
        try:
            await self._wait_readable(parent, self.start_timeout)
            message = parent.recv()
        except (TimeoutError, EOFError, OSError):
            self._kill(worker)
            raise AipathError("a query worker failed to start") from None
        if not (isinstance(message, tuple) and message[0] == "ready"):
            self._kill(worker)
            raise AipathError("a query worker failed to start")
        worker.rss = (_process_rss(process.pid) if process.pid else None) or message[1]
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
            await asyncio.wait_for(ready, max(timeout, 0.0))
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

    def _background(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker``; a warm spare takes its place at once, and a new one is started.

        A query evaluated by Oxigraph cannot always be interrupted in place (a
        long step runs without handing control back to Python), so the way to
        free its worker at once is a spare that has already loaded the graph.
        """
        self._kill(worker)
        if self._closed:
            return
        self.restarts += 1
        spare = self._spares.pop() if self._spares else None
        if spare is not None:
            spare.fast = worker.fast
            self._release(spare)

        async def respawn() -> None:
            while not self._closed:
                try:
                    fresh = await self._spawn(worker.fast if spare is None else False)
                except AipathError:
                    await asyncio.sleep(1.0)
                    continue
                if self._closed:
                    self._kill(fresh)
                elif spare is not None:
                    self._spares.append(fresh)
                else:
                    self._release(fresh)
                return

        self._background(respawn())

    def _release(self, worker: _Worker) -> None:
        """Put ``worker`` back among the idle ones (synchronous: a cancelled caller cannot lose it)."""
        self._idle.append(worker)

        async def notify() -> None:
            async with self._free:
                self._free.notify_all()

        self._background(notify())

    def _pick(self, client: str, *, fast: bool) -> _Worker | None:
        """An idle regular worker, else the fast lane when ``fast`` and ``client`` has nothing else running."""
        for w in self._idle:
            if not w.fast:
                self._idle.remove(w)
                return w
        if fast and self._running.get(client, 0) <= 1:  # this job is its only one
            for w in self._idle:
                self._idle.remove(w)
                return w
        return None

    async def _acquire(self, client: str, deadline: float, *, fast: bool) -> _Worker:
        async with self._free:
            while True:
                if self._closed:
                    raise ServerBusyError("the server is shutting down")
                worker = self._pick(client, fast=fast)
                if worker is not None:
                    return worker
                wants_fast = fast and self._running.get(client, 0) <= 1
                self._fast_waiting += wants_fast
                try:
                    await asyncio.wait_for(self._free.wait(), deadline - time.monotonic())
                except TimeoutError:
                    raise ServerBusyError(
                        f"every query worker stayed busy for {self.timeout:g} s; try again later"
                    ) from None
                finally:
                    self._fast_waiting -= wants_fast

    async def _stop(self, worker: _Worker, number: int) -> None:
        """Interrupt the job ``number`` on ``worker``; free it, or replace it if it does not stop."""
        self.stopped += 1
        worker.stop.value = number
        with contextlib.suppress(OSError):
            os.kill(worker.process.pid, signal.SIGUSR1)
        try:
            await self._wait_readable(worker.conn, self.grace)
            worker.conn.recv()  # its one reply: "stopped", or an answer that came first
        except (TimeoutError, EOFError, OSError, ValueError):
            self._replace(worker)
            return
        self._release(worker)

    async def _wait_reply(self, worker: _Worker, limit: float) -> None:
        """Wait for ``worker``'s reply; in the fast lane, give way after ``fast_limit`` if others wait."""
        if not worker.fast:
            await self._wait_readable(worker.conn, limit)
            return
        end = time.monotonic() + limit
        first = min(self.fast_limit, limit)
        with contextlib.suppress(TimeoutError):
            await self._wait_readable(worker.conn, first)
            return
        while True:  # past fast_limit: run on while nobody needs the fast lane
            if self._fast_waiting:
                raise _GiveWay
            left = end - time.monotonic()
            with contextlib.suppress(TimeoutError):
                await self._wait_readable(worker.conn, min(0.05, left))
                return
            if left <= 0.05:
                raise TimeoutError

    async def _send(self, worker: _Worker, job: tuple[Any, ...], limit: float) -> tuple[Any, ...]:
        """Run ``job`` on ``worker`` for at most ``limit`` seconds; the worker is released after."""
        self._number += 1
        number = self._number
        try:
            worker.conn.send((number, job))
            await self._wait_reply(worker, limit)
            message: tuple[Any, ...] = worker.conn.recv()
        except (TimeoutError, _GiveWay):
            stopping = asyncio.get_running_loop().create_task(self._stop(worker, number))
            self._tasks.add(stopping)
            stopping.add_done_callback(self._tasks.discard)
            await asyncio.shield(stopping)  # a client leaving meanwhile must not lose the worker
            raise
        except asyncio.CancelledError:  # the client went away: stop its job now
            self._background(self._stop(worker, number))
            raise
        except (EOFError, OSError, ValueError):
            self._replace(worker)
            raise RemoteError("WorkerCrashed", "the query worker stopped unexpectedly") from None
        worker.jobs += 1
        if (
            self.recycle_bytes
            and _process_rss(worker.process.pid) > worker.rss + self.recycle_bytes
        ):
            self._replace(worker)  # a huge answer left its memory behind: start afresh
        else:
            self._release(worker)
        return message

    def _slot(self, client: str) -> asyncio.Semaphore:
        slot = self._slots.get(client)
        if slot is None:
            slot = self._slots[client] = asyncio.Semaphore(self.per_client)
        return slot

    async def run(
        self, job: tuple[Any, ...], *, timeout: float | None = None, client: str | None = None
    ) -> Any:
        """Run one job for ``client`` (default: :data:`CLIENT`) and return its result.

        Raises
        ------
        QueryTimeoutError
            The job ran past the time limit (its worker was stopped).
        ServerBusyError
            No worker became idle within the time limit.
        TooManyQueriesError
            The client's earlier jobs kept all its slots for the whole time limit.
        RemoteError
            The job raised an error in the worker.
        """
        limit = self.timeout if timeout is None else timeout
        if job in self._cache:  # the graph never changes: a repeated job has the same answer
            self._cache.move_to_end(job)
            return self._answer(self._cache[job][0])
        if self._closed:
            raise ServerBusyError("the server is shutting down")
        client = CLIENT.get() if client is None else client
        deadline = time.monotonic() + limit
        slot = self._slot(client)
        try:
            await asyncio.wait_for(slot.acquire(), limit)
        except TimeoutError:
            raise TooManyQueriesError(
                f"you already have {self.per_client} queries running and none finished within "
                f"{limit:g} s; wait for them before sending more"
            ) from None
        self._running[client] = self._running.get(client, 0) + 1
        try:
            message = await self._run(job, client, deadline, limit)
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
                if not slot.locked():
                    self._slots.pop(client, None)
            slot.release()
        if message[0] in ("ok", "error") and self.cache_bytes:
            self._remember(job, message)
        return self._answer(message)

    async def _run(
        self, job: tuple[Any, ...], client: str, deadline: float, limit: float
    ) -> tuple[Any, ...]:
        hogged = time.monotonic() - self._hogs.get(client, -1e9) < 60
        fast = self.fast_lane and job not in self._slow and not hogged
        while True:
            worker = await self._acquire(client, deadline, fast=fast)
            left = deadline - time.monotonic()
            try:
                return await self._send(worker, job, left)
            except _GiveWay:
                fast = False  # not cheap after all: wait for a regular worker
                self._slow[job] = None  # and never try the fast lane with it again
                if len(self._slow) > 4096:
                    self._slow.popitem(last=False)
                continue
            except TimeoutError:
                # A client whose queries run out of time keeps off the fast lane for a minute.
                self._hogs[client] = time.monotonic()
                if len(self._hogs) > 4096:
                    self._hogs = {c: t for c, t in self._hogs.items() if time.monotonic() - t < 60}
                raise QueryTimeoutError(
                    f"the query ran longer than the time limit of {limit:g} s and was stopped"
                ) from None

    def _remember(self, job: tuple[Any, ...], message: tuple[Any, ...]) -> None:
        size = _size(message) + len(repr(job))
        if size > self.cache_item_bytes:
            return
        self._cache[job] = (message, size)
        self._cache_used += size
        while self._cache_used > self.cache_bytes or len(self._cache) > self.cache_size:
            _, (_, old) = self._cache.popitem(last=False)
            self._cache_used -= old

    @staticmethod
    def _answer(message: tuple[Any, ...]) -> Any:
        status, *rest = message
        if status == "ok":
            return rest[0]
        kind, text, extra = rest
        if status == "error":
            raise RemoteError(kind, text, extra)
        log.error("a query failed in a worker: %s: %s", kind, text)
        raise RemoteError(
            "InternalError", "the query failed: an internal error (see the server log)"
        )

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        async with self._free:
            self._free.notify_all()
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in list(self._all):
            await asyncio.to_thread(worker.process.join, 2)
            self._kill(worker)
