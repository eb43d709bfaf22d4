"""The HTTP server: SPARQL 1.1 endpoint, JSON API and web explorer in one ASGI app.

:func:`create_app` builds a Starlette application over one graph. Routes:

- ``/sparql`` — the SPARQL 1.1 Protocol (:mod:`aipath_graph.server.protocol`);
  ``/update`` refuses every request with 403;
- ``/api/…`` — the JSON API (:mod:`aipath_graph.server.api`);
- ``/`` and ``/static/…`` — the web explorer (``aipath_graph/server/web``);
- ``/healthz`` — ``{"ok": true}`` once the query workers are up.

Limits: each SPARQL job runs in a worker process under ``timeout`` seconds,
fairly between clients (:mod:`aipath_graph.server.pool`); answers have at most
``max_rows`` rows and ``max_bytes`` bytes; request bodies over ``max_body``
bytes get 413, and a body that has not arrived within ``body_timeout`` seconds
gets 408. One client (IP address) has at most ``per_client_requests``
requests in progress, everyone together ``max_requests`` (then 429 / 503).
A request whose client goes away is cancelled, and so is its query.
Errors never carry a traceback: the API answers with its JSON envelope, the
SPARQL endpoint with one line of text. The app holds no global state; run it
with any ASGI server — :func:`serve` runs it with Hypercorn, whose
``keep_alive_timeout`` closes a connection that has not sent complete request
headers within a few seconds (idle, or slowloris) and which has no connection
limit for idle sockets to use up: only requests in progress are counted, here.

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> app = create_app(load_graph(), timeout=5, max_rows=1000)
>>> sorted({r.path for r in app.routes})
['/', '/api', '/healthz', '/sparql', '/static', '/update']
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aipath_graph.answers import Session
from aipath_graph.errors import AipathError
from aipath_graph.i18n import DEFAULT_LANG, LANGS
from aipath_graph.server.api import api_routes, error_response
from aipath_graph.server.pool import (
    CLIENT,
    QueryPool,
    QueryTimeoutError,
    RemoteError,
    ServerBusyError,
    TooManyQueriesError,
)
from aipath_graph.server.protocol import HTTPError, sparql_endpoint, update_endpoint

__all__ = [
    "WEB_DIR",
    "RequestGuard",
    "create_app",
    "default_workers",
    "is_loopback",
    "serve",
    "status_for",
]

WEB_DIR = Path(__file__).parent / "web"
log = logging.getLogger("aipath.server")

#: HTTP status of each library error class (by name); anything else is 400.
STATUS = {
    "QuerySyntaxError": 400,
    "QueryRefusedError": 403,
    "UnknownQueryError": 404,
    "UnknownTermError": 404,
    "NodeNotFound": 404,
    "NoPathError": 404,
    "AmbiguousTermError": 400,
    "NotAcceptableError": 406,
    "QueryTimeoutError": 503,
    "ServerBusyError": 503,
    "TooManyQueriesError": 429,
    "InternalError": 500,
    "WorkerCrashed": 500,
    "CycleError": 500,
    "InvalidGraphError": 500,
}
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)


def status_for(exc: BaseException) -> int:
    """The HTTP status of an error.

    Examples
    --------
    >>> from aipath_graph.errors import UnknownTermError
    >>> status_for(UnknownTermError("x")), status_for(RemoteError("QueryRefusedError", "no"))
    (404, 403)
    """
    if isinstance(exc, HTTPError):
        return exc.status
    if isinstance(exc, QueryTimeoutError | ServerBusyError):
        return 503
    if isinstance(exc, TooManyQueriesError):
        return 429
    kind = exc.kind if isinstance(exc, RemoteError) else type(exc).__name__
    return STATUS.get(kind, 400 if isinstance(exc, AipathError) else 500)


def _plain(status: int, message: str, scope: Scope, headers: dict[str, str]) -> Response:
    if scope["path"].startswith("/api"):
        kind = {408: "RequestTimeout", 413: "PayloadTooLarge", 429: "TooManyRequests"}
        response: Response = error_response(message, status, kind.get(status, "ServerBusy"))
    else:
        response = PlainTextResponse(message + "\n", status_code=status)
    response.headers.update(headers)
    return response


class RequestGuard:
    """ASGI middleware: bounded requests, fair between clients, cancelled when the client leaves.

    - at most ``max_requests`` requests in progress (503 beyond), at most
      ``per_client`` of them from one client address (429 beyond);
    - the body is read before the app runs: at most ``max_body`` bytes (413)
      within ``body_timeout`` seconds (408), so no client can stream an
      endless or endlessly slow body into a handler;
    - while the app runs, a disconnect from the client cancels it (and with
      it any query it waits for: see :mod:`aipath_graph.server.pool`);
    - the client address is put in :data:`aipath_graph.server.pool.CLIENT`.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_body: int,
        *,
        body_timeout: float = 10.0,
        max_requests: int = 256,
        per_client: int = 32,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.max_requests = max_requests
        self.per_client = per_client
        self.in_progress = 0
        self.by_client: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = str((scope.get("client") or ("",))[0] or "")
        mine = self.by_client.get(client, 0)
        if mine >= self.per_client:
            message = f"too many requests at once from your address (limit {self.per_client})"
            await _plain(429, message, scope, {"Retry-After": "1"})(scope, receive, send)
            return
        if self.in_progress >= self.max_requests:
            message = "the server is busy; try again in a moment"
            await _plain(503, message, scope, {"Retry-After": "1"})(scope, receive, send)
            return
        self.in_progress += 1
        self.by_client[client] = mine + 1
        token = CLIENT.set(client)
        try:
            await self._guarded(scope, receive, send)
        finally:
            CLIENT.reset(token)
            self.in_progress -= 1
            self.by_client[client] -= 1
            if not self.by_client[client]:
                del self.by_client[client]

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise OverflowError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = f"the request body is larger than the limit of {self.max_body} bytes"
        close = {"Connection": "close"}
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _plain(413, too_big, scope, close)(scope, receive, send)
            return
        try:
            body = await asyncio.wait_for(self._read_body(receive), self.body_timeout)
        except OverflowError:
            await _plain(413, too_big, scope, close)(scope, receive, send)
            return
        except TimeoutError:
            late = f"the request did not arrive complete within {self.body_timeout:g} s"
            await _plain(408, late, scope, close)(scope, receive, send)
            return
        if body is None:
            return  # the client left before sending its request
        gone = asyncio.Event()
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        task: asyncio.Task[None] = asyncio.ensure_future(self.app(scope, replay, send))

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    gone.set()
                    task.cancel()  # nobody is waiting for the answer: stop working on it
                    return

        watcher = asyncio.get_running_loop().create_task(watch())
        try:
            await task
        except asyncio.CancelledError:
            if not gone.is_set():
                raise
        finally:
            watcher.cancel()
            if not task.done():
                task.cancel()


