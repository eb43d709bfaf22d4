"""The compiled-graph cache: rebuilt when stale, corrupt, half-written or killed midway."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aipath_graph.cache import GraphCache, read_entry

from .conftest import ROOT

PLAN = ["plan", "--to", "fine-tuning", "--format", "json"]


def _run(args, cache: Path, *, no_cache: bool = False, data: Path | None = None):
    env = {**os.environ, "AIPATH_CACHE_DIR": str(cache)}
    if no_cache:
        env["AIPATH_NO_CACHE"] = "1"
    cmd = [sys.executable, "-m", "aipath_graph"]
    if data is not None:
        cmd += ["--data", str(data)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, cwd=ROOT)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = _run(PLAN, tmp_path_factory.mktemp("unused"), no_cache=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*.bin"))


def test_second_run_reads_the_cache(tmp_path, reference):
    assert _run(PLAN, tmp_path).stdout == reference
    files = _entries(tmp_path)
    assert [p.name for p in files] == ["graph.bin", "views.bin"]
    stamps = [p.stat().st_mtime_ns for p in files]
    assert _run(PLAN, tmp_path).stdout == reference
    assert [p.stat().st_mtime_ns for p in files] == stamps


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty", "flip"])
def test_a_damaged_entry_is_detected_and_rebuilt(tmp_path, reference, damage):
    assert _run(PLAN, tmp_path).returncode == 0
    for path in _entries(tmp_path):
        data = path.read_bytes()
        if damage == "garbage":
            path.write_bytes(b"not a cache file")
        elif damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.write_bytes(data[:-10] + bytes(b ^ 0xFF for b in data[-10:]))
        assert read_entry(path) is None
    assert _run(PLAN, tmp_path).stdout == reference
    assert all(read_entry(p) is not None for p in _entries(tmp_path))


def test_an_edited_source_rebuilds(tmp_path):
    data = tmp_path / "graph"
    shutil.copytree(ROOT / "graph", data)
    cache = tmp_path / "cache"
    before = _run(["show", "fine-tuning", "--format", "json"], cache, data=data)
    assert '"effort_hours": 30.0' in before.stdout or "30" in before.stdout
    skills = data / "skills.yaml"
    text = skills.read_text(encoding="utf-8")
    start = text.index("\n  fine-tuning:")
    end = text.index("effort:", start)
    line_end = text.index("\n", end)
    skills.write_text(text[:end] + "effort: 77" + text[line_end:], encoding="utf-8")
    after = _run(PLAN, cache, data=data)
    assert after.returncode == 0, after.stderr
    import json

    steps = {s["id"]: s["effort_hours"] for s in json.loads(after.stdout)["steps"]}
    assert steps["fine-tuning"] == 77
    assert len({p.parent for p in _entries(cache)}) == 2  # old and new key side by side


def test_a_build_killed_midway_leaves_a_working_cache(tmp_path, reference):
    env = {**os.environ, "AIPATH_CACHE_DIR": str(tmp_path)}
    for delay in (0.05, 0.15, 0.3, 0.45, 0.6, 0.8):
        proc = subprocess.Popen(
            [sys.executable, "-m", "aipath_graph", *PLAN],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for path in _entries(tmp_path):  # whatever was left is complete, or is ignored
            assert read_entry(path) is not None
        out = _run(PLAN, tmp_path)
        assert out.returncode == 0, out.stderr
        assert out.stdout == reference
        shutil.rmtree(tmp_path)
        tmp_path.mkdir()


def test_processes_racing_on_a_cold_cache_all_answer(tmp_path, reference):
    env = {**os.environ, "AIPATH_CACHE_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "aipath_graph", *PLAN],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert all(o == reference for o, _ in outs)
    assert all(read_entry(p) is not None for p in _entries(tmp_path))


def test_cache_can_be_turned_off(tmp_path, reference):
    assert _run(PLAN, tmp_path, no_cache=True).stdout == reference
    assert _entries(tmp_path) == []


def test_unwritable_cache_folder_still_answers(tmp_path, reference):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    out = _run(PLAN, blocker)
    assert out.returncode == 0 and out.stdout == reference


def test_old_entries_are_pruned(tmp_path):
    for i in range(12):
        (tmp_path / f"old{i:02d}").mkdir()
    GraphCache(None, root=tmp_path).views()
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) <= 8
