"""Skill maps: one offline HTML page per map (:mod:`.html`), laid out in Python (:mod:`.layout`).

The page's script, styles and the vendored vis-network live in ``assets/``.
"""

from aipath_graph.render.html import (
    EDGE_STYLES,
    LAYOUTS,
    NODE_STYLES,
    RenderedMap,
    map_data,
    plan_dict,
    render_html,
    render_map,
    select_subgraph,
    to_network,
    write_html,
)

__all__ = [
    "EDGE_STYLES",
    "LAYOUTS",
    "NODE_STYLES",
    "RenderedMap",
    "map_data",
    "plan_dict",
    "render_html",
    "render_map",
    "select_subgraph",
    "to_network",
    "write_html",
]