class SecurityHeaders:
    """ASGI middleware: ``nosniff``, no referrer, and a strict CSP for the explorer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, _relative(v)) if k.lower() == b"location" else (k, v)
                    for k, v in message.get("headers") or []
                ]
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", _CSP.encode()))
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _relative(location: bytes) -> bytes:
    """A redirect target without scheme and host: the Host header never comes back to a client.

    >>> _relative(b"http://evil.example/api/"), _relative(b"/api/?q=1")
    (b'/api/', b'/api/?q=1')
    """
    from urllib.parse import urlsplit

    parts = urlsplit(location.decode("latin-1"))
    if not parts.scheme and not parts.netloc:
        return location
    path = "/" + parts.path.lstrip("/")  # never "//host": that would be absolute again
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


def _error(request: Request, exc: Exception) -> Response:
    status = status_for(exc)
    kind = exc.kind if isinstance(exc, RemoteError) else type(exc).__name__
    if not isinstance(exc, AipathError) or kind in ("WorkerCrashed", "InternalError"):
        kind = "InternalError"  # never a Python exception name in an answer
    extra: dict[str, Any] = {}
    if isinstance(exc, RemoteError):
        extra = exc.extra
    else:
        extra = {k: list(getattr(exc, k)) for k in ("suggestions", "candidates") if hasattr(exc, k)}
    lang = request.query_params.get("lang", DEFAULT_LANG)
    text = (
        exc.message(lang if lang in LANGS else DEFAULT_LANG) if isinstance(exc, AipathError) else ""
    )
    message = " ".join(text.split()) if isinstance(exc, AipathError) else "internal error"
    if status >= 500 and not isinstance(exc, AipathError):
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    if request.url.path.startswith("/api"):
        return error_response(message, status, kind, extra)
    busy = isinstance(exc, ServerBusyError | TooManyQueriesError)
    headers = {"Retry-After": "1"} if busy else None
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = str(exc.detail)
    if request.url.path.startswith("/api"):
        return error_response(message, exc.status_code, "HTTPError")
    return PlainTextResponse(message + "\n", status_code=exc.status_code, headers=exc.headers)


def _load(graph_or_sources: Graph | Sequence[Path | str] | None) -> tuple[Graph, bytes | None]:
    """The graph, and the dataset's named graphs as N-Quads (None for a bare graph)."""
    if isinstance(graph_or_sources, Graph):
        return graph_or_sources, None
    from aipath_graph.cache import GraphCache

    paths = [Path(p) for p in graph_or_sources] if graph_or_sources else None
    cache = GraphCache(paths)
    return cache.graph(), cache.dataset()["quads"]


