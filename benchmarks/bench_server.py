"""Load test of ``aipath serve`` on loopback: concurrent clients mixing queries and plans.

Starts a server on a free 127.0.0.1 port (or uses ``--url``), then for each
concurrency level runs that many asyncio + httpx clients for a fixed time.
Each client loops over a mix: named queries (SPARQL in the worker pool),
plans, lookups and searches (main process), and small protocol queries.
Prints requests/s, p50/p99 latency and the failures per level, and exits
non-zero if any request failed. Bounded in count and time.

Usage::

    python benchmarks/bench_server.py                      # 16 and 64 clients, 30 s each
    python benchmarks/bench_server.py --clients 8 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

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


async def client(
    base: str, deadline: float, seed: int, out: list, failures: Counter, max_requests: int
) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                return
            kind, path, params = request_mix(rng)
            start = time.perf_counter()
            try:
                status = (await http.get(path, params=params)).status_code
            except httpx.HTTPError as exc:
                failures[f"{kind}: {type(exc).__name__}"] += 1
                continue
            if status == 200:
                out.append((kind, time.perf_counter() - start))
            else:
                failures[f"{kind}: HTTP {status}"] += 1


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
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--max-requests", type=int, default=5000, help="at most this many requests per client"
    )
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="the started server's --timeout (query run time and queue wait)",
    )
    args = parser.parse_args()
    if args.seconds > 120 or max(args.clients) > 256:
        parser.error("keep it bounded: at most 120 s and 256 clients per level")
    server = None if args.url else start_server("--timeout", str(args.timeout))
    base = args.url or server.url  # type: ignore[union-attr]
    failed = 0
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
