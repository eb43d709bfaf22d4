"""Load test of ``aipath serve`` on loopback: concurrent clients mixing queries and plans.

Starts a server on a free 127.0.0.1 port (or uses ``--url``), then for each
concurrency level runs that many asyncio + httpx clients for a fixed time.
Each client loops over a mix: named queries (SPARQL in the worker pool),
plans, lookups and searches (main process), and small protocol queries.
Prints requests/s, p50/p99 latency and the failures per level, and exits
non-zero if any request failed. Bounded in count and time.

Each client connects from its own loopback address (127.0.1.N): the server
tells clients apart by address, as it would tell users apart.

``--adversarial`` runs the same normal load while, from other loopback
addresses, hostile clients try to take the server down:

- ``--idle`` sockets that connect and never send a byte (reopened when closed),
- ``--slowloris`` sockets that drip one header line a second and never finish,
- ``--slow`` clients, each keeping ``--per-slow`` runaway SPARQL queries in flight,

and reports, besides the normal figures, the latency of a cheap ``ASK`` sent
once every 0.2 s by a separate client (p50/p99/max), the failures of normal
requests (there must be none), and what the hostile clients saw.

With ``--versus-oxigraph`` it measures instead the SPARQL endpoint alone, side
by side with ``oxigraph serve`` (the ``oxigraph`` package's server) holding the
same dataset: every named query, with its parameters bound, sent as the same
text to both over HTTP, with aipath's answer cache off (``--answer-cache 0``)
so each request is evaluated. Levels alternate between the servers.

Usage::

    python benchmarks/bench_server.py                      # 16 and 64 clients, 30 s each
    python benchmarks/bench_server.py --clients 8 --seconds 5
    python benchmarks/bench_server.py --adversarial --clients 16 --seconds 30
    python benchmarks/bench_server.py --versus-oxigraph --clients 8 32 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest_server import start_server, stop_server  # noqa: E402

TARGETS = [
    "fine-tuning",
    "AI工程师",
    "llm-engineering",
    "backpropagation",
    "mlops-engineer",
    "深度学习基础",
]
KNOWN = ["python-basics", "linear-algebra", "calculus", "git", ""]
SKILLS = ["fine-tuning", "backpropagation", "python-basics", "微调技术", "linear-algebra"]


def request_mix(rng: random.Random) -> tuple[str, str, dict[str, str]]:
    """One request of the mix: (kind, path, params)."""
    roll = rng.random()
    if roll < 0.35:
        return (
            "plan",
            "/api/plan",
            {"to": rng.choice(TARGETS), "have": rng.choice(KNOWN), "hours_per_week": "10"},
        )
    if roll < 0.55:
        name = rng.choice(["prerequisites", "dependents"])
        return "named", f"/api/queries/{name}", {"skill": rng.choice(SKILLS)}
    if roll < 0.70:
        return "node", f"/api/node/{rng.choice(SKILLS)}", {}
    if roll < 0.85:
        return "search", "/api/search", {"q": rng.choice(["fine", "微调", "engineer", "py"])}
    return "sparql", "/sparql", {"query": "SELECT ?r WHERE { ?r a aip:Role } ORDER BY ?r"}


def _transport(address: str) -> httpx.AsyncHTTPTransport:
    return httpx.AsyncHTTPTransport(local_address=address)


async def client(
    base: str, deadline: float, seed: int, out: list, failures: Counter, max_requests: int
) -> None:
    rng = random.Random(seed)
    address = f"127.0.1.{seed % 250 + 1}"
    async with httpx.AsyncClient(base_url=base, timeout=30, transport=_transport(address)) as http:
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                return
            kind, path, params = request_mix(rng)
            start = time.perf_counter()
            try:
                response = await http.get(path, params=params)
            except httpx.HTTPError as exc:
                failures[f"{kind}: {type(exc).__name__}"] += 1
                continue
            if response.status_code == 200:
                out.append((kind, time.perf_counter() - start))
            else:
                why = response.text.strip()[:48]
                failures[f"{kind}: HTTP {response.status_code} {why}"] += 1


async def run_level(base: str, clients: int, seconds: float, max_requests: int) -> dict:
    results: list[tuple[str, float]] = []
    failures: Counter = Counter()
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(
        *(client(base, deadline, i, results, failures, max_requests) for i in range(clients))
    )
    wall = time.monotonic() - start
    latencies = sorted(t for _, t in results)
    q = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else [0.0] * 99
    )
    kinds = Counter(k for k, _ in results)
    return {
        "clients": clients,
        "wall": wall,
        "ok": len(results),
        "failed": sum(failures.values()),
        "rps": len(results) / wall,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "kinds": dict(kinds),
        "failures": dict(failures),
    }


RUNAWAY = "SELECT (COUNT(*) AS ?n) {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {}"


async def idle_sockets(host: str, port: int, count: int, deadline: float, seen: Counter) -> None:
    """Keep ``count`` connections open that never send anything; reopen those the server closes."""
    loop = asyncio.get_running_loop()

    async def one(i: int) -> None:
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(f"127.0.2.{i % 250 + 1}", 0)
                )
            except OSError:
                seen["idle: connect failed"] += 1
                await asyncio.sleep(0.5)
                continue
            seen["idle: opened"] += 1
            opened = loop.time()
            with contextlib.suppress(OSError, TimeoutError):
                await asyncio.wait_for(reader.read(1), max(0.1, deadline - time.monotonic()))
            if time.monotonic() < deadline:
                seen["idle: closed by the server"] += 1
                seen["idle: seconds held (sum)"] += round(loop.time() - opened)
            writer.close()

    await asyncio.gather(*(one(i) for i in range(count)))


async def slowloris(host: str, port: int, count: int, deadline: float, seen: Counter) -> None:
    """``count`` connections that send one more header line a second and never end the request."""

    async def one(i: int) -> None:
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(f"127.0.3.{i % 250 + 1}", 0)
                )
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                seen["slowloris: opened"] += 1
                while time.monotonic() < deadline:
                    await asyncio.sleep(1.0)
                    writer.write(b"X-Drip: 1\r\n")
                    await writer.drain()
                    if reader.at_eof():
                        raise ConnectionResetError
            except OSError:
                if time.monotonic() < deadline:
                    seen["slowloris: closed by the server"] += 1
                await asyncio.sleep(0.1)
                continue
            writer.close()

    await asyncio.gather(*(one(i) for i in range(count)))


async def slow_queries(
    base: str, clients: int, per_client: int, deadline: float, seen: Counter
) -> None:
    """``clients`` hostile clients, each keeping ``per_client`` runaway queries in flight."""

    async def one(c: int, k: int) -> None:
        transport = _transport(f"127.0.4.{c % 250 + 1}")
        async with httpx.AsyncClient(base_url=base, timeout=60, transport=transport) as http:
            n = 0
            while time.monotonic() < deadline:
                n += 1
                try:
                    r = await http.get("/sparql", params={"query": RUNAWAY.format(f"{c}-{k}-{n}")})
                    seen[f"slow query: HTTP {r.status_code}"] += 1
                except httpx.HTTPError as exc:
                    seen[f"slow query: {type(exc).__name__}"] += 1

    await asyncio.gather(*(one(c, k) for c in range(clients) for k in range(per_client)))


async def cheap_probe(
    base: str, deadline: float, times: list[tuple[float, float]], failures: Counter
) -> None:
    """A cheap ASK every 0.2 s from its own address, each one different (never cached)."""
    async with httpx.AsyncClient(base_url=base, timeout=30, transport=_transport("127.0.5.1")) as h:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            start = time.perf_counter()
            try:
                r = await h.get(
                    "/sparql",
                    params={"query": f"ASK {{ ?s ?p {n} }}"},
                    headers={"Accept": "text/csv"},
                )
            except httpx.HTTPError as exc:
                failures[f"cheap ASK: {type(exc).__name__}"] += 1
                continue
            if r.status_code == 200:
                times.append((time.perf_counter() - start, deadline - time.monotonic()))
            else:
                failures[f"cheap ASK: HTTP {r.status_code}"] += 1
            await asyncio.sleep(0.2)


async def _attack(base: str, args: argparse.Namespace, deadline: float) -> dict:
    host, port = base.removeprefix("http://").split(":")
    seen: Counter = Counter()
    await asyncio.gather(
        idle_sockets(host, int(port), args.idle, deadline, seen),
        slowloris(host, int(port), args.slowloris, deadline, seen),
        slow_queries(base, args.slow, args.per_slow, deadline, seen),
    )
    return dict(sorted(seen.items()))


def _attack_process(base: str, args: argparse.Namespace, deadline: float, out: Any) -> None:
    # time.monotonic() is system-wide on Linux, so the deadline holds across processes.
    if args.nice:
        os.nice(args.nice)  # as if the attacker ran on another machine: its own CPU is not ours
    out.put(asyncio.run(_attack(base, args, deadline)))


async def adversarial(base: str, args: argparse.Namespace) -> dict:
    """Normal load and a cheap probe here; the attack in its own process (its own event loop)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    deadline = time.monotonic() + args.seconds
    attacker = ctx.Process(target=_attack_process, args=(base, args, deadline, results))
    attacker.start()
    cheap_at: list[tuple[float, float]] = []
    cheap_failures: Counter = Counter()
    try:
        await asyncio.sleep(3.0)  # let the attack take hold before measuring
        probe = asyncio.create_task(cheap_probe(base, deadline, cheap_at, cheap_failures))
        left = deadline - time.monotonic()
        normal = await run_level(base, args.clients[0], left, args.max_requests)
        await probe
        attack = await asyncio.to_thread(results.get, True, 60)
    finally:
        attacker.join(10)
        if attacker.is_alive():
            attacker.kill()
    cheap = sorted(t for t, _ in cheap_at)
    q = statistics.quantiles(cheap, n=100, method="inclusive") if len(cheap) > 1 else [0.0] * 99
    slowest = sorted(cheap_at, reverse=True)[:3]
    return {
        "normal": normal,
        "cheap": {
            "count": len(cheap),
            "p50": q[49] * 1000,
            "p99": q[98] * 1000,
            "max": (cheap[-1] if cheap else 0) * 1000,
            "failures": dict(cheap_failures),
            "slowest": [f"{t * 1000:.0f} ms at {args.seconds - left:.1f} s" for t, left in slowest],
        },
        "attack": attack,
    }