def graph_sizes(quads: bytes) -> dict[str, int]:
    """Triples per named graph in N-Quads (each line ends with its graph's IRI).

    Examples
    --------
    >>> graph_sizes(b'<urn:a> <urn:p> "x" <urn:g> .\\n<urn:b> <urn:p> <urn:c> <urn:g> .\\n')
    {'urn:g': 2}
    """
    sizes: dict[str, int] = {}
    for line in quads.splitlines():
        if line:
            name = line[line.rindex(b" <") + 2 : line.rindex(b">")].decode("utf-8")
            sizes[name] = sizes.get(name, 0) + 1
    return sizes


def create_app(
    graph_or_sources: Graph | Sequence[Path | str] | None = None,
    *,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    max_body: int = 256 * 1024,
    cors: Sequence[str] = (),
    workers: int | None = None,
    max_bytes: int = 4 << 20,
    per_client: int | None = None,
    public_url: str | None = None,
    body_timeout: float = 10.0,
    max_requests: int = 256,
    per_client_requests: int = 32,
    cache_bytes: int = 32 << 20,
    quads: bytes | None = None,
    answer_cache: int = 512,
) -> Starlette:
    """Build the ASGI app over one graph.

    Parameters
    ----------
    graph_or_sources : rdflib.Graph, or paths, or None
        The graph, or the ``--data`` sources to load it from (None: the bundled graph).
    timeout : float
        Seconds a SPARQL query (or a query-backed API call) may run.
    max_rows : int
        At most this many rows in a SPARQL answer.
    max_body : int
        Largest request body in bytes.
    cors : sequence of str
        Origins allowed to call the server from a browser (``"*"`` for any);
        empty: no CORS headers.
    workers : int, optional
        Regular query worker processes (default: :func:`default_workers`);
        one more runs the fast lane for cheap queries.
    max_bytes : int
        At most this many bytes in a SPARQL answer (rows cut, and said so).
    per_client : int, optional
        Queries one client may have running at once; more wait their turn
        (default: half the regular workers, at least 1).
    public_url : str, optional
        The URL the server is reached at (behind a proxy); the service
        description names ``PUBLIC_URL/sparql`` as its endpoint. Without it,
        the endpoint is given as the request path, relative.
    body_timeout : float
        Seconds a request body may take to arrive.
    max_requests, per_client_requests : int
        Requests in progress in all, and from one client address.
    cache_bytes : int
        Bytes of answers kept for repeated queries.
    quads : bytes, optional
        The dataset's named graphs as N-Quads, when a graph is given (built
        from the sources when sources are given); without them the endpoint
        has a default graph and no named graphs.
    answer_cache : int
        Answers of repeated SPARQL jobs kept in memory (0: none), within ``cache_bytes``.

    Returns
    -------
    starlette.applications.Starlette
        Its query workers start with the app's lifespan and stop with it.
    """
    workers = default_workers() if workers is None else workers
    if min(timeout, max_rows, max_body, workers, max_bytes, per_client or 1, body_timeout) <= 0:
        raise ValueError("timeout, max_rows, max_body, workers and the limits must be positive")
    if answer_cache < 0:
        raise ValueError("answer_cache must be 0 or more")
    graph, built = _load(graph_or_sources)
    quads = quads if quads is not None else built
    session = Session.over(graph)
    for lang in LANGS:  # build both projections before the first request
        session.prereq(lang)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = QueryPool(
            graph,
            size=workers,
            timeout=timeout,
            max_rows=max_rows,
            max_bytes=max_bytes,
            per_client=per_client,
            cache_bytes=cache_bytes,
            quads=quads,
            cache_size=answer_cache,
        )
        await pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse(
            {
                "ok": True,
                "triples": len(graph),
                "workers": request.app.state.pool.workers,
                "idle_workers": request.app.state.pool.idle,
            }
        )

    async def index(request: Request) -> Response:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    routes = [
        Route("/", index),
        Route("/healthz", healthz),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/update", update_endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/api", lambda request: api_index_redirect()),
        Mount("/api", routes=api_routes()),
        Mount("/static", app=StaticFiles(directory=WEB_DIR, follow_symlink=False), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            RequestGuard,
            max_body=max_body,
            body_timeout=body_timeout,
            max_requests=max_requests,
            per_client=per_client_requests,
        ),
    ]
    if cors:
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                max_age=600,
            ),
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={AipathError: _error, HTTPException: _http_error, Exception: _error},
        lifespan=lifespan,
    )
    app.state.session = session
    app.state.triples = len(graph)
    app.state.limits = {
        "timeout": timeout,
        "max_rows": max_rows,
        "max_bytes": max_bytes,
        "max_body": max_body,
    }
    app.state.public_url = public_url.rstrip("/") if public_url else None
    app.state.named_graphs = graph_sizes(quads) if quads else {}
    return app


