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
#: Where a wheel carries the bundled graph (setup.py copies it there).
PACKAGED = Path(__file__).resolve().parent / "_bundled"


def _home(folder: str) -> Path:
    """The checkout's folder when running from one, else the copy inside the package."""
    checkout = PROJECT_ROOT / folder
    return checkout if checkout.is_dir() else PACKAGED / folder


ONTOLOGY_DIR = _home("ontology")
GRAPH_DIR = _home("graph")
ONTOLOGY_FILE = ONTOLOGY_DIR / "aipath.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


def default_sources() -> list[Path]:
    """The bundled graph's source folder (``graph/``)."""
    if not GRAPH_DIR.is_dir() or not ONTOLOGY_FILE.is_file():
        raise DataError(
            f"the bundled graph is not at {GRAPH_DIR}; reinstall aipath-graph "
            "('pip install .' or 'pip install -e .' from a checkout) or pass --data"
        )
    return [GRAPH_DIR]
