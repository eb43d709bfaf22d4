"""Text helpers for terminal output: tables where Chinese characters take two
columns, and :func:`printable`, which every text output goes through so that
control characters from the data cannot drive a terminal.

Examples
--------
>>> display_width("入门阶段"), display_width("abc")
(8, 3)
>>> pad("入门", 6) + "|"
'入门  |'
>>> pad("7", 3, right=True)
'  7'
"""

from __future__ import annotations

import re
import unicodedata

#: What a terminal may act on: C0 controls but tab and newline (and CR before LF,
#: the line end of CSV), DEL, C1 controls (``\x9b`` is CSI), and the bidirectional
#: overrides and isolates that reorder what a reader sees.
_UNPRINTABLE = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
    "\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    r"""``text`` with control characters written as ``\uXXXX`` escapes.

    Used at every output sink of the CLI, whether or not it is a terminal. The
    escape is the one JSON, Turtle and N-Triples use, so escaped output in those
    formats still parses to the same value.

    >>> printable("label\x1b]0;pwned\x07\x1b[2J")
    'label\\u001b]0;pwned\\u0007\\u001b[2J'
    >>> printable("a,b\r\nc\td\n微积分")
    'a,b\r\nc\td\n微积分'
    """
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad ``text`` with spaces to ``width`` display columns (left-aligned unless ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table(rows: list[list[str]], header: list[str] | None = None) -> str:
    """Align ``rows`` (and an optional ``header``) in columns separated by two spaces.

    >>> print(table([["入门阶段", "397"], ["expert", "718"]], ["stage", "hours"]))
    stage     hours
    --------  -----
    入门阶段  397
    expert    718
    """
    allrows = ([header] if header else []) + rows
    if not allrows:
        return ""
    widths = [max(display_width(r[i]) for r in allrows) for i in range(len(allrows[0]))]
    lines = []
    for k, row in enumerate(allrows):
        lines.append("  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=False)).rstrip())
        if header and k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
