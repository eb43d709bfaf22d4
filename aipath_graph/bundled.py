"""Where the bundled graph lives (no heavy imports, so the cache can hash it cheaply).

Examples
--------
>>> ONTOLOGY_FILE.name, GRAPH_DIR.name
('aipath.ttl', 'graph')
"""

from __future__ import annotations

from pathlib import Path

from .errors import DataError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
GRAPH_DIR = PROJECT_ROOT / "graph"
ONTOLOGY_FILE = ONTOLOGY_DIR / "aipath.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


def default_sources() -> list[Path]:
    """The bundled graph's source folder (``graph/``)."""
    if not GRAPH_DIR.is_dir() or not ONTOLOGY_FILE.is_file():
        raise DataError(
            f"the bundled graph is not at {GRAPH_DIR}; install aipath-graph from a source "
            "checkout ('pip install -e .') or pass --data"
        )
    return [GRAPH_DIR]
