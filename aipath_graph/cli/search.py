"""``aipath search``: the nodes a free-text goal most likely means."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from ..i18n import t, type_name
from ..resolve import SEARCHABLE_TYPES
from . import LANGS, AppContext, output_option, pass_app, write_output

if TYPE_CHECKING:
    from ..search import Hit, Match


def _word(key: str, lang: str) -> str:
    return t(f"search.{key}", lang)


def why_text(why: tuple[Match, ...], lang: str) -> str:
    """The reasons of a hit in a few words: the name matched (or the fields), and any typo.

    >>> from aipath_graph.search import Match
    >>> why_text((Match("mention", (), "PyTorch"), Match("typo", ("pytroch", "pytorch"))), "en")
    'mentions "PyTorch"; read pytroch → pytorch'
    >>> why_text((Match("label", ("微调",)), Match("definition", ("lora",))), "zh")
    '标签：微调；定义：lora'
    """
    zh = lang == "zh"
    parts: list[str] = []
    for m in why:
        word = _word(m.field, lang)
        if m.field in ("name", "mention"):
            parts.append(f"{word}“{m.text}”" if zh else f'{word} "{m.text}"')
        elif m.field == "typo":
            parts.append(f"{word} {m.terms[0]} → {m.terms[1]}")
        elif len(parts) < 2 and not any(p.field in ("name", "mention") for p in why):
            parts.append(f"{word}：{'、'.join(m.terms)}" if zh else f"{word}: {', '.join(m.terms)}")
    return ("；" if zh else "; ").join(parts)


def _type_name(kind: str, lang: str) -> str:
    return type_name(kind, lang)


def _table(hits: list[Hit], lang: str) -> str:
    from ..text import table

    header = [_word(k, lang) for k in ("score", "label_col", "id", "type", "why")]
    rows = [
        [f"{h.score:.2f}", h.label, h.id, _type_name(h.type, lang), why_text(h.why, lang)]
        for h in hits
    ]
    return table(rows, header) + "\n"


@click.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(SEARCHABLE_TYPES, case_sensitive=False),
    help="Only nodes of this type (repeatable).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 200),
    default=10,
    show_default=True,
    help="How many results.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of labels (default: the global --lang).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@output_option
@pass_app
def search(
    app: AppContext,
    text: tuple[str, ...],
    types: tuple[str, ...],
    limit: int,
    lang: str | None,
    fmt: str,
    output: str,
) -> None:
    """Find the nodes a goal in your own words means, in Chinese or English.

    Ranks skills, tools, roles … by their names, alt labels, definitions
    and the reasons of their links (BM25; Chinese is segmented into words),
    reads typos as the closest words of the graph, and says why each node
    matched. Skills and tools rank above books and categories. The words
    may be given unquoted. Exit code 1 when nothing matches.

    \b
    Examples:
      aipath search 我想做一个基于公司文档的问答机器人
      aipath search learn pytroch
      aipath search 深度学习 --type skill --limit 3
      aipath search "become an ML engineer" --lang zh --format json
    """
    query = " ".join(text)
    lang = lang or app.lang
    hits = app.search_index().search(query, lang=lang, limit=limit, types=types or None)
    if fmt == "json":
        record = {"query": query, "lang": lang, "results": [h.to_dict() for h in hits]}
        write_output(json.dumps(record, ensure_ascii=False, indent=2) + "\n", output)
    elif hits:
        write_output(_table(hits, lang), output)
    if not hits:
        click.echo(t("search.none", lang, text=query), err=True)
        raise click.exceptions.Exit(1)


COMMANDS: list[Any] = [search]
