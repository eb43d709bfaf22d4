"""Speed and scale: one table of ratios, each measured within the same run.

Usage::

    python benchmarks/bench_scale.py [--sizes 1k,10k,30k,100k] [--quick]
                                     [--no-server] [--no-cli] [--cli-runs N]

For each size of synthetic graph (:mod:`synth`: skills, AnyOf groups, roles) it
measures

1. **load** — rdflib parsing the N-Triples vs a pyoxigraph ``Store`` bulk load, and
   an Oxigraph server (``oxigraph serve``) taking them over HTTP (``POST /store``);
2. **transitive queries** — ``aip:requires+`` below a deep skill (the middle skill,
   whose closure is a large share of the graph) and the full closure of a role
   (essential skills, their requirements, any-of groups and their options): rdflib
   vs embedded pyoxigraph vs the server over HTTP; the counts must agree;
3. **plan** — :func:`aipath_graph.plan.plan` to a role and to the deep skill, on a
   plain networkx graph (index built in the call), on a frozen one (index kept
   between calls), and on the frozen one after ``gc.freeze()`` (the loaded graph
   taken out of the cyclic collector's scans), against the rustworkx floor: the
   graph converted once (not timed), then ``rx.ancestors`` of the target + induced
   subgraph + ``rx.topological_sort`` (and, for scale, networkx doing the same);

and once, **CLI latency** — ``aipath plan --to AI工程师 --format json`` against
``python -c "import networkx, click"`` and ``python -c pass``.

Each figure is the median of several runs (fewer for slow ones, see ``--budget``).
"x faster" rows divide the baseline's time by the contender's; "x floor" rows divide
the plan's time by the floor's. Targets from issue #7: Oxigraph ≥ 10× rdflib on load
and on transitive queries at 10k and 30k; a plan on 100k skills within 3× of the
floor. ``--quick`` runs 1k and 10k only. The full run stays under ten minutes on
two cores. The server is started on a free loopback port with a temporary
location and stopped by its process id.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from synth import SIZES, parse_size, synthetic_graph, to_ntriples

from aipath_graph.namespaces import AIP, ID

PREFIXES = f"PREFIX aip: <{AIP}>\nPREFIX id: <{ID}>\n"
ROLE_PATH = "(aip:essentialSkill|aip:requires|aip:requiresAnyOf|aip:option)+"


def median_time(fn: Callable[[], Any], *, runs: int, budget: float) -> tuple[float, Any]:
    """Median wall time of ``fn`` over up to ``runs`` runs, stopping after ``budget`` s."""
    times, result, start = [], None, time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return statistics.median(times), result


def queries(n: int) -> dict[str, str]:
    """The two transitive queries, as counts so every engine returns one number."""
    deep = f"s{n // 2}"
    return {
        f"requires+ of {deep}": PREFIXES
        + f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ id:{deep} aip:requires+ ?p }}",
        "role0 full closure": PREFIXES
        + f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ id:role0 {ROLE_PATH} ?p }}",
    }


# ------------------------------------------------------------------ Oxigraph server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """An ``oxigraph serve`` subprocess on a loopback port, spoken to over HTTP."""

    def __init__(self, location: Path) -> None:
        exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.proc = subprocess.Popen(
            [exe, "serve", "--location", str(location), "--bind", self.url[7:]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("oxigraph server did not start") from None
                time.sleep(0.05)

    def _post(self, path: str, body: bytes, ctype: str, accept: str = "*/*") -> bytes:
        req = urllib.request.Request(
            self.url + path,
            data=body,
            method="POST",
            headers={"Content-Type": ctype, "Accept": accept},
        )
        with urllib.request.urlopen(req, timeout=600) as resp:
            return resp.read()

    def load(self, nt: bytes) -> None:
        """Add N-Triples to the default graph (``no_transaction``: the bulk loader)."""
        self._post("/store?default&no_transaction", nt, "application/n-triples")

    def count(self, query: str) -> int:
        """Run a ``SELECT (COUNT(…) AS ?n)`` query and return the number."""
        import json

        out = self._post(
            "/query", query.encode(), "application/sparql-query", "application/sparql-results+json"
        )
        return int(json.loads(out)["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        """Terminate the server process (by its pid), killing it if it lingers."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@contextmanager
