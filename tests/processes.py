"""Servers the tests start on loopback: a free port, waiting until one answers, stopping it.

One home for what the aipath, Oxigraph and Virtuoso fixtures all do with their
subprocess (each stopped by its own PID, never by name).
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(
    proc: subprocess.Popen,
    answers: Callable[[], bool],
    *,
    name: str,
    seconds: float,
    poll: float = 0.3,
    why_exited: Callable[[], str] = lambda: "",
) -> None:
    """Wait until ``answers()`` is true; raise (the process stopped) if it exits or is too slow.

    ``answers`` may raise ``OSError`` while the server is not listening yet.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} at start: {why_exited()}")
        try:
            if answers():
                return
        except OSError:
            pass
        time.sleep(poll)
    stop(proc)
    raise RuntimeError(f"{name} did not answer within {seconds:g} s")


def stop(proc: subprocess.Popen, seconds: float = 15.0) -> None:
    """Terminate ``proc`` (by its PID) and wait; kill it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
