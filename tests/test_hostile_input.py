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

#: The classic "billion laughs" in 400 bytes: nine levels of nine aliases each.
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


EVIL_YAML = r"""skills:
  evil:
    label: {en: "Evil\e]0;pwned\a\e[2J\e]8;;http://x.example\e\\link", zh: "坏\x9b31m\u202e"}
    effort: 3
    requires: [good]
  good:
    label: {en: "Good", zh: "好"}
    effort: 2
"""
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "evil"],
        ["--lang", "zh", "show", "evil"],
        ["dependents", "good"],
        ["plan", "--to", "evil"],
        ["plan", "--to", "evil", "--format", "json"],
        ["query", "--format", "csv", "SELECT ?l { ?s skos:prefLabel ?l }"],
        ["query", "SELECT ?l { ?s skos:prefLabel ?l }"],
        ["show", "Evil\x1b[2J"],  # what a user types comes back in the error line
    ],
)
def test_control_characters_from_data_never_reach_the_output(invoke, tmp_path, args) -> None:
    (tmp_path / "skills.yaml").write_text(EVIL_YAML, encoding="utf-8")
    result = invoke("--data", str(tmp_path), *args)
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in text
    assert not [c for c in RAW_CONTROLS if c in text], text
    if args[0] != "show" or args[-1] == "evil":
        assert result.exit_code == 0, text
        assert "\\u001b" in text or "\\u009b" in text  # shown, escaped


def test_control_characters_from_data_are_escaped_in_server_answers(tmp_path) -> None:
    import json

    import httpx

    from aipath_graph.graph import load_graph
    from aipath_graph.server.app import create_app
    from aipath_graph.server.pool import WorkerState, run_job

    from .test_server_hygiene import run_async

    (tmp_path / "skills.yaml").write_text(EVIL_YAML, encoding="utf-8")
    graph = load_graph([tmp_path])
    app = create_app(graph, workers=1)

    async def node() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/api/node/evil", params={"lang": "zh"})

    r = run_async(node())
    assert r.status_code == 200 and not [c for c in RAW_CONTROLS if c in r.text]
    assert "坏\u009b31m" in json.dumps(r.json(), ensure_ascii=False)  # the value survives
    state = WorkerState(graph, max_rows=100)
    for accept in ("text/csv", "application/sparql-results+json", "text/turtle"):
        query = "SELECT ?l { ?s skos:prefLabel ?l }"
        if accept == "text/turtle":
            query = "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s skos:prefLabel ?l }"
        body = run_job(state, ("sparql", query, accept, None)).body.decode()
        assert not [c for c in RAW_CONTROLS if c in body], accept
        assert "\\u001b" in body, accept
