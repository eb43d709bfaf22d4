"""Hostile or careless input to the CLI: YAML bombs, devices, FIFOs, control characters."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aipath_graph.errors import ProfileError
from aipath_graph.load import MAX_YAML_BYTES, parse_yaml
from aipath_graph.profile import parse_profile

from .conftest import ROOT

#: The classic "billion laughs" in 470 bytes: nine levels of nine aliases each.
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "skills:\n  x: {label: {en: x, zh: x}, effort: 1, note: *i}\n"
)


def _aipath(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aipath_graph", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, "AIPATH_NO_CACHE": "1"},
    )


def test_the_alias_bomb_is_refused_at_once_with_file_and_line(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB.encode()) < 600
    start = time.monotonic()
    out = _aipath("--data", str(bomb), "validate", timeout=60)
    seconds = time.monotonic() - start
    assert out.returncode == 3, out.stderr
    assert f"{bomb}:1: error: YAML anchors and aliases" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert seconds < 30, f"validate took {seconds:.1f} s"  # it ran for minutes at 2.9 GB before


@pytest.mark.parametrize(
    "text,line",
    [
        ("skills:\n  x: &x {label: {en: x, zh: x}}\n  y: *x\n", 2),
        ("base: &b {effort: 1}\nskills:\n  x:\n    <<: *b\n", 1),
        ("skills:\n  x:\n    label: !!str &l y\n", 3),
    ],
)
def test_anchors_and_aliases_are_refused_in_graph_sources(text: str, line: int) -> None:
    result = parse_yaml(text, "g.yaml")
    assert [str(p) for p in result.problems] == [
        f"g.yaml:{line}: error: YAML anchors and aliases (&name, *name, <<: *name) are not "
        "allowed; write the value out"
    ]
    assert result.records == []


def test_anchors_are_refused_in_profiles() -> None:
    with pytest.raises(ProfileError, match=r"^me\.yaml:2: YAML anchors and aliases"):
        parse_profile("knows: [python]\nlearning: &l [git]\ngoals: *l\n", "me.yaml")


@pytest.mark.parametrize("hours", ["1e-320", "0", "-3", "169", ".inf", ".nan"])
def test_profile_hours_are_bounded(hours: str) -> None:
    with pytest.raises(ProfileError, match="a number of hours from 0 to 168"):
        parse_profile(f"hours_per_week: {hours}\n", "me.yaml")


def test_data_from_a_device_is_refused_in_one_line() -> None:
    out = _aipath("--data", "/dev/zero", "validate", timeout=30)
    assert out.returncode == 3
    assert "/dev/zero: error: is not a regular file" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr


def test_data_from_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "skills.yaml"
    os.mkfifo(fifo)
    out = _aipath("--data", str(fifo), "validate", timeout=30)  # it blocked forever before
    assert out.returncode == 3
    assert f"{fifo}: error: is not a regular file" in out.stdout + out.stderr


def test_an_oversized_yaml_source_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_YAML_BYTES + 1)  # sparse: costs no disk
    out = _aipath("--data", str(big), "validate", timeout=30)
    assert out.returncode == 3
    assert "more than the limit of 16,777,216" in out.stdout + out.stderr