#: Each named query with the parameters it is measured with (a few values each).
NAMED_PARAMS: dict[str, list[dict[str, str]]] = {
    "prerequisites": [{"skill": s} for s in ("fine-tuning", "backpropagation", "rag")],
    "dependents": [{"skill": s} for s in ("python-basics", "linear-algebra", "calculus")],
    "role-needs": [{"role": r} for r in ("ai-engineer", "data-scientist")],
    "stage-covers": [{"stage": s} for s in ("beginner", "advanced")],
    "projects-for-skill": [{"skill": "python-basics"}, {"skill": "fine-tuning"}],
    "tools-for-skill": [{"skill": "fine-tuning"}, {"skill": "deep-learning"}],
    "resources-for-skill": [{"skill": "dl-fundamentals"}, {"skill": "python-basics"}],
    "skills-without-resources": [{}],
    "longest-chains": [],  # over a minute on either engine: not a throughput query
}


def named_query_texts() -> list[str]:
    """Every named query as plain SPARQL text: prefixes declared, parameters bound."""
    from aipath_graph.cli import AppContext
    from aipath_graph.sparql.query import (
        bind_params,
        get_named_query,
        named_queries,
        prefixes,
        with_values,
    )

    app = AppContext()
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes().items())
    texts = []
    for name in named_queries():
        nq = get_named_query(name)
        for params in NAMED_PARAMS.get(name, [{}]):
            given = dict(params)
            if any(p.name == "lang" for p in nq.params):
                given.setdefault("lang", "en")
            try:
                bound = bind_params(nq, given, app.resolver().resolve)
            except Exception:  # a value missing from this graph: skip it
                continue
            texts.append(head + with_values(nq.text, bound))
    return texts


