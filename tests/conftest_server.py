"""A live ``aipath serve`` on a free loopback port, for the server tests.

Imported by the ``test_server_*`` modules (pytest does not load this file by
itself). The server runs in its own process, exactly as a user starts it, and
is stopped by its PID when the session ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pytest

from tests import processes
from tests.processes import free_port

ROOT = Path(__file__).parent.parent
#: Limits of the test server (small, so the limit tests run fast).
TIMEOUT = 3.0
MAX_ROWS = 500
MAX_BODY = 64 * 1024


@dataclass
class LiveServer:
    """A running server: its base URL and process."""

    url: str
    process: subprocess.Popen
    log: IO[str]

    def stderr(self) -> str:
        """What the server has written to stderr so far."""
        return _read(self.log)

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def start_server(
    *extra: str, ready_timeout: float = 90.0, global_args: tuple[str, ...] = ()
) -> LiveServer:
    """Start ``python -m aipath_graph [GLOBAL_ARGS] serve`` and wait until /healthz answers."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "aipath_graph",
        *global_args,
        "serve",
        "--port",
        str(port),
        "--timeout",
        str(TIMEOUT),
        "--max-rows",
        str(MAX_ROWS),
        "--max-body",
        str(MAX_BODY),
        "--log-level",
        "warning",
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed on stop
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        processes.wait_until_up(
            process,
            healthy,
            name="the server",
            seconds=ready_timeout,
            why_exited=lambda: _read(log)[-2000:],
        )
    except RuntimeError:
        log.close()
        raise
    return LiveServer(url, process, log)


def stop_server(server: LiveServer) -> str:
    """Stop the server by its PID (SIGTERM, then SIGKILL); return what it wrote to stderr."""
    processes.stop(server.process, 15)
    text = _read(server.log)
    server.log.close()
    return text


def _read(log: IO[str]) -> str:
    log.flush()
    log.seek(0)
    return log.read()


@pytest.fixture(scope="session", name="live")
def live_fixture() -> Iterator[LiveServer]:
    """One server for the session."""
    server = start_server()
    yield server
    stop_server(server)
