"""``aipath serve``: the SPARQL endpoint, JSON API and web explorer over HTTP."""

from __future__ import annotations

from collections.abc import Sequence

import click

from . import AppContext, pass_app


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
    "--workers",
    type=click.IntRange(min=1, max=32),
    default=2,
    show_default=True,
    help="SPARQL worker processes (each holds a copy of the graph).",
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
    workers: int,
    answer_cache: int,
    cors: Sequence[str],
    log_level: str,
) -> None:
    """Serve the graph: SPARQL 1.1 endpoint, JSON API and web explorer.

    /sparql speaks the SPARQL 1.1 Protocol (GET, POST form, POST
    application/sparql-query; JSON, XML, CSV, TSV, Turtle, N-Triples,
    JSON-LD); it is read-only, runs every query on pyoxigraph under
    --timeout, and serves one named graph per source (the ontology, the
    bundled data or each --data source), their union being the default
    graph: GRAPH, FROM and default-graph-uri/named-graph-uri pick them.
    /api/ is a JSON API (search, node, prerequisites, plan, path, next);
    / is the explorer (中文 / English). Stop with Ctrl-C.

    \b
    Examples:
      aipath serve
      aipath serve --port 8080 --timeout 5 --max-rows 5000
      aipath --data my-graph/ serve --cors '*'
      curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' \
        --data-urlencode 'default-graph-uri=https://w3id.org/aipath/graph/ontology' \
        http://127.0.0.1:8000/sparql
    """
    import uvicorn

    from ..server.app import create_app

    quads = app.dataset_quads()
    asgi = create_app(
        app.graph(),
        quads=quads,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        cors=cors,
        workers=workers,
        answer_cache=answer_cache,
    )
    click.echo(f"aipath: serving http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
    uvicorn.run(
        asgi,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        timeout_keep_alive=5,
        limit_concurrency=512,
        access_log=log_level == "debug",
    )


COMMANDS = [serve]
