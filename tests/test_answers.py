"""The answers layer through the CLI and the API: both languages, argument checks, show.

Each bug of issue 12 has a test here that failed before the fix.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import click
import pytest

from tests.conftest import ROOT

#: English frame words that must not appear in Chinese output (labels and ids aside).
ENGLISH_FRAME = re.compile(
    r"\b(Plan for|Phase|critical path|Gap to|have|missing|none|unlocks|shared|only|hops|"
    r"start|true|false|requires|essential|optional|error|warning|did you mean|triples|"
    r"definition|weeks|steps|prerequisites|roles|tools|resources|effort|stage|nodes|"
    r"ignoring|unknown|is not|along this chain|full plan)\b|\d h\b|\bh/week\b"
)

#: Commands with arguments that work on the bundled graph.
ZH_COMMANDS = [
    ["plan", "--to", "ai-engineer", "--hours-per-week", "10"],
    ["plan", "--to", "fine-tuning", "--format", "md"],
    ["path", "python-basics", "ai-engineer"],
    ["next", "--have", "python-basics,no-such-thing", "-n", "5"],
    ["gap", "ai-engineer", "--have", "python-basics"],
    ["compare", "data-scientist", "ai-engineer"],
    ["show", "ai-engineer"],
    ["show", "fine-tuning"],
    ["show", "beginner"],
    ["prereqs", "fine-tuning", "--direct"],
    ["prereqs", "backpropagation", "--tree"],
    ["dependents", "linear-algebra", "--direct"],
    ["stats"],
    ["validate", "--no-shacl"],
    ["query", "--list"],
    ["plan", "--to", "no-such-skill"],
    ["gap", "pytorch"],
]


def _ids(bundled: Any) -> list[str]:
    """Node ids and every label and alt label of the graph, longest first."""
    from rdflib import SKOS

    from aipath_graph.answers import Session

    G = Session.over(bundled).views()["relations"]
    from aipath_graph.sparql.query import named_queries

    names = {str(n) for n in G.nodes} | set(named_queries())  # identifiers a user types
    for pred in (SKOS.prefLabel, SKOS.altLabel):
        names |= {str(o) for o in bundled.objects(None, pred)}
    return sorted(names, key=len, reverse=True)


def _frame_only(text: str, ids: list[str]) -> str:
    """``text`` without node ids, the ASCII labels in it, and code spans."""
    text = re.sub(r"`[^`]*`|--param [\w-]+=", "", text)  # code and parameter names
    for n in ids:
        text = text.replace(n, "")
    return re.sub(r"[A-Za-z][A-Za-z/&+.\- ]*[A-Za-z]", lambda m: _keep_frame(m.group()), text)


def _keep_frame(word: str) -> str:
    # Labels such as "PyTorch" or "MLOps" stay out of the check; frame words do not.
    return word if ENGLISH_FRAME.search(word) else ""


@pytest.mark.parametrize("args", ZH_COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_speaks_chinese_in_both_positions(
    runner: Any, bundled: Any, args: list[str]
) -> None:
    from aipath_graph.cli import main

    before = runner.invoke(main, ["--lang", "zh", *args])
    after = runner.invoke(main, [*args, "--lang", "zh"])
    assert before.exit_code == after.exit_code, (before.output, after.output)
    assert before.stdout == after.stdout and before.stderr == after.stderr
    ids = _ids(bundled)
    for stream in (before.stdout, before.stderr):
        leftover = _frame_only(stream, ids)
        assert not ENGLISH_FRAME.search(leftover), (ENGLISH_FRAME.search(leftover), stream)


def test_aipath_lang_in_the_environment(runner: Any) -> None:
    from aipath_graph.cli import main

    r = runner.invoke(main, ["plan", "--to", "fine-tuning"], env={"AIPATH_LANG": "zh"})
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("学习计划：")
    en = runner.invoke(
        main, ["--lang", "en", "plan", "--to", "fine-tuning"], env={"AIPATH_LANG": "zh"}
    )
    assert en.stdout.startswith("Plan for")


def test_chinese_uses_full_width_marks_and_chinese_units(invoke: Any) -> None:
    r = invoke("--lang", "zh", "plan", "--to", "fine-tuning", "--hours-per-week", "10")
    head = "\n".join(r.stdout.splitlines()[:3])
    assert "：" in head and "，" in head and "小时" in head and "周" in head
    assert not re.search(r"\d h\b", r.stdout) and ":" not in head.replace("：", "")


def test_weeks_are_rounded_as_people_write_them(invoke: Any) -> None:
    r = invoke("plan", "--to", "ai-engineer", "--hours-per-week", "7")
    line = r.stdout.splitlines()[2]
    assert re.search(r"about \d+ weeks one at a time", line), line
    assert not re.search(r"\d+\.\d\d", line)


# ---------------------------------------------------------------- argument checks


@pytest.mark.parametrize(
    "args",
    [
        ["gap", "pytorch"],
        ["compare", "ai-engineer", "pytorch"],
        ["render", "--role", "pytorch", "-o", "-"],
    ],
)
def test_role_commands_refuse_a_tool(runner: Any, args: list[str]) -> None:
    from aipath_graph.cli import main

    r = runner.invoke(main, args)
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == "error: 'pytorch' is a Tool, not a role or career level"
    zh = runner.invoke(main, ["--lang", "zh", *args])
    assert zh.stderr.strip() == "错误：「pytorch」是工具，不是岗位或职级"


def test_path_says_what_its_hours_are_and_points_to_the_plan(invoke: Any) -> None:
    r = invoke("path", "python-basics", "AI Engineer")
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert "along this chain; the full plan is `aipath plan --to ai-engineer" in first
    assert "hops" not in first
    record = json.loads(invoke("path", "python-basics", "ai-engineer", "--format", "json").stdout)
    assert record["plan"] == "aipath plan --to ai-engineer"


def test_an_empty_query_says_it_is_empty(runner: Any) -> None:
    from aipath_graph.cli import main

    for text in ("", "   "):
        r = runner.invoke(main, ["query", text])
        assert r.exit_code == 2 and "the query is empty" in r.stderr, r.output
        assert "UPDATE" not in r.stderr


def test_profile_errors_are_not_invalid_graph(runner: Any, tmp_path: Path) -> None:
    from aipath_graph.cli import main

    bad = tmp_path / "me.yaml"
    bad.write_text("knows: [python-basics\n", encoding="utf-8")
    r = runner.invoke(main, ["plan", "--profile", str(bad)])
    assert r.exit_code == 1, r.output
    assert "not valid YAML" in r.stderr


def test_the_role_is_not_a_step_of_its_own_plan(invoke: Any) -> None:
    record = json.loads(invoke("plan", "--to", "ai-engineer", "--format", "json").stdout)
    ids = [s["id"] for s in record["steps"]]
    assert "ai-engineer" not in ids and record["targets"][0]["id"] == "ai-engineer"
    assert [s["order"] for s in record["steps"]] == list(range(1, len(ids) + 1))
    table = invoke("plan", "--to", "ai-engineer").stdout
    assert f"{len(ids)} steps" in table.splitlines()[1]


def test_have_unknown_name_warns_the_same_in_plan_next_and_render(
    runner: Any, tmp_path: Path
) -> None:
    from aipath_graph.cli import main

    runs = [
        ["plan", "--to", "fine-tuning", "--have", "klingon"],
        ["next", "--have", "klingon"],
        ["render", "--plan-to", "fine-tuning", "--have", "klingon", "-o", str(tmp_path / "m.html")],
    ]
    lines = []
    for args in runs:
        r = runner.invoke(main, args)
        assert r.exit_code == 0, r.output
        lines.append(next(x for x in r.stderr.splitlines() if "klingon" in x))
    assert len(set(lines)) == 1 and lines[0].startswith("warning: ignoring known item:")


UNLABELLED = """\
@prefix aip: <https://w3id.org/aipath/ontology#> .
@prefix id: <https://w3id.org/aipath/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:algebra a aip:Skill ; skos:prefLabel "Algebra" ; aip:effortHours 10 .
id:calculus a aip:Skill ; skos:prefLabel "Calculus" ; aip:effortHours 20 ; aip:requires id:algebra .
"""


def test_unlabelled_data_prints_the_same_labels_in_plan_and_show(
    runner: Any, tmp_path: Path
) -> None:
    from aipath_graph.cli import main

    data = tmp_path / "plain.ttl"
    data.write_text(UNLABELLED, encoding="utf-8")
    plan = runner.invoke(main, ["--data", str(data), "plan", "--to", "calculus"])
    assert plan.exit_code == 0, plan.output
    assert "Calculus (calculus)" in plan.stdout and "Algebra" in plan.stdout
    show = runner.invoke(main, ["--data", str(data), "show", "calculus"])
    assert show.stdout.startswith("Calculus (calculus)"), show.output


# ---------------------------------------------------------------- show


def test_show_a_role_lists_its_skills_focus_and_duties(invoke: Any, prereq_graph: Any) -> None:
    essentials = sorted(
        u for u, _, k in prereq_graph.in_edges("ai-engineer", data="kind") if k == "essential"
    )
    record = json.loads(invoke("show", "ai-engineer", "--format", "json").stdout)
    assert sorted(e["id"] for e in record["essential"]) == essentials
    assert record["optional"] and record["focus"]["en"] and record["responsibilities"]["zh"]
    text = invoke("show", "ai-engineer").stdout
    assert "essential skills:" in text and "optional skills:" in text
    assert "focus: " in text and "responsibilities:" in text
    assert all(f"({e})" in text for e in essentials)


def test_show_a_stage_and_a_project(invoke: Any) -> None:
    stage = json.loads(invoke("show", "beginner", "--format", "json").stdout)
    assert stage["goal"]["zh"] and stage["covers"] and stage["stage_projects"]
    assert stage["months"] == {"from": 0, "to": 6}
    project = invoke("show", "simple-regression").stdout
    assert "skills practised:" in project and "(linear-algebra)" in project


def test_show_keeps_tools_and_resources_apart_from_prerequisites(invoke: Any) -> None:
    text = invoke("show", "fine-tuning").stdout
    sections = re.findall(r"^  ([a-z ]+):$", text, flags=re.M)
    assert (
        sections.index("prerequisites") < sections.index("used by") < sections.index("learn from")
    )


# ---------------------------------------------------------------- help examples

#: Commands whose examples need something a test cannot give: a server left
#: running, a remote store, or third-party files to import.
NOT_RUN_COMMANDS = {"serve", "push", "import"}
#: Example text that needs a running SPARQL endpoint or another program.
NOT_RUN_TEXT = ("--store sparql:", "| dot")

MY_SKILLS = """\
skills:
  prompt-basics:
    label: {zh: '提示词基础', en: 'Prompt basics'}
    definition: {zh: '编写清晰的提示词。', en: 'Writing clear prompts.'}
    effort: 4
