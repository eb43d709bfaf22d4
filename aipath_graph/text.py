"""Text helpers for terminal tables: Chinese characters take two columns.

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

import unicodedata


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
