"""``aipath serve``: the SPARQL endpoint, JSON API and web explorer over HTTP."""

from __future__ import annotations

from collections.abc import Sequence

import click

from . import AppContext, pass_app


def _check_port(host: str, port: int) -> None:
    """Fail with one line (exit 5) when ``host:port`` cannot be listened on."""
    import socket

    from ..errors import PortInUseError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, addr = infos[0]
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(addr)
    except OSError:
        raise PortInUseError(key="port_busy", host=host, port=port) from None


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback by default; 0.0.0.0 exposes it to the network).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds a SPARQL query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="At most this many rows in a SPARQL answer.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=256 * 1024,
    show_default=True,
    help="Largest request body in bytes.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=4 << 20,
    show_default=True,
    help="At most this many bytes in a SPARQL answer (rows cut, and said so).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=32),
    default=None,
    help="SPARQL worker processes, each holding a copy of the graph (default: one per "
    "core, at least 2; one more answers cheap queries while these are busy).",
)
@click.option(
    "--per-client",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="SPARQL queries one client address may have running at once; more wait their turn "
    "(default: half the workers, at least 1, so one client never holds them all).",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="URL the server is reached at (behind a proxy); the SPARQL service description "
    "names URL/sparql as its endpoint.",
)
@click.option(
    "--answer-cache",
    type=click.IntRange(min=0),
    default=512,
    show_default=True,
    help="Answers of repeated SPARQL queries kept in memory (0 turns the cache off).",
)
@click.option(
    "--cors",
    "cors",
    multiple=True,
    metavar="ORIGIN",
    help="Allow browser calls from this origin ('*' for any); repeatable.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
    help="Server log level.",
)
@pass_app
def serve(
    app: AppContext,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    max_bytes: int,
    workers: int | None,
    per_client: int | None,
    public_url: str | None,
    answer_cache: int,
    cors: Sequence[str],
    log_level: str,
) -> None:
    """Serve the graph: SPARQL 1.1 endpoint, JSON API and web explorer.

    /sparql speaks the SPARQL 1.1 Protocol (GET, POST form, POST
    application/sparql-query; JSON, XML, CSV, TSV, Turtle, N-Triples,
    JSON-LD); it is read-only, runs every query on pyoxigraph under
    --timeout, and cuts answers at --max-rows rows and --max-bytes bytes.
    It serves one named graph per source (the ontology, the bundled data or
    each --data source), their union being the default graph: GRAPH, FROM
    and default-graph-uri/named-graph-uri pick them. Listening beyond
    loopback (--host 0.0.0.0) prints a warning: the endpoint is then public.
    /api/ is a JSON API (search, node, prerequisites, plan, path, next);
    / is the explorer (中文 / English). Stop with Ctrl-C. Exit code 5
    when the port is taken.

    \b
    Examples:
      aipath serve
      aipath serve --port 8080 --timeout 5 --max-rows 5000 --max-bytes 1000000
      aipath serve --host 0.0.0.0 --public-url https://graph.example.org
      aipath --data my-graph/ serve --cors '*'
      curl -g -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' \
        --data-urlencode 'default-graph-uri=https://w3id.org/aipath/graph/ontology' \
        http://127.0.0.1:8000/sparql
    """
    from ..server.app import create_app, is_loopback
    from ..server.app import serve as run_server

    _check_port(host, port)

    quads = app.dataset_quads()
    asgi = create_app(
        app.graph(),
        quads=quads,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        max_bytes=max_bytes,
        cors=cors,
        workers=workers,
        per_client=per_client,
        public_url=public_url,
        answer_cache=answer_cache,
    )
    if not is_loopback(host):
        click.echo(
            f"aipath: warning: listening on {host}, beyond this machine: anyone who can reach "
            "it can query the graph; use --host 127.0.0.1 to keep it private",
            err=True,
        )
    click.echo(f"aipath: serving http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
    run_server(asgi, host, port, log_level=log_level)


COMMANDS = [serve]
