"""Importers: third-party graphs into the aipath ontology.

Each importer module has ``import_source(paths, *, prefix, **options) ->
ImportResult`` (see :mod:`aipath_graph.importers.common`). :data:`IMPORTERS`
names them for the CLI.

Examples
--------
>>> sorted(IMPORTERS)
['metacademy', 'owl', 'roadmapsh', 'skos']
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .common import ImportResult

#: Importer name → (module, one-line description).
IMPORTERS: dict[str, tuple[str, str]] = {
    "skos": ("skos", "a SKOS concept scheme (e.g. ESCO) in Turtle, RDF/XML, N-Triples or JSON-LD"),
    "metacademy": ("metacademy", "Metacademy content: its content folder or the app's JSON dump"),
    "roadmapsh": (
        "roadmapsh",
        "a roadmap.sh roadmap (JSON or folder) you supply (personal use only)",
    ),
    "owl": ("owl", "OWL class hierarchies with skill links as owl:Restrictions (RDF/XML, Turtle)"),
}


def import_graph(kind: str, sources: Sequence[Path], **options: Any) -> ImportResult:
    """Run the importer ``kind`` on ``sources``; ``options`` go to the importer."""
    module = importlib.import_module(f"{__name__}.{IMPORTERS[kind][0]}")
    result: ImportResult = module.import_source(list(sources), **options)
    return result


__all__ = ["IMPORTERS", "ImportResult", "import_graph"]
