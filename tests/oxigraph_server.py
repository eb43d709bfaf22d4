"""A real Oxigraph server on a free loopback port, for the backend and push tests."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

from . import processes
from .processes import free_port


class OxigraphServer:
    """``oxigraph serve`` in a subprocess; stopped by its PID."""

    def __init__(self, location: Path | None, extra: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        binary = Path(sys.executable).with_name("oxigraph")
        where = ["--location", str(location)] if location is not None else []  # None: in memory
        self.proc = subprocess.Popen(
            [str(binary), "serve", *where, "--bind", f"127.0.0.1:{self.port}", *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ask = f"{self.base}/query?query=ASK%7B%7D"
        processes.wait_until_up(
            self.proc,
            lambda: urllib.request.urlopen(ask, timeout=1).read() is not None,
            name="oxigraph server",
            seconds=20,
            poll=0.1,
        )

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint."""
        return f"{self.base}/store"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/query"

    def count(self, graph: str | None = None) -> int:
        """Triples in the default graph (or a named graph), read with the Graph Store Protocol."""
        from aipath_graph.push import count_ntriples, graph_url

        req = urllib.request.Request(
            graph_url(self.store_url, graph), headers={"Accept": "application/n-triples"}
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return count_ntriples(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return 0
            raise

    def stop(self) -> None:
        """Terminate the server (by its PID) and wait for it."""
        processes.stop(self.proc, 10)
