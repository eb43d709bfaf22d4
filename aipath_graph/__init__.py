"""aipath-graph: a knowledge-graph explorer for the AI-engineer career path.

The public API is re-exported here lazily so that ``import aipath_graph`` stays
cheap; each name lives in the module of its stage of the data flow.

Examples
--------
>>> import aipath_graph
>>> aipath_graph.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_graph": "aipath_graph.graph",
    "Resolver": "aipath_graph.resolve",
    "validate_paths": "aipath_graph.validate",
    "prerequisite_graph": "aipath_graph.project",
    "relation_graph": "aipath_graph.project",
    "graph_stats": "aipath_graph.stats",
    "AipathError": "aipath_graph.errors",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aipath_graph' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = ["__version__", *_EXPORTS]
