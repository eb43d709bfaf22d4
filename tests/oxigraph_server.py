"""A real Oxigraph server on a free loopback port, for the backend and push tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port nothing listens on right now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("oxigraph server exited at start") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph server did not start within 20 s")

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
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
