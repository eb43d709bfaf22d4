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


class _Planted:
    """A pickle that runs a shell command when loaded (what an attacker would plant)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"id > {self.marker}",))


def _plant(folder: Path, marker: Path, *, magic: bytes) -> list[Path]:
    """Write signed-looking entries with an unkeyed SHA-256, as anyone could compute it."""
    import hashlib
    import pickle

    payload = pickle.dumps(_Planted(marker))
    data = magic + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    entry = folder / GraphCache(None, root=folder).key
    entry.mkdir(parents=True, exist_ok=True)
    paths = [entry / "graph.bin", entry / "views.bin"]
    for path in paths:
        path.write_bytes(data)
    return paths


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="planting a file as another user needs root (chown to nobody)",
)


@needs_root
def test_a_pickle_planted_by_another_user_in_a_shared_folder_never_runs(tmp_path, reference):
    shared = tmp_path / "shared"
    shared.mkdir()
    marker = tmp_path / "pwned"
    _plant(shared, marker, magic=b"AIPATH-CACHE-1\n")  # the framing of the old, unkeyed cache
    _plant(shared / "v2", marker, magic=b"AIPATH-CACHE-2\n")
    for p in [shared, *shared.rglob("*")]:
        os.chown(p, 65534, 65534)
    shared.chmod(0o777)
    out = _run(PLAN, shared)
    assert out.returncode == 0, out.stderr
    assert out.stdout == reference
    assert not marker.exists(), marker.read_text()
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "belongs to another user (uid 65534)" in lines[0], out.stderr
    assert "running without the cache" in lines[0]
    out = _run(PLAN, shared / "v2")
    assert out.returncode == 0 and out.stdout == reference and not marker.exists()
    assert "belongs to another user" in out.stderr


@needs_root
@pytest.mark.parametrize("owner", ["nobody", "self"])
def test_a_pickle_without_our_signature_is_rebuilt_not_loaded(tmp_path, reference, owner):
    private = tmp_path / "private"
    assert _run(PLAN, private).returncode == 0  # makes the folder (0700) and its secret
    assert private.stat().st_mode & 0o777 == 0o700
    assert (private / "secret").stat().st_mode & 0o777 == 0o600
    marker = tmp_path / "pwned"
    for magic in (b"AIPATH-CACHE-1\n", b"AIPATH-CACHE-2\n"):
        planted = _plant(private, marker, magic=magic)
        if owner == "nobody":
            for path in planted:
                os.chown(path, 65534, 65534)
        out = _run(PLAN, private)
        assert out.returncode == 0 and out.stdout == reference, out.stderr
        assert out.stderr == ""
        assert not marker.exists()
        assert all(read_entry(p) is not None for p in planted)  # rebuilt by us, signed


def test_a_folder_others_can_write_is_not_used(tmp_path, reference):
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    open_folder.chmod(0o777)
    out = _run(PLAN, open_folder)
    assert out.returncode == 0 and out.stdout == reference
    assert "is writable by other users (mode 777)" in out.stderr
    assert _entries(open_folder) == []