"""


def _subcommand(args: list[str]) -> str:
    """The command an ``aipath`` command line runs (after the global options)."""
    from aipath_graph.cli import main

    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option in ("--data", "--lang", "--store") and rest:
            rest.pop(0)
    return rest[0] if rest and rest[0] in main.commands else ""


def _examples() -> list[str]:
    from aipath_graph.cli import main

    out = []
    for cmd in [main, *main.commands.values()]:
        doc = cmd.help or ""
        if "Examples:" not in doc or cmd.name in NOT_RUN_COMMANDS:
            continue  # an import's examples go on from the file it imported
        for line in doc.split("Examples:", 1)[1].splitlines():
            line = line.strip()
            if not line.startswith("aipath ") or any(x in line for x in NOT_RUN_TEXT):
                continue
            if _subcommand(shlex.split(line)[1:]) in NOT_RUN_COMMANDS:
                continue
            out.append(line)
    return sorted(set(out))


@pytest.mark.slow
def test_every_help_example_runs_as_written(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aipath_graph.cli import main

    shutil.copytree(ROOT / "graph", tmp_path / "graph")
    shutil.copytree(ROOT / "graph", tmp_path / "my-graph")
    (tmp_path / "my-skills.yaml").write_text(MY_SKILLS, encoding="utf-8")
    (tmp_path / "my.rq").write_text(
        "SELECT ?x WHERE { ?x aip:requires ?skill }\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    examples = _examples()
    assert len(examples) > 30
    failed = []
    for line in examples:
        r = runner.invoke(main, shlex.split(line)[1:])
        ask_false = r.exit_code == 1 and "ASK" in line and not r.stderr
        if r.exit_code != 0 and not ask_false:
            failed.append(f"{line}: exit {r.exit_code}: {r.stderr.strip()[:200]}")
    assert not failed, "\n".join(failed)


def test_examples_leave_out_only_what_needs_a_server_or_files() -> None:
    left_out = {"serve", "push", "import"}
    assert _subcommand(["--data", "my-graph/", "serve", "--cors", "*"]) == "serve"
    assert not any(_subcommand(shlex.split(x)[1:]) in left_out for x in _examples())


def test_help_of_every_command_mentions_lang(runner: Any) -> None:
    from aipath_graph.cli import main

    for name, cmd in main.commands.items():
        assert any("--lang" in p.opts for p in cmd.params), name
        assert isinstance(cmd, click.Command)


def test_serve_on_a_busy_port_is_one_line_and_exit_5(runner: Any) -> None:
    import socket

    from aipath_graph.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        r = runner.invoke(main, ["serve", "--port", str(port)])
    assert r.exit_code == 5, r.output
    assert r.stderr.count("\n") == 1 and f"port {port} on 127.0.0.1 is in use" in r.stderr
    assert "serving" not in r.stderr


# ---------------------------------------------------------------- the house


def _sources() -> dict[str, str]:
    pkg = ROOT / "aipath_graph"
    return {
        str(p.relative_to(pkg)): p.read_text(encoding="utf-8") for p in sorted(pkg.rglob("*.py"))
    }


def test_views_share_the_answers_layer_and_never_import_each_other() -> None:
    for name, text in _sources().items():
        if not name.startswith("cli/") and name != "__main__.py":  # the entry point runs the CLI
            assert not re.search(
                r"from (aipath_graph|\.+)\.?cli\b|import aipath_graph\.cli", text
            ), name
        if name.startswith("answers/"):
            assert not re.search(r"^\s*(import|from) (click|starlette)", text, re.M), name


def test_no_private_name_is_imported_across_modules() -> None:
    import ast

    for name, text in _sources().items():
        found = [
            alias.name
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.ImportFrom) and node.module != "__future__"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        ]
        assert not found, (name, found)


def test_one_language_fallback() -> None:
    copies = re.compile(
        r"""get\(lang\) or \w+\.get\("en"\)|\(lang, "en", ""\)|\(lang, "en", "zh"\)"""
    )
    assert [n for n, text in _sources().items() if copies.search(text)] == []


def test_every_named_query_has_a_chinese_title() -> None:
    from aipath_graph.i18n import WORDS
    from aipath_graph.sparql.query import named_queries

    assert {f"query.{n}" for n in named_queries()} == {k for k in WORDS if k.startswith("query.")}


@pytest.mark.parametrize(
    "args, zh",
    [
        (["render", "--depth", "2", "-o", "-"], "--depth 需与 --focus 一起使用"),
        (["render", "--plan-to", "git", "--role", "ai-engineer"], "不能与"),
        (["export", "--have", "git"], "--have 需与 --plan-to 一起使用"),
        (["query", "ASK {}", "--param", "nokey"], "--param 需要 KEY=VALUE"),
    ],
)
def test_option_errors_are_one_line_in_both_languages(
    runner: Any, args: list[str], zh: str
) -> None:
    from aipath_graph.cli import main

    en = runner.invoke(main, args)
    assert en.exit_code == 2 and en.stderr.startswith("error: ") and en.stderr.count("\n") == 1
    r = runner.invoke(main, ["--lang", "zh", *args])
    assert r.exit_code == 2 and zh in r.stderr and r.stderr.startswith("错误：")