def default_workers() -> int:
    """Regular query workers by default: one per core, at least 2.

    >>> default_workers() >= 2
    True
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(2, cores or 1)


def is_loopback(host: str) -> bool:
    """True when ``host`` only listens on this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    app: ASGIApp,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    header_timeout: float = 5.0,
) -> None:
    """Serve ``app`` with Hypercorn until SIGINT or SIGTERM.

    A connection must send complete request headers within ``header_timeout``
    seconds of opening (or of its previous answer), else it is closed: idle
    sockets and slowloris clients cannot pile up. Headers are at most 16 KiB.
    """
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    config.keep_alive_timeout = header_timeout
    config.read_timeout = None  # a request in progress may wait for its query
    config.h11_max_incomplete_size = 16 * 1024
    config.backlog = 1024
    config.graceful_timeout = 3.0
    config.startup_timeout = 180.0
    config.include_server_header = False
    config.loglevel = log_level.upper()
    config.accesslog = "-" if log_level == "debug" else None
    config.errorlog = "-"
    _raise_open_files_limit()
    asyncio.run(hypercorn_serve(app, config))  # type: ignore[arg-type]


def _raise_open_files_limit() -> None:
    """Allow as many open sockets as the system lets this user have."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


def api_index_redirect() -> Response:
    """``/api`` → ``/api/`` (the list of endpoints)."""
    from starlette.responses import RedirectResponse

    return RedirectResponse("/api/", status_code=307)
