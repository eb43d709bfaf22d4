"""Load the compiled graph into a remote store with the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT`` replaces the target graph (the default graph, or a named one) in a
single request; a ``GET`` of the same graph then verifies the triple count. The
whole push has one deadline, the answers a size cap, and a failure says what
is known about the remote graph: unchanged only when that is certain (nothing
was sent, or the store refused the request).

Examples
--------
>>> graph_url("http://127.0.0.1:7878/store", None)
'http://127.0.0.1:7878/store?default'
>>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/aipath/graph")
'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Faipath%2Fgraph'
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from .errors import AipathError
from .remote import DeadlineExceeded, RemoteError, fetch

NT = "application/n-triples"


class PushError(AipathError):
    """The remote store could not be reached, refused the graph, or holds other data after."""


@dataclass(frozen=True)
class PushResult:
    """What was sent and what the store holds after."""

    url: str
    sent: int
    stored: int
    status: int


def graph_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of the default graph or of a named graph."""
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def count_ntriples(text: str) -> int:
    """Number of triples in N-Triples text (non-blank lines that are not comments)."""
    return sum(
        1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def _put_failed(url: str, exc: RemoteError) -> PushError:
    """The one line for a PUT that failed, saying what is known about the remote graph."""
    if exc.status in (401, 403):
        known = "the store refused the credentials, so the remote graph was not changed"
    elif not exc.sent:
        known = "nothing was sent, so nothing was changed; is the store running?"
    elif exc.status is not None and exc.status < 500:
        known = (
            "the store refused the graph; by the Graph Store protocol a refused PUT leaves "
            "the remote graph as it was"
        )
    else:
        known = "whether the store applied the PUT is unknown; read the graph back or push again"
    return PushError(f"PUT {url}: {exc}; {known}")


def push(
    ntriples: str,
    endpoint: str,
    *,
    graph: str | None = None,
    timeout: float = 60.0,
    max_answer: int | None = None,
) -> PushResult:
    """Replace ``graph`` (default: the default graph) at ``endpoint`` with ``ntriples``, then verify.

    ``timeout`` bounds the whole push (the PUT and the read-back together);
    the read-back may be at most ``max_answer`` bytes (default: four times what
    was sent, plus 1 MiB — room for another serialisation of the same triples).
    Credentials come from the environment or ``~/.netrc`` (:mod:`.remote`).
    """
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint!r} is not an http(s) URL of a Graph Store endpoint")
    from .remote import refuse_userinfo

    refuse_userinfo(endpoint, "--to")
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    url = graph_url(endpoint, graph)
    sent = count_ntriples(ntriples)
    body = ntriples.encode("utf-8")
    cap = max_answer if max_answer is not None else 4 * len(body) + (1 << 20)
    put = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": NT, "Accept": "*/*"}
    )
    try:
        status = fetch(put, timeout=timeout, max_bytes=1 << 20, what=url).status
    except RemoteError as exc:
        raise _put_failed(url, exc) from None
    get = urllib.request.Request(url, method="GET", headers={"Accept": NT})
    try:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"{url} did not answer within {timeout:g} s", sent=True)
        answer = fetch(get, timeout=left, max_bytes=cap, what=url)
    except RemoteError as exc:
        raise PushError(
            f"the store accepted the PUT ({status}), so the remote graph was replaced, "
            f"but reading it back failed: {exc}"
        ) from None
    stored = count_ntriples(answer.body.decode("utf-8", "replace"))
    if stored != sent:
        raise PushError(f"sent {sent} triples to {url} but it now holds {stored}")
    return PushResult(url, sent, stored, status)
