"""aipath-graph: a knowledge-graph explorer for the AI-engineer career path.

The public API is re-exported here lazily so that ``import aipath_graph`` stays
cheap; each name lives in the module of its stage of the data flow. Functions
that share their module's name (``aipath_graph.plan.plan``,
``aipath_graph.export.export``, ``aipath_graph.push.push``) are imported from
their modules.

Examples
--------
>>> import aipath_graph
>>> aipath_graph.__version__
'0.1.0'
>>> g = aipath_graph.load_graph()
>>> G = aipath_graph.prerequisite_graph(g)
>>> sorted(aipath_graph.closure(G, ["optimization-theory"]))
['calculus', 'linear-algebra']
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
    "closure": "aipath_graph.plan",
    "path": "aipath_graph.plan",
    "frontier": "aipath_graph.plan",
    "gap": "aipath_graph.plan",
    "transition": "aipath_graph.plan",
    "run_query": "aipath_graph.sparql.query",
    "run_named": "aipath_graph.sparql.query",
    "describe": "aipath_graph.show",
    "render_html": "aipath_graph.render",
    "render_map": "aipath_graph.render",
    "open_store": "aipath_graph.store",
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
