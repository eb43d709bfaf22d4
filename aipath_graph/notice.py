"""Licence notes that a data source asks every derived output to carry.

A YAML source may say ``meta: {source: {notice: …}}``; it compiles to
``dcterms:rights "notice: …"`` on the dataset node, so the note travels with the
data (``aipath import roadmapsh`` writes one: roadmap.sh's content is for personal
use only). :func:`notes` reads the notes of a graph back; :func:`stamp` puts them at
the top of a text output as comments of its syntax, :func:`stamp_html` as a visible
note at the top of a page.

Examples
--------
>>> from rdflib import DCTERMS, Graph, Literal
>>> from aipath_graph.compile import DATASET
>>> g = Graph()
>>> _ = g.add((DATASET, DCTERMS.rights, Literal("notice: for personal use only")))
>>> notes(g)
['for personal use only']
>>> print(stamp('<?xml version="1.0"?>\\n<graphml/>', notes(g), "graphml"))
<?xml version="1.0"?>
<!-- for personal use only -->
<graphml/>
>>> stamp("a,b", notes(g), "csv-nodes")  # no comment syntax: unchanged
'a,b'
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from rdflib import DCTERMS, Graph

from .compile import DATASET

#: How a note's ``dcterms:rights`` text starts (``source: {notice: …}`` in ``meta:``).
PREFIX = "notice: "
#: Comment syntax of the text formats that have one (JSON and CSV have none).
COMMENTS: dict[str, str] = {
    "turtle": "# {}",
    "nt": "# {}",
    "rdfxml": "<!-- {} -->",
    "graphml": "<!-- {} -->",
    "gexf": "<!-- {} -->",
    "dot": "// {}",
    "mermaid": "%% {}",
}


def notes(g: Graph) -> list[str]:
    """The licence notes of the data in ``g``, sorted."""
    found = {str(o) for o in g.objects(DATASET, DCTERMS.rights)}
    return sorted(text[len(PREFIX) :] for text in found if text.startswith(PREFIX))


def stamp(text: str, found: Sequence[str], syntax: str) -> str:
    """``text`` with each note as a comment at its top (after an XML declaration)."""
    comment = COMMENTS.get(syntax)
    if not found or comment is None:
        return text
    lines = "".join(comment.format(" ".join(n.split()).replace("--", "- -")) + "\n" for n in found)
    if text.startswith("<?xml"):
        head, _, tail = text.partition("\n")
        return f"{head}\n{lines}{tail}"
    return lines + text


def stamp_html(page: str, found: Sequence[str]) -> str:
    """An HTML page with the notes shown in a bar at the top of its body."""
    if not found:
        return page
    bar = "".join(
        f'<p role="note" class="licence-note" style="margin:0;padding:4px 8px;'
        f'background:#fff3cd;font:13px sans-serif">{html.escape(n)}</p>'
        for n in found
    )
    head, sep, tail = page.partition("<body>")
    return f"{head}{sep}{bar}{tail}" if sep else bar + page
