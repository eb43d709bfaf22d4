"""Time plan, path and next on synthetic graphs of 1k, 10k and 100k skills.

Usage: ``python benchmarks/bench_plan.py [SIZES…]`` (default 1000 10000 100000).
networkx as it is, one process; each figure is the best of a few runs (one at 100k).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).parent))
from synth import synthetic_graph

from aipath_graph.plan import frontier, path, plan


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def run(n: int) -> dict[str, Any]:
    repeat = 3 if n < 100_000 else 1
    t0 = time.perf_counter()
    G = synthetic_graph(n, seed=42)
    build = time.perf_counter() - t0
    rng = random.Random(7)
    role = "role0"
    t_role, p_role = best_of(lambda: plan(G, [role]), repeat)
    mid = f"s{n // 2}"
    known = [f"s{i}" for i in rng.sample(range(n // 4), 20)]
    t_mid, p_mid = best_of(lambda: plan(G, [mid], known=known), repeat)
    target = p_role.critical_path[-2]
    source = next(s for s in p_role.critical_path if G.in_degree(s) == 0 or s == "s0")
    t_path, pth = best_of(lambda: path(G, source, target), repeat)
    t_hops, _ = best_of(lambda: path(G, source, target, by="hops"), repeat)
    t_next, nxt = best_of(lambda: frontier(G, known), repeat)
    return {
        "skills": n,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "build_s": build,
        "plan_role_s": t_role,
        "role_steps": len(p_role.steps),
        "role_method": p_role.method,
        "plan_mid_s": t_mid,
        "mid_steps": len(p_mid.steps),
        "mid_method": p_mid.method,
        "path_effort_s": t_path,
        "path_hops_s": t_hops,
        "path_len": len(pth.nodes),
        "next_s": t_next,
        "next_items": len(nxt),
        "dag_s": best_of(lambda: nx.is_directed_acyclic_graph(G), 1)[0],
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    cols = [
        "skills",
        "edges",
        "plan_role_s",
        "role_steps",
        "role_method",
        "plan_mid_s",
        "mid_steps",
        "mid_method",
        "path_effort_s",
        "path_hops_s",
        "next_s",
        "next_items",
    ]
    print(" | ".join(cols))
    for n in sizes:
        r = run(n)
        print(
            " | ".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols),
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
