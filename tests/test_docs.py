"""The docs stay true: every command is in the README and every --help shows examples."""

from __future__ import annotations

import re

import pytest

from aipath_graph.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name):
    assert f"`aipath {name}" in README, f"README.md does not document 'aipath {name}'"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_help_has_examples_that_name_the_command(invoke, name):
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    examples = result.output.split("Examples:", 1)[1]
    assert re.search(rf"aipath .*\b{name}\b", examples), examples


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    assert "aipath plan" in blocks[0] and "aipath render" in blocks[0]
    assert blocks[1].strip() == "bash .ci/run"


def test_changelog_exists_and_names_the_version():
    from aipath_graph import __version__

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text or f"## [{__version__}]" in text


def test_a_missing_optional_package_is_one_line(invoke, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyoxigraph(name, *args, **kwargs):
        if name.split(".")[0] == "pyoxigraph":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyoxigraph)
    result = invoke("--store", "oxigraph:/nonexistent/store", "show", "git")
    assert result.exit_code == 1
    assert "pip install 'aipath-graph[oxigraph]'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_every_public_name_resolves():
    import aipath_graph

    for name in aipath_graph.__all__:
        assert getattr(aipath_graph, name) is not None, name
