"""HTTP to remote triplestores: one request with a total deadline, a size cap and credentials.

Used by the ``sparql:URL`` store (reads) and by ``push`` (the Graph Store
protocol). Three promises, whatever the server does:

- **a total deadline**: the whole exchange — connect, headers, body — ends
  within ``timeout`` seconds; a server dripping one byte every few seconds is
  cut off when the time is up, not after each byte's socket timeout;
- **a size cap**: at most ``max_bytes`` of answer are read;
- **credentials from the environment or ``~/.netrc``** (never the command line,
  never logged): ``AIPATH_REMOTE_USER`` / ``AIPATH_REMOTE_PASSWORD``, else the
  ``machine`` entry of the endpoint's host in ``~/.netrc``; sent with Basic or
  Digest, whichever the server asks for (Virtuoso's Graph Store endpoint asks
  for Digest).

SPARQL queries use the protocol's most portable forms: ``GET`` for short
queries, a form-encoded ``POST`` for long ones (Virtuoso 7 never answers a
direct ``POST`` of ``application/sparql-query``).

Examples
--------
>>> sparql_request("http://127.0.0.1:7878/query", "ASK {}").get_method()
'GET'
>>> req = sparql_request("http://h/sparql", "ASK {}", graph="https://w3id.org/g")
>>> req.full_url
'http://h/sparql?query=ASK+%7B%7D&default-graph-uri=https%3A%2F%2Fw3id.org%2Fg'
>>> long = sparql_request("http://h/sparql", "ASK {" + " " * 3000 + "}")
>>> long.get_method(), long.get_header("Content-type")
('POST', 'application/x-www-form-urlencoded')
>>> host_of("http://example.org:8890/sparql")
'example.org'
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from .errors import AipathError

#: Longest URL (bytes) sent as a GET; longer queries go as a form-encoded POST.
MAX_GET_URL = 2000
#: Default cap on one answer of a remote store (bytes).
MAX_ANSWER_BYTES = 512 * 1024 * 1024
USER_ENV = "AIPATH_REMOTE_USER"
PASSWORD_ENV = "AIPATH_REMOTE_PASSWORD"
#: What a query asks for: SPARQL results for SELECT/ASK, an RDF syntax for CONSTRUCT.
SPARQL_ACCEPT = (
    "application/sparql-results+xml, application/n-triples;q=0.9, application/rdf+xml;q=0.8"
)

#: Answers a SPARQL endpoint may give to those requests (anything else is not SPARQL).
RESULT_TYPES = frozenset(
    {
        "application/sparql-results+xml",
        "application/sparql-results+json",
        "application/n-triples",
        "application/rdf+xml",
        "text/turtle",
    }
)


class RemoteError(AipathError):
    """A remote store could not be reached, was too slow, or answered with an error."""

    def __init__(self, message: str, *, status: int | None = None, sent: bool = False) -> None:
        super().__init__(message)
        self.status = status
        #: True when the request may have reached the server (its effect is unknown).
        self.sent = sent


class DeadlineExceeded(RemoteError):
    """The exchange did not finish within its total time."""


@dataclass(frozen=True)
class Answer:
    """A successful HTTP answer."""

    status: int
    content_type: str
    body: bytes
    server: str = ""


def host_of(url: str) -> str:
    """The host name of ``url`` (no user, no port)."""
    return urllib.parse.urlsplit(url).hostname or ""


def refuse_userinfo(url: str, option: str) -> None:
    """Refuse credentials written into a URL (they would sit in shell history and logs).

    >>> refuse_userinfo("http://dba:secret@127.0.0.1:8890/sparql", "--to")
    Traceback (most recent call last):
    ...
    aipath_graph.errors.UsageError: --to: the URL holds credentials; set AIPATH_REMOTE_USER and AIPATH_REMOTE_PASSWORD, or use ~/.netrc, instead
    """
    if "@" in urllib.parse.urlsplit(url).netloc:
        from .errors import UsageError

        raise UsageError(
            f"{option}: the URL holds credentials; set {USER_ENV} and {PASSWORD_ENV}, "
            "or use ~/.netrc, instead"
        )


def credentials(url: str) -> tuple[str, str] | None:
    """``(user, password)`` for ``url`` from the environment, else ``~/.netrc``, else None."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user is not None or password is not None:
        return user or "", password or ""
    import netrc

    try:
        entry = netrc.netrc().authenticators(host_of(url))
    except FileNotFoundError:
        return None
    except (netrc.NetrcParseError, OSError) as exc:
        raise RemoteError(f"cannot read ~/.netrc: {exc}") from None
    if entry is None:
        return None
    login, _account, secret = entry
    return login or "", secret or ""


