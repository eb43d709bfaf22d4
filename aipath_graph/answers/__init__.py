"""The answers layer: one session, one record shape per question, for every view.

The CLI (:mod:`aipath_graph.cli`), the JSON API (:mod:`aipath_graph.server`) and
the web explorer (through the API) all ask their questions here. Nothing in
this package imports click or starlette, prints or exits.

- :class:`Session` — the graph, its resolver and one projection per language;
- :mod:`.records` — plan, path, next, gap, compare, show, prerequisite tree,
  prerequisites/dependents rows and the named queries, as JSON-ready records
  with labels in one language and warnings for names passed over.
"""

from . import records
from .records import *  # noqa: F403 - the records, as records.__all__ lists them
from .session import Session

__all__ = ["Session", *records.__all__]