def server(enabled: bool) -> Iterator[Server | None]:
    if not enabled:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="aipath-oxigraph-") as tmp:
        srv = Server(Path(tmp) / "db")
        try:
            yield srv
        finally:
            srv.stop()


# ----------------------------------------------------------------------- the rows


Row = tuple[str, str, str, float, str, float, str]  # size, measure, base, s, cont, s, kind


def bench_rdf(
    n: int, label: str, nt: str, *, runs: int, budget: float, use_server: bool
) -> list[Row]:
    import pyoxigraph as ox
    from rdflib import Graph

    rows: list[Row] = []
    data = nt.encode()
    triples = nt.count("\n")
    big = n >= 30_000
    t_rdflib, g = median_time(
        lambda: Graph().parse(data=nt, format="nt"), runs=1 if big else runs, budget=budget
    )

    def ox_load() -> Any:
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        return store

    t_ox, store = median_time(ox_load, runs=runs, budget=budget)
    assert len(store) == len(g) == triples, (len(store), len(g), triples)
    what = f"load {triples / 1000:.0f}k triples"
    rows.append((label, what, "rdflib", t_rdflib, "pyoxigraph", t_ox, "faster"))
    with server(use_server) as srv:
        if srv is not None:
            t0 = time.perf_counter()
            srv.load(data)
            rows.append(
                (label, what, "rdflib", t_rdflib, "ox server", time.perf_counter() - t0, "faster")
            )
        for name, q in queries(n).items():
            t_r, c_r = median_time(
                lambda q=q: int(next(iter(g.query(q)))[0]), runs=1 if big else runs, budget=budget
            )
            t_o, c_o = median_time(
                lambda q=q: int(next(iter(store.query(q)))[0].value), runs=runs, budget=budget
            )
            assert c_r == c_o, (name, c_r, c_o)
            what = f"{name} ({c_o} nodes)"
            rows.append((label, what, "rdflib", t_r, "pyoxigraph", t_o, "faster"))
            if srv is not None:
                t_s, c_s = median_time(lambda q=q: srv.count(q), runs=runs, budget=budget)
                assert c_s == c_o, (name, c_s, c_o)
                rows.append((label, what, "rdflib", t_r, "ox server", t_s, "faster"))
    return rows


def bench_plan(n: int, label: str, G: Any, *, runs: int, budget: float) -> list[Row]:
    import networkx as nx
    import rustworkx as rx

    from aipath_graph.plan import plan

    R = rx.PyDiGraph()
    index = dict(zip(G, R.add_nodes_from(list(G)), strict=True))
    R.add_edges_from_no_data([(index[u], index[v]) for u, v in G.edges])
    frozen = nx.freeze(G.copy())

    def floor(t: str) -> int:
        a = rx.ancestors(R, index[t])
        a.add(index[t])
        return len(rx.topological_sort(R.subgraph(sorted(a))))

    def nx_floor(t: str) -> int:
        a = nx.ancestors(G, t)
        a.add(t)
        return len(list(nx.topological_sort(G.subgraph(a))))

    rows: list[Row] = []
    for target in ("role0", f"s{n // 2}"):
        t_floor, size = median_time(lambda t=target: floor(t), runs=max(runs, 5), budget=budget)
        t_nx, _ = median_time(lambda t=target: nx_floor(t), runs=runs, budget=budget)
        t_cold, p = median_time(lambda t=target: plan(G, [t]), runs=runs, budget=budget)
        plan(frozen, [target])  # builds the kept index
        t_warm, q = median_time(lambda t=target: plan(frozen, [t]), runs=runs, budget=budget)
        assert q.ids == p.ids
        # What an application gains by moving the loaded graph out of the
        # collector's reach (gc.freeze): full collections stop rescanning it.
        gc.collect()
        gc.freeze()
        try:
            t_gc, _ = median_time(lambda t=target: plan(frozen, [t]), runs=runs, budget=budget)
        finally:
            gc.unfreeze()
        what = f"plan {target} ({len(p.steps)} steps, {p.method}; floor {size})"
        rows.append((label, what, "rx floor", t_floor, "nx the same", t_nx, "floor"))
        rows.append((label, what, "rx floor", t_floor, "plan", t_cold, "floor"))
        rows.append((label, what, "rx floor", t_floor, "plan frozen", t_warm, "floor"))
        rows.append((label, what, "rx floor", t_floor, "plan gc.freeze", t_gc, "floor"))
    return rows


