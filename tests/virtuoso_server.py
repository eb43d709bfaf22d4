"""A private Virtuoso (Debian's ``virtuoso-opensource``) on free loopback ports, for the store tests.

Its own folder, database and ``virtuoso.ini``; SQL and HTTP listeners on free
127.0.0.1 ports; started in the foreground and stopped by the PID it was given.
The graph is loaded with ``aipath push`` through Virtuoso's Graph Store endpoint
(``/sparql-graph-crud-auth``, Digest authentication as ``dba``).
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from pathlib import Path

from . import processes
from .processes import free_port

BINARY = "virtuoso-t"
#: Why a test that needs Virtuoso is skipped, or None when it can run.
MISSING = (
    None
    if shutil.which(BINARY)
    else "Debian's virtuoso-opensource is not installed (.ci/run installs it as root)"
)

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


class VirtuosoServer:
    """``virtuoso-t +foreground`` in a subprocess; stopped by its PID."""

    USER = "dba"
    PASSWORD = "dba"  # a fresh database's administrator; the server only listens on loopback

    def __init__(self, location: Path) -> None:
        location.mkdir(parents=True, exist_ok=True)
        self.location = location
        self.sql_port, self.http_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        ini = location / "virtuoso.ini"
        ini.write_text(
            INI.format(dir=location, sql_port=self.sql_port, http_port=self.http_port),
            encoding="utf-8",
        )
        self.proc = subprocess.Popen(
            [BINARY, "+foreground", "+configfile", str(ini)],
            cwd=location,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.wait_until_up(  # a new database takes ~15 s on a busy machine
            self.proc,
            lambda: (
                urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2).read()
                is not None
            ),
            name="virtuoso",
            seconds=120,
            why_exited=lambda: (location / "virtuoso.log").read_text("utf-8", "replace")[-500:],
        )

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/sparql"

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint that accepts writes (Digest auth)."""
        return f"{self.base}/sparql-graph-crud-auth"

    def count(self, graph: str) -> int:
        """Triples in a named graph, counted with SPARQL."""
        import json
        import urllib.parse

        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        url = f"{self.query_url}?{urllib.parse.urlencode({'query': query})}"
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            data = json.loads(resp.read())
        return int(data["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        """Terminate the server (by its PID) and wait for it."""
        processes.stop(self.proc, 30)
