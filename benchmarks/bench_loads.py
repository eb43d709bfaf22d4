"""Linear loads: cold and reopened plans on big Turtle files, against their floors.

Usage::

    python benchmarks/bench_loads.py [--sizes 10k,100k] [--big-mb 200] [--keep]

For each size of synthetic graph (:mod:`synth`), written as a Turtle file, it runs
``aipath --data FILE plan --to role0 --format json`` as a user would (a fresh
process each time) and reports wall time and peak memory (the child's own
``ru_maxrss``):

1. **rdflib parse** — the floor: ``rdflib.Graph().parse(FILE)`` alone, timed inside
   its process (imports excluded);
2. **cold memory plan** — an empty cache: parse, compile, project, cache; target
   ≤ 2.5× the floor;
3. **warm memory plan** — the same command again (views from the cache);
4. **cold Oxigraph plan** — ``--store oxigraph:PATH`` on a new path (bulk load,
   projection, views written beside the store);
5. **reopened Oxigraph plan** — the same again; target ≤ 2× the warm memory plan.

With ``--big-mb N`` it also writes a Turtle file of about N MB (deleted at the
end unless ``--keep``) and compares **Oxigraph's own bulk load** of it (pyoxigraph,
a fresh process, into the default graph) with the cold and reopened Oxigraph
plans (to ``s2000``, so the figures are the load's, not a 200,000-step plan's);
targets: peak under 1 KB per triple, time within 3× the bulk load. For context
it also times the same bulk load into a named graph, which is what the store
does (one named graph per source): Oxigraph then writes six indexes, not three.
The memory store is not run on it (rdflib needs ~3.9 KB per triple). Everything
runs in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import parse_size, synthetic_graph, to_ntriples

AIPATH = [sys.executable, "-m", "aipath_graph"]


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB, that child alone, through ``os.wait4``) and stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def write_turtle(skills: int, path: Path) -> int:
    """Write a synthetic graph of ``skills`` skills as Turtle; return its triple count."""
    text = to_ntriples(synthetic_graph(skills, seed=7))  # N-Triples is Turtle
    path.write_text(text + "\n", encoding="utf-8")
    return text.count("\n") + 1


PARSE = (
    "import sys, time, rdflib\n"
    "t = time.perf_counter(); g = rdflib.Graph().parse(sys.argv[1], format='turtle')\n"
    "print(time.perf_counter() - t)\n"
)
BULK = (
    "import sys, time, pyoxigraph\n"
    "t = time.perf_counter(); s = pyoxigraph.Store(sys.argv[2])\n"
    "to = {'to_graph': pyoxigraph.NamedNode(sys.argv[3])} if len(sys.argv) > 3 else {}\n"
    "s.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE, **to); s.flush()\n"
    "print(time.perf_counter() - t)\n"
)


def plan(
    data: Path, env: dict[str, str], store: str | None = None, target: str = "role0"
) -> tuple[float, float]:
    cmd = [*AIPATH, "--data", str(data)]
    if store:
        cmd += ["--store", store]
    wall, rss, _ = run_measured([*cmd, "plan", "--to", target, "--format", "json"], env)
    return wall, rss


def bench_size(name: str, tmp: Path) -> list[str]:
    skills = parse_size(name)
    ttl = tmp / f"synth-{name}.ttl"
    triples = write_turtle(skills, ttl)
    env = {**os.environ, "AIPATH_CACHE_DIR": str(tmp / f"cache-{name}")}
    _, parse_rss, out = run_measured([sys.executable, "-c", PARSE, str(ttl)])
    floor = float(out)
    cold = plan(ttl, env)
    warm = plan(ttl, env)
    store = f"oxigraph:{tmp / f'ox-{name}'}"
    ox_cold = plan(ttl, env, store)
    ox_again = plan(ttl, env, store)
    return [
        f"### {name} skills ({triples:,} triples, {ttl.stat().st_size / 1e6:.1f} MB Turtle)",
        "",
        "| run | seconds | peak MB | ratio |",
        "|---|---|---|---|",
        f"| rdflib parse alone (floor) | {floor:.2f} | {parse_rss:.0f} | 1.0 |",
        f"| cold memory plan | {cold[0]:.2f} | {cold[1]:.0f} | {cold[0] / floor:.2f}× floor "
        "(target ≤ 2.5×) |",
        f"| warm memory plan | {warm[0]:.2f} | {warm[1]:.0f} | |",
        f"| cold Oxigraph plan | {ox_cold[0]:.2f} | {ox_cold[1]:.0f} | |",
        f"| reopened Oxigraph plan | {ox_again[0]:.2f} | {ox_again[1]:.0f} | "
        f"{ox_again[0] / warm[0]:.2f}× warm memory (target ≤ 2×) |",
        "",
    ]


def bench_big(megabytes: int, tmp: Path, keep: bool) -> list[str]:
    probe = tmp / "probe.ttl"
    write_turtle(10_000, probe)
    skills = int(10_000 * megabytes * 1e6 / probe.stat().st_size)
    probe.unlink()
    ttl = tmp / f"synth-{megabytes}mb.ttl"
    triples = write_turtle(skills, ttl)
    try:
        env = {**os.environ, "AIPATH_CACHE_DIR": str(tmp / "cache-big")}
        own_wall, own_rss, _ = run_measured(
            [sys.executable, "-c", BULK, str(ttl), str(tmp / "ox-own")]
        )
        named_wall, named_rss, _ = run_measured(
            [sys.executable, "-c", BULK, str(ttl), str(tmp / "ox-named"), "urn:x-bench:g"]
        )
        store = f"oxigraph:{tmp / 'ox-big'}"
        # A small target (closure ≤ 2,000 skills): the figures are the load's, not those
        # of a 200,000-step plan written as JSON.
        cold = plan(ttl, env, store, "s2000")
        again = plan(ttl, env, store, "s2000")
    finally:
        if not keep:
            ttl.unlink()
    per = cold[1] * 1024 * 1024 / triples
    return [
        f"### {megabytes} MB Turtle ({skills:,} skills, {triples:,} triples)",
        "",
        "| run | seconds | peak MB | ratio |",
        "|---|---|---|---|",
        f"| pyoxigraph bulk load alone | {own_wall:.1f} | {own_rss:.0f} | 1.0 |",
        f"| … into a named graph | {named_wall:.1f} | {named_rss:.0f} | "
        f"{named_wall / own_wall:.2f}× |",
        f"| cold Oxigraph plan | {cold[0]:.1f} | {cold[1]:.0f} | {cold[0] / own_wall:.2f}× "
        f"bulk load (target ≤ 3×); {per:.0f} bytes per triple (target < 1024) |",
        f"| reopened Oxigraph plan | {again[0]:.1f} | {again[1]:.0f} | |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--big-mb", type=int, default=0, help="also a Turtle file of N MB")
    parser.add_argument("--keep", action="store_true", help="keep the big file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aipath-bench-loads-"))
    try:
        lines: list[str] = []
        for name in filter(None, args.sizes.split(",")):
            lines += bench_size(name, tmp)
            print("\n".join(lines[-10:]), flush=True)
        if args.big_mb:
            big = bench_big(args.big_mb, tmp, args.keep)
            lines += big
            print("\n".join(big), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