async def sparql_client(
    url: str, texts: list[str], deadline: float, seed: int, out: list, failures: Counter
) -> None:
    rng = random.Random(seed)
    headers = {"Accept": "application/sparql-results+json"}
    async with httpx.AsyncClient(timeout=30) as http:
        while time.monotonic() < deadline and len(out) < 200_000:
            start = time.perf_counter()
            try:
                r = await http.get(url, params={"query": rng.choice(texts)}, headers=headers)
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] += 1
                continue
            if r.status_code == 200:
                out.append(time.perf_counter() - start)
            else:
                failures[f"HTTP {r.status_code}"] += 1


async def sparql_level(url: str, texts: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    failures: Counter = Counter()
    start = time.monotonic()
    await asyncio.gather(
        *(
            sparql_client(url, texts, start + seconds, i, latencies, failures)
            for i in range(clients)
        )
    )
    wall = time.monotonic() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / wall,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "failed": sum(failures.values()),
        "failures": dict(failures),
    }


def versus_oxigraph(clients: list[int], seconds: float, rounds: int) -> int:
    """aipath serve's /sparql and oxigraph serve, same dataset, same queries, side by side."""
    from aipath_graph.cache import GraphCache
    from tests.oxigraph_server import OxigraphServer

    texts = named_query_texts()
    quads = GraphCache(None).dataset()["quads"]
    # Both servers hold the dataset in memory.
    oxigraph = OxigraphServer(None, extra=("--union-default-graph",))
    aipath = None
    failed = 0
    try:
        httpx.post(
            oxigraph.store_url,
            content=quads,
            headers={"Content-Type": "application/n-quads"},
            timeout=60,
        ).raise_for_status()
        aipath = start_server("--answer-cache", "0", "--timeout", "30")
        targets = {"aipath": aipath.sparql, "oxigraph": oxigraph.query_url}
        accept = {"Accept": "application/sparql-results+json"}
        for text in texts:  # both give the same number of rows first
            rows = [
                len(
                    httpx.get(url, params={"query": text}, headers=accept, timeout=30)
                    .raise_for_status()
                    .json()["results"]["bindings"]
                )
                for url in targets.values()
            ]
            if rows[0] != rows[1]:
                raise SystemExit(f"different answers ({rows}) to:\n{text}")
        print(f"{len(texts)} named-query texts; answer cache off; {seconds:g} s per level")
        print(f"{'clients':>7} {'server':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for n in clients:
            rates: dict[str, list[float]] = {"aipath": [], "oxigraph": []}
            for _ in range(rounds):
                for name, url in targets.items():
                    r = asyncio.run(sparql_level(url, texts, n, seconds))
                    failed += r["failed"]
                    rates[name].append(r["rps"])
                    print(
                        f"{n:>7} {name:>9} {r['rps']:>8.1f} {r['p50']:>8.1f} "
                        f"{r['p99']:>8.1f}"
                        + (f"  failures: {r['failures']}" if r["failed"] else "")
                    )
            best = {k: statistics.median(v) for k, v in rates.items()}
            print(
                f"{n:>7} {'ratio':>9} {best['aipath'] / best['oxigraph']:>8.2f}  "
                "(aipath / oxigraph, medians)"
            )
    finally:
        if aipath is not None:
            stop_server(aipath)
        oxigraph.stop()
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--max-requests", type=int, default=5000, help="at most this many requests per client"
    )
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument(
        "--adversarial", action="store_true", help="normal load while hostile clients attack"
    )
    parser.add_argument("--idle", type=int, default=600, help="idle sockets (adversarial)")
    parser.add_argument("--slowloris", type=int, default=200, help="slowloris sockets")
    parser.add_argument("--slow", type=int, default=2, help="clients sending runaway queries")
    parser.add_argument("--per-slow", type=int, default=4, help="runaway queries per client")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="niceness of the attacking process (on one shared machine, its own CPU use "
        "would otherwise count against the server)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="the started server's --timeout (query run time and queue wait)",
    )
    parser.add_argument(
        "--versus-oxigraph",
        action="store_true",
        help="measure /sparql on the named queries side by side with oxigraph serve",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="rounds per level (--versus-oxigraph)"
    )
    args = parser.parse_args()
    if args.seconds > 120 or max(args.clients) > 256 or args.rounds > 5:
        parser.error("keep it bounded: at most 120 s, 256 clients and 5 rounds per level")
    if args.idle + args.slowloris > 2000 or args.slow * args.per_slow > 64:
        parser.error("keep it bounded: at most 2000 hostile sockets and 64 runaway queries")
    if args.url and not args.url.startswith("http://127."):
        parser.error("load tests run against 127.0.0.1 only")
    if args.versus_oxigraph:
        return versus_oxigraph(args.clients, args.seconds, args.rounds)
    server = None if args.url else start_server("--timeout", str(args.timeout))
    base = args.url or server.url  # type: ignore[union-attr]
    failed = 0
    if args.adversarial:
        try:
            r = asyncio.run(adversarial(base, args))
        finally:
            if server is not None:
                stop_server(server)
        n, c = r["normal"], r["cheap"]
        print(
            f"server {base}; {args.seconds:g} s; attack: {args.idle} idle sockets, "
            f"{args.slowloris} slowloris, {args.slow} clients x {args.per_slow} runaway queries"
            + (f" (attacker at nice {args.nice})" if args.nice else "")
        )
        print(
            f"normal load: {n['clients']} clients, {n['ok']} requests, {n['rps']:.1f} req/s, "
            f"p50 {n['p50']:.1f} ms, p99 {n['p99']:.1f} ms, failed {n['failed']} {n['failures']}"
        )
        print(
            f"cheap ASK under attack: {c['count']} answered, p50 {c['p50']:.1f} ms, "
            f"p99 {c['p99']:.1f} ms, max {c['max']:.1f} ms, failed {c['failures']}; "
            f"slowest: {', '.join(c['slowest'])}"
        )
        print(f"attack: {r['attack']}")
        return 1 if n["failed"] or c["failures"] else 0
    try:
        print(
            f"server {base}; mix: 35% plans, 20% named queries, 15% nodes, 15% searches, 15% SPARQL"
        )
        print(
            f"{'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'failed':>6}"
        )
        for n in args.clients:
            r = asyncio.run(run_level(base, n, args.seconds, args.max_requests))
            failed += r["failed"]
            print(
                f"{r['clients']:>7} {r['ok']:>8} {r['rps']:>7.1f} {r['p50']:>8.1f} "
                f"{r['p99']:>8.1f} {r['failed']:>6}   {r['kinds']}"
            )
            if r["failures"]:
                print(f"        failures: {r['failures']}")
    finally:
        if server is not None:
            stop_server(server)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