def bench_cli(runs: int) -> list[Row]:
    py = sys.executable
    aipath = shutil.which("aipath") or str(Path(py).parent / "aipath")

    def run(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0

    cli = [aipath, "plan", "--to", "AI工程师", "--format", "json"]
    run(cli)  # the first run may fill the graph cache
    t_cli = statistics.median(run(cli) for _ in range(runs))
    t_imp = statistics.median(run([py, "-c", "import networkx, click"]) for _ in range(runs))
    t_pass = statistics.median(run([py, "-c", "pass"]) for _ in range(runs))
    what = "aipath plan --to AI工程师 --format json"
    return [
        ("cli", what, "import nx+click", t_imp, "aipath plan", t_cli, "floor"),
        ("cli", what, "python -c pass", t_pass, "aipath plan", t_cli, "floor"),
    ]


# ------------------------------------------------------------------------ the table


def verdict(row: Row) -> str:
    """The issue's target for this row, if it has one, and whether it is met."""
    size, _, _, t_base, cont, t_cont, kind = row
    if kind == "faster" and size in ("10k", "30k") and cont == "pyoxigraph":
        return "≥10×: " + ("met" if t_base / t_cont >= 10 else "MISSED")
    if kind == "floor" and size == "100k" and cont.startswith("plan"):
        return "≤3×: " + ("met" if t_cont / t_base <= 3 else "MISSED")
    return ""


def print_table(rows: list[Row]) -> None:
    head = ("size", "measure", "baseline", "s", "contender", "s", "ratio", "target")
    lines = [head]
    for row in rows:
        size, what, base, t_base, cont, t_cont, kind = row
        ratio = (
            f"{t_base / t_cont:.1f}× faster"
            if kind == "faster"
            else f"{t_cont / t_base:.1f}× floor"
        )
        lines.append(
            (size, what, base, f"{t_base:.3f}", cont, f"{t_cont:.3f}", ratio, verdict(row))
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for i, line in enumerate(lines):
        print(
            "  ".join(
                c.rjust(w) if c[:1].isdigit() and j in (3, 5, 6) else c.ljust(w)
                for j, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(SIZES), help="e.g. 1k,10k,30k,100k")
    ap.add_argument("--quick", action="store_true", help="1k and 10k only, fewer runs")
    ap.add_argument("--no-server", action="store_true", help="skip the Oxigraph server")
    ap.add_argument("--no-cli", action="store_true", help="skip CLI latency")
    ap.add_argument("--cli-runs", type=int, default=7)
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    ap.add_argument(
        "--budget", type=float, default=3.0, help="seconds after which a figure stops repeating"
    )
    args = ap.parse_args(argv)
    labels = ["1k", "10k"] if args.quick else [s.strip() for s in args.sizes.split(",")]
    runs = 3 if args.quick else args.runs
    rows: list[Row] = []
    started = time.perf_counter()
    for label in labels:
        n = parse_size(label)
        t0 = time.perf_counter()
        G = synthetic_graph(n, seed=42)
        nt = to_ntriples(G)
        print(
            f"# {label}: {n} skills, {G.number_of_nodes()} nodes, "
            f"{G.number_of_edges()} edges, generated in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        rows += bench_rdf(
            n, label, nt, runs=runs, budget=args.budget, use_server=not args.no_server
        )
        del nt
        rows += bench_plan(n, label, G, runs=runs, budget=args.budget)
    if not args.no_cli:
        rows += bench_cli(3 if args.quick else args.cli_runs)
    print_table(rows)
    print(f"\n(total {time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
