"""The HTTP server: SPARQL 1.1 endpoint, JSON API and web explorer in one ASGI app.

:func:`create_app` builds a Starlette application over one graph. Routes:

- ``/sparql`` — the SPARQL 1.1 Protocol (:mod:`aipath_graph.server.protocol`);
  ``/update`` refuses every request with 403;
- ``/api/…`` — the JSON API (:mod:`aipath_graph.server.api`);
- ``/`` and ``/static/…`` — the web explorer (``aipath_graph/server/web``);
- ``/healthz`` — ``{"ok": true}`` once the query workers are up.

Limits: each SPARQL job runs in a worker process under ``timeout`` seconds
(:mod:`aipath_graph.server.pool`); answers have at most ``max_rows`` rows;
request bodies over ``max_body`` bytes get 413. Errors never carry a
traceback: the API answers with its JSON envelope, the SPARQL endpoint with
one line of text. The app holds no global state; run it with any ASGI
server (``aipath serve`` uses uvicorn).

Examples
--------
>>> from aipath_graph.graph import load_graph
>>> app = create_app(load_graph(), timeout=5, max_rows=1000)
>>> sorted({r.path for r in app.routes})
['/', '/api', '/healthz', '/sparql', '/static', '/update']
"""

from __future__ import annotations

import contextlib
import logging
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
    QueryPool,
    QueryTimeoutError,
    RemoteError,
    ServerBusyError,
)
from aipath_graph.server.protocol import HTTPError, sparql_endpoint, update_endpoint

__all__ = ["WEB_DIR", "BodyLimit", "create_app", "status_for"]

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
    kind = exc.kind if isinstance(exc, RemoteError) else type(exc).__name__
    return STATUS.get(kind, 400 if isinstance(exc, AipathError) else 500)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_body`` bytes with 413.

    The body is read (at most ``max_body + 1`` bytes) before the app runs, so
    a client cannot stream an endless body into a handler.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than the limit of {self.max_body} bytes"
        if scope["path"].startswith("/api"):
            response: Response = error_response(message, 413, "PayloadTooLarge")
        else:
            response = PlainTextResponse(message + "\n", status_code=413)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


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
                headers = list(message.get("headers") or [])
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


def _error(request: Request, exc: Exception) -> Response:
    status = status_for(exc)
    kind = exc.kind if isinstance(exc, RemoteError) else type(exc).__name__
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
    headers = {"Retry-After": "1"} if isinstance(exc, ServerBusyError) else None
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = str(exc.detail)
    if request.url.path.startswith("/api"):
        return error_response(message, exc.status_code, "HTTPError")
    return PlainTextResponse(message + "\n", status_code=exc.status_code, headers=exc.headers)


def _load(graph_or_sources: Graph | Sequence[Path | str] | None) -> Graph:
    if isinstance(graph_or_sources, Graph):
        return graph_or_sources
    from aipath_graph.graph import load_graph

    paths = [Path(p) for p in graph_or_sources] if graph_or_sources else None
    return load_graph(paths)


def create_app(
    graph_or_sources: Graph | Sequence[Path | str] | None = None,
    *,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    max_body: int = 256 * 1024,
    cors: Sequence[str] = (),
    workers: int = 2,
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
    workers : int
        Query worker processes.

    Returns
    -------
    starlette.applications.Starlette
        Its query workers start with the app's lifespan and stop with it.
    """
    if timeout <= 0 or max_rows < 1 or max_body < 1 or workers < 1:
        raise ValueError("timeout, max_rows, max_body and workers must be positive")
    graph = _load(graph_or_sources)
    session = Session.over(graph)
    for lang in LANGS:  # build both projections before the first request
        session.prereq(lang)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = QueryPool(graph, size=workers, timeout=timeout, max_rows=max_rows)
        await pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse(
            {"ok": True, "triples": len(graph), "workers": request.app.state.pool.size}
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
    middleware = [Middleware(SecurityHeaders), Middleware(BodyLimit, max_body=max_body)]
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
    app.state.limits = {"timeout": timeout, "max_rows": max_rows, "max_body": max_body}
    return app


def api_index_redirect() -> Response:
    """``/api`` → ``/api/`` (the list of endpoints)."""
    from starlette.responses import RedirectResponse

    return RedirectResponse("/api/", status_code=307)
