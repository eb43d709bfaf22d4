"""Remote stores that misbehave: one line naming them, a non-zero exit, within the deadline.

Each misbehaving server is a small real HTTP server on a loopback port (a
thread of the test process): silent, dripping, not SPARQL, endless, or a Graph
Store that wants Basic credentials.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aipath_graph.push import count_ntriples


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stored: bytes = b""


@pytest.fixture()
def serve() -> Iterator[Callable[[type[BaseHTTPRequestHandler]], _Server]]:
    servers: list[_Server] = []

    def start(handler: type[BaseHTTPRequestHandler]) -> _Server:
        srv = _Server(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def url(srv: _Server, path: str) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}{path}"


class Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class Silent(Quiet):
    """Reads the request and never answers."""

    def do_GET(self) -> None:
        time.sleep(120)

    do_POST = do_PUT = do_GET


class Drip(Quiet):
    """Answers one byte every half second, for a long time."""

    def do_GET(self) -> None:
        if self.command == "PUT":
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
        text = b"HTTP/1.1 201 Created\r\nContent-Length: 200\r\n\r\n" + b"x" * 200  # 120 s
        try:
            for byte in text:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass

    do_POST = do_PUT = do_GET


class Html(Quiet):
    """A web page where a SPARQL endpoint should be."""

    def do_GET(self) -> None:
        body = b"<html><body>Welcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


class Endless(Quiet):
    """Accepts a PUT, then answers the read-back with triples that never end."""

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.end_headers()
        line = b"<urn:a> <urn:b> <urn:c> .\n" * 4096
        try:
            while True:
                self.wfile.write(line)
        except OSError:
            pass


class BasicStore(Quiet):
    """A Graph Store endpoint that wants Basic credentials dba:s3cret."""

    protocol_version = "HTTP/1.1"

    def _allowed(self) -> bool:
        token = base64.b64encode(b"dba:s3cret").decode()
        if self.headers.get("Authorization") == f"Basic {token}":
            return True
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def do_HEAD(self) -> None:
        if self._allowed():
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_PUT(self) -> None:
        if self._allowed():
            self.server.stored = self.rfile.read(int(self.headers["Content-Length"]))  # type: ignore[attr-defined]
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_GET(self) -> None:
        if self._allowed():
            body = self.server.stored  # type: ignore[attr-defined]
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


def _one_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_silent_endpoint_fails_within_its_timeout(serve, invoke):
    srv = serve(Silent)
    endpoint = url(srv, "/sparql")
    start = time.monotonic()
    result = invoke("--store", f"sparql:{endpoint}#timeout=1.5", "plan", "--to", "git")
    assert time.monotonic() - start < 30  # the server would hold it for 120 s
    err = _one_line(result)
    assert endpoint in err and "did not answer within 1.5 s" in err


def test_a_web_page_is_not_a_sparql_endpoint(serve, invoke):
    srv = serve(Html)
    endpoint = url(srv, "/")
    err = _one_line(invoke("--store", f"sparql:{endpoint}", "show", "git"))
    assert endpoint in err and "did not answer with SPARQL results (got text/html)" in err


def test_a_closed_port_is_one_line(invoke):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = _one_line(invoke("--store", f"sparql:http://127.0.0.1:{port}/sparql", "next"))
    assert f"cannot reach the SPARQL endpoint http://127.0.0.1:{port}/sparql" in err


def test_bad_fragment_options_are_usage_errors(invoke):
    result = invoke("--store", "sparql:http://127.0.0.1:9/sparql#tiemout=3", "next")
    assert result.exit_code == 2 and "unknown option 'tiemout=3'" in result.stderr
    result = invoke("--graph", "urn:g", "next")
    assert result.exit_code == 2 and "--store sparql:URL" in result.stderr


def test_push_has_a_total_deadline(serve, invoke):
    srv = serve(Drip)  # one byte every 0.5 s: each read is quick, the whole is not
    start = time.monotonic()
    result = invoke("push", "--to", url(srv, "/store"), "--timeout", "2")
    assert time.monotonic() - start < 30  # the whole answer would take 120 s
    err = _one_line(result)
    assert "did not answer within 2 s" in err
    assert "whether the store applied the PUT is unknown" in err
    assert "Nothing was changed" not in err and "not changed" not in err


def test_push_caps_the_answer_it_reads(serve, invoke):
    srv = serve(Endless)
    err = _one_line(invoke("push", "--to", url(srv, "/store"), "--timeout", "30"))
    assert "answered more than" in err and "MiB" in err
    assert "the store accepted the PUT (204), so the remote graph was replaced" in err


def test_push_to_a_silent_store_says_the_outcome_is_unknown(serve, invoke):
    srv = serve(Silent)
    err = _one_line(invoke("push", "--to", url(srv, "/store"), "--timeout", "1"))
    assert "did not answer within 1 s" in err and "unknown" in err


def test_push_with_basic_credentials_from_netrc(serve, invoke, tmp_path, monkeypatch):
    srv = serve(BasicStore)
    monkeypatch.delenv("AIPATH_REMOTE_USER", raising=False)
    monkeypatch.delenv("AIPATH_REMOTE_PASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login dba password s3cret\n")
    netrc.chmod(0o600)
    result = invoke("push", "--to", url(srv, "/store"))
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    assert count_ntriples(srv.stored.decode()) > 1000


def test_push_with_wrong_credentials_is_refused_and_changes_nothing(serve, invoke, monkeypatch):
    srv = serve(BasicStore)
    srv.stored = b"<urn:a> <urn:b> <urn:c> .\n"
    monkeypatch.setenv("AIPATH_REMOTE_USER", "dba")
    monkeypatch.setenv("AIPATH_REMOTE_PASSWORD", "wrong")
    err = _one_line(invoke("push", "--to", url(srv, "/store")))
    assert "401" in err and "refused the credentials" in err and "not changed" in err
    assert "wrong" not in err  # the password is never shown
    assert srv.stored == b"<urn:a> <urn:b> <urn:c> .\n"


def test_push_without_credentials_names_where_to_put_them(serve, invoke, tmp_path, monkeypatch):
    srv = serve(BasicStore)
    monkeypatch.delenv("AIPATH_REMOTE_USER", raising=False)
    monkeypatch.delenv("AIPATH_REMOTE_PASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    err = _one_line(invoke("push", "--to", url(srv, "/store")))
    assert "401" in err and "AIPATH_REMOTE_USER" in err and "~/.netrc" in err


@pytest.mark.parametrize(
    "args",
    [
        ("push", "--to", "http://dba:secret@127.0.0.1:9/store"),
        ("--store", "sparql:http://dba:secret@127.0.0.1:9/sparql", "next"),
    ],
)
def test_credentials_in_a_url_are_refused(invoke, args):
    result = invoke(*args)
    assert result.exit_code == 2 and "the URL holds credentials" in result.stderr
    assert "secret" not in result.stderr