class _Deadline:
    """One total time limit; sockets opened under it are shut down when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        return left

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def watch(self, sock: socket.socket) -> None:
        timer = threading.Timer(self.remaining(), _shut, (sock,))
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing to cut
        sock.shutdown(socket.SHUT_RDWR)


def _handlers(deadline: _Deadline) -> list[Any]:
    """urllib handlers whose connections obey ``deadline``."""

    class HTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    class HTTPSConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(HTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(HTTPSConnection, req)

    return [HTTPHandler(), HTTPSHandler()]


def _auth_handlers(url: str, creds: tuple[str, str] | None) -> list[Any]:
    """Digest and Basic handlers holding ``creds`` for ``url`` (none without credentials)."""
    if creds is None:
        return []
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, *creds)
    return [
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    ]


def _brief(url: str) -> str:
    """``url`` without its query string (a SPARQL query can be long)."""
    return url.split("?", 1)[0]


def fetch(
    req: urllib.request.Request,
    *,
    timeout: float,
    max_bytes: int = MAX_ANSWER_BYTES,
    what: str | None = None,
) -> Answer:
    """Send ``req`` and read its whole answer within ``timeout`` seconds and ``max_bytes``.

    Raises :class:`RemoteError` (one line naming ``what``, default the URL) for
    an unreachable host, an HTTP error status, an answer over the cap, or a
    deadline passed (:class:`DeadlineExceeded`).
    """
    name = what or _brief(req.full_url)
    deadline = _Deadline(timeout)
    sent = False
    try:
        creds = credentials(req.full_url)
        plain = _handlers(deadline)
        auth = _auth_handlers(req.full_url, creds)
        opener = urllib.request.build_opener(*plain, *auth)
        if creds is not None and req.data is not None:
            _preauthorize(req, plain, auth, creds)
        with opener.open(req) as resp:
            sent = True
            chunks, size = [], 0
            while chunk := resp.read(min(65536, max_bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise RemoteError(
                        f"{name} answered more than {max_bytes // (1024 * 1024)} MiB; "
                        "refusing to read on",
                        sent=True,
                    )
            if deadline.passed:
                raise TimeoutError("deadline passed")
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            server = resp.headers.get("Server", "")
            return Answer(resp.status, ctype, b"".join(chunks), server)
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(Exception):  # the error body is only a courtesy
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        hint = ""
        if exc.code in (401, 403):
            hint = (
                f" (credentials: set {USER_ENV} and {PASSWORD_ENV}, or a ~/.netrc entry for "
                f"{host_of(req.full_url)})"
            )
        raise RemoteError(
            f"{name} answered {exc.code} {exc.reason}{hint}{': ' + detail[:200] if detail else ''}",
            status=exc.code,
            sent=True,
        ) from None
    except RemoteError:
        raise
    except TimeoutError as exc:
        raise DeadlineExceeded(
            f"{name} did not answer within {timeout:g} s", sent=sent or _maybe_sent(exc)
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.passed:
            raise DeadlineExceeded(
                f"{name} did not answer within {timeout:g} s", sent=True
            ) from None
        reason = getattr(exc, "reason", None) or exc
        refused = isinstance(reason, (ConnectionRefusedError, socket.gaierror))
        raise RemoteError(
            f"cannot reach {name}: {' '.join(str(reason).split()) or type(reason).__name__}",
            sent=sent or not refused,
        ) from None
    finally:
        deadline.cancel()


def _preauthorize(
    req: urllib.request.Request, plain: list[Any], auth: list[Any], creds: tuple[str, str]
) -> None:
    """Answer the server's challenge before sending a body.

    A server that wants credentials answers 401 as soon as the headers arrive
    and may close the connection while a large body is still being sent (the
    client then sees a broken pipe, not the challenge). A body-less ``HEAD``
    fetches the challenge first; the request then carries its answer.
    """
    probe = urllib.request.Request(req.full_url, method="HEAD")
    try:
        urllib.request.build_opener(*plain).open(probe).close()
        return  # no challenge: nothing to answer
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        exc.close()
    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "digest":
        digest = auth[0]  # the Digest handler (see _auth_handlers)
        fields = urllib.request.parse_keqv_list(
            [part for part in urllib.request.parse_http_list(rest) if part]
        )
        value = digest.get_authorization(req, fields)
        if value:
            req.add_unredirected_header("Authorization", f"Digest {value}")
    elif scheme.lower() == "basic":
        import base64

        token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
        req.add_unredirected_header("Authorization", f"Basic {token}")


def _maybe_sent(exc: BaseException) -> bool:
    """A timeout while connecting means nothing was sent; any later one, maybe."""
    return "connect" not in str(exc).lower()


def sparql_request(
    url: str, query: str, *, graph: str | None = None, accept: str = SPARQL_ACCEPT
) -> urllib.request.Request:
    """A SPARQL protocol request: GET when the URL stays short, else a form-encoded POST."""
    params = [("query", query)]
    if graph:
        params.append(("default-graph-uri", graph))
    encoded = urllib.parse.urlencode(params)
    headers = {"Accept": accept}
    sep = "&" if "?" in url else "?"
    if len(url) + 1 + len(encoded) <= MAX_GET_URL:
        return urllib.request.Request(f"{url}{sep}{encoded}", headers=headers, method="GET")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return urllib.request.Request(url, data=encoded.encode("ascii"), headers=headers, method="POST")


def sparql(
    url: str,
    query: str,
    *,
    graph: str | None = None,
    timeout: float,
    accept: str = SPARQL_ACCEPT,
    max_bytes: int = MAX_ANSWER_BYTES,
) -> Answer:
    """Run ``query`` at the SPARQL endpoint ``url``; the error names the endpoint."""
    req = sparql_request(url, query, graph=graph, accept=accept)
    answer = fetch(req, timeout=timeout, max_bytes=max_bytes, what=f"the SPARQL endpoint {url}")
    if answer.content_type not in RESULT_TYPES:
        raise RemoteError(
            f"the SPARQL endpoint {url} did not answer with SPARQL results "
            f"(got {answer.content_type or 'no content type'}); is it a SPARQL endpoint?"
        )
    return answer
