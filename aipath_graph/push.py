"""Load the compiled graph into a remote store with the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT`` replaces the target graph (the default graph, or a named one) in a
single request, so a failure leaves the remote graph as it was; a ``GET`` of the
same graph then verifies the triple count.

Examples
--------
>>> graph_url("http://127.0.0.1:7878/store", None)
'http://127.0.0.1:7878/store?default'
>>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/aipath/graph")
'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Faipath%2Fgraph'
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import AipathError

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


def _request(url: str, method: str, body: bytes | None, timeout: float) -> tuple[int, bytes]:
    headers = {"Accept": NT}
    if body is not None:
        headers["Content-Type"] = NT
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        raise PushError(
            f"{method} {url} answered {exc.code} {exc.reason}{': ' + detail if detail else ''}; "
            "the remote graph was not changed"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(
            f"cannot reach {url}: {reason}; is the store running? Nothing was changed"
        ) from exc


def push(
    ntriples: str, endpoint: str, *, graph: str | None = None, timeout: float = 60.0
) -> PushResult:
    """Replace ``graph`` (default: the default graph) at ``endpoint`` with ``ntriples``, then verify."""
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint!r} is not an http(s) URL of a Graph Store endpoint")
    url = graph_url(endpoint, graph)
    sent = count_ntriples(ntriples)
    status, _ = _request(url, "PUT", ntriples.encode("utf-8"), timeout)
    _, body = _request(url, "GET", None, timeout)
    stored = count_ntriples(body.decode("utf-8", "replace"))
    if stored != sent:
        raise PushError(f"sent {sent} triples to {url} but it now holds {stored}")
    return PushResult(url, sent, stored, status)
