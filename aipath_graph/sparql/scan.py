"""Read what a SPARQL text asks for, without parsing it: its form, SERVICE, its dataset.

The engine (pyoxigraph) parses and runs the query; before that, this scanner
tokenizes the text (comments, strings, IRIs, variables and prefixed names are
tokens of their own, so a keyword inside them never counts) and reports:

- the query form, or the update operation an update starts with;
- whether ``SERVICE`` occurs anywhere (the engine would call the network);
- the IRIs of ``FROM`` and ``FROM NAMED``, prefixed names expanded.

Examples
--------
>>> s = scan("PREFIX ex: <http://e/> SELECT * FROM ex:g FROM NAMED <http://e/h> { ?s ?p ?o }")
>>> s.form, s.default_graphs, s.named_graphs, s.service
('SELECT', ('http://e/g',), ('http://e/h',), False)
>>> scan("INSERT DATA { <a> <b> <c> }").update
'INSERT DATA'
>>> scan('SELECT ?service { ?service <p> "SERVICE" } # SERVICE').service
False
>>> scan("ASK { SERVICE SILENT <http://e/q> { ?s ?p ?o } }").service
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

__all__ = ["Scan", "clamp_limits", "scan", "tokens"]

# Python's \w is Unicode-aware: close enough to SPARQL's PN_CHARS, and quick to compile.
_STRING = "|".join(
    [
        r"'''(?:[^'\\]|\\.|'(?!''))*'''",
        r'"""(?:[^"\\]|\\.|"(?!""))*"""',
        r"'(?:[^'\\\n\r]|\\.)*'",
        r'"(?:[^"\\\n\r]|\\.)*"',
    ]
)
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n]*)",
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            f"(?P<string>{_STRING})",
            r"(?P<var>[?$][\w\u00b7]+)",
            r"(?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:[\w.:%\\\-\u00b7]*)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found (see the module docstring)."""

    form: str | None
    update: str | None
    service: bool
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    depth: int = 0  # the deepest nesting of brackets, braces and parentheses


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """The tokens of a SPARQL text as ``(kind, text)``, white space and comments left out."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, m.group()


def _update_name(first: str, second: str) -> str:
    if first in ("INSERT", "DELETE") and second in ("DATA", "WHERE"):
        return f"{first} {second}"
    if first in ("INSERT", "DELETE", "WITH"):
        return "INSERT/DELETE"
    return first


def scan(text: str, prefixes: Mapping[str, str] | None = None) -> Scan:
    """Scan a SPARQL query or update (see the module docstring)."""
    known = dict(prefixes or {})
    base = ""
    toks = list(tokens(text))
    form: str | None = None
    update: str | None = None
    service = False
    default: list[str] = []
    named: list[str] = []
    depth = deepest = 0

    def iri(kind: str, value: str) -> str | None:
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        if kind == "pname":
            prefix, _, local = value.rstrip(".").partition(":")
            return known[prefix] + local if prefix in known else None
        return None

    i = 0
    while i < len(toks):
        kind, value = toks[i]
        word = value.upper() if kind == "word" else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "")
        if form is None and update is None:
            if word == "PREFIX" and i + 2 < len(toks) and nxt[0] == "pname":
                target = iri(*toks[i + 2])
                if target is not None:
                    known[nxt[1].rstrip(":")] = target
                i += 3
                continue
            if word == "BASE" and nxt[0] == "iri":
                base = iri(*nxt) or ""
                i += 2
                continue
            if word in _FORMS:
                form = word
            elif word in _UPDATES:
                update = _update_name(word, nxt[1].upper() if nxt[0] == "word" else "")
        if kind == "other" and value in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "other" and value in "})]":
            depth -= 1
        if word == "SERVICE":
            service = True
        elif word == "FROM":
            into = default
            if nxt[0] == "word" and nxt[1].upper() == "NAMED":
                into = named
                i += 1
                nxt = toks[i + 1] if i + 1 < len(toks) else ("", "")
            target = iri(*nxt)
            if target is not None:
                into.append(target)
        i += 1
    return Scan(form, update, service, tuple(default), tuple(named), deepest)


#: The largest LIMIT or OFFSET the engine reads (a 64-bit count); larger ones mean "no limit".
_LARGEST = str(2**63 - 1)


def clamp_limits(text: str) -> str:
    """``text`` with a ``LIMIT``/``OFFSET`` past any real size cut to the largest the engine reads.

    >>> clamp_limits("SELECT * { ?s ?p ?o } LIMIT 99999999999999999999 # LIMIT 99999999999999999999")
    'SELECT * { ?s ?p ?o } LIMIT 9223372036854775807 # LIMIT 99999999999999999999'
    >>> clamp_limits("SELECT * { ?s ?p ?o } OFFSET 10")
    'SELECT * { ?s ?p ?o } OFFSET 10'
    """
    out: list[str] = []
    last = 0
    after_keyword = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        if kind == "word" and m.group().upper() in ("LIMIT", "OFFSET"):
            after_keyword = True
            continue
        if after_keyword and kind == "other" and m.group().isdigit():
            end = m.end()
            while end < len(text) and text[end].isdigit():
                end += 1
            if len(text[m.start() : end].lstrip("0")) > len(_LARGEST) - 1:
                out += [text[last : m.start()], _LARGEST]
                last = end
        after_keyword = False
    return "".join(out) + text[last:]
