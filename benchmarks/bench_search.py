"""Search quality and latency on the bundled graph.

Usage: ``python benchmarks/bench_search.py [--runs N]``

Prints hit@1 and hit@5 of the labelled goal phrases (``tests/data/goal-phrases.yaml``)
per language, for the main set and for the phrases whose answer is a 2026 LLM skill
(those whose expected node is in the graph), then the latency:

- *in process*: jieba's dictionary load, the index build (views already loaded), and
  one query (median and worst over all phrases, per language) on a warm index;
- *a fresh ``aipath search``* (median of ``--runs``), the way a user meets it: with a
  cold cache (no compiled graph yet: compile, project, index), with the graph cached
  but not the index, and with everything cached — an English query (no jieba) and a
  Chinese one (jieba's dictionary loaded from its own cache).

Each subprocess gets its own cache folder, so nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PHRASES = yaml.safe_load((ROOT / "tests" / "data" / "goal-phrases.yaml").read_text("utf-8"))


def quality(index: Any) -> None:
    known = {d.id for d in index.docs}
    for group in ("main", "after_llm_skills"):
        phrases = [p for p in PHRASES[group] if known & set(p["expect"])]
        left = len(PHRASES[group]) - len(phrases)
        note = f" ({left} skipped: expected node not in the graph)" if left else ""
        print(f"\n{group}: {len(phrases)} phrases{note}")
        if not phrases:
            continue
        print(f"  {'lang':<5} {'n':>3}  {'hit@1':>6}  {'hit@5':>6}")
        for lang in ("zh", "en", "all"):
            rows = [p for p in phrases if lang in ("all", p["lang"])]
            if not rows:
                continue
            h1 = h5 = 0
            for p in rows:
                found = [h.id for h in index.search(p["text"], lang=p["lang"], limit=5)]
                h1 += bool(found) and found[0] in p["expect"]
                h5 += any(n in p["expect"] for n in found)
            n = len(rows)
            print(f"  {lang:<5} {n:>3}  {h1 / n:>6.0%}  {h5 / n:>6.0%}")
        misses = [
            (p["text"], p["expect"][0], [h.id for h in index.search(p["text"], limit=3)])
            for p in phrases
            if not any(
                h.id in p["expect"] for h in index.search(p["text"], lang=p["lang"], limit=1)
            )
        ]
        for text, expected, got in misses:
            print(f"  miss@1: {text!r} expected {expected}, got {got}")


def in_process() -> Any:
    from aipath_graph.cache import GraphCache
    from aipath_graph.search import SearchIndex, _segmenter

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AIPATH_CACHE_DIR"] = tmp  # jieba's own cache goes there too
        t0 = time.perf_counter()
        _segmenter()
        t_jieba_cold = time.perf_counter() - t0
        _segmenter.cache_clear()
        t0 = time.perf_counter()
        _segmenter()
        t_jieba_warm = time.perf_counter() - t0
        views = GraphCache(None).views()
        t0 = time.perf_counter()
        index = SearchIndex.build(views["relations"], views["index"])
        t_build = time.perf_counter() - t0
    print("in process")
    print(f"  jieba dictionary: {t_jieba_cold:.2f} s built, {t_jieba_warm:.2f} s from its cache")
    print(f"  index build ({len(index.docs)} nodes, jieba loaded): {t_build * 1000:.0f} ms")
    for lang in ("zh", "en"):
        times = []
        for p in PHRASES["main"] + PHRASES["after_llm_skills"]:
            if p["lang"] != lang:
                continue
            t0 = time.perf_counter()
            index.search(p["text"], lang=lang, limit=10)
            times.append(time.perf_counter() - t0)
        print(
            f"  one query, {lang}: median {statistics.median(times) * 1000:.1f} ms, "
            f"worst {max(times) * 1000:.1f} ms ({len(times)} phrases)"
        )
    return index


def cli_runs(runs: int) -> None:
    exe = [sys.executable, "-m", "aipath_graph"]

    def once(cache: Path, *words: str) -> float:
        env = {**os.environ, "AIPATH_CACHE_DIR": str(cache)}
        t0 = time.perf_counter()
        subprocess.run([*exe, "search", *words], env=env, check=True, capture_output=True)
        return time.perf_counter() - t0

    print(f"a fresh `aipath search` (median of {runs})")
    for label, words, prepare in (
        ("cold cache, en", ("learn", "pytorch"), "none"),
        ("graph cached, index not, en", ("learn", "pytorch"), "views"),
        ("all cached, en (no jieba)", ("learn", "pytorch"), "all"),
        ("all cached, zh", ("我想做一个基于公司文档的问答机器人",), "all"),
    ):
        times = []
        for _ in range(runs):
            cache = Path(tempfile.mkdtemp())
            try:
                if prepare != "none":
                    once(cache, "深度学习")  # builds views, index and jieba's cache
                if prepare == "views":
                    for f in cache.glob("*/search.bin"):
                        f.unlink()
                times.append(once(cache, *words))
            finally:
                shutil.rmtree(cache, ignore_errors=True)
        print(f"  {label:<30} {statistics.median(times):.2f} s")
    floor = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*exe, "--version"], check=True, capture_output=True)
        floor.append(time.perf_counter() - t0)
    print(f"  {'floor (aipath --version)':<30} {statistics.median(floor):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure")
    args = parser.parse_args()
    index = in_process()
    quality(index)
    print()
    cli_runs(args.runs)


if __name__ == "__main__":
    main()
