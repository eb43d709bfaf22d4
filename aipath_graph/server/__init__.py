"""The web side: an ASGI app (:mod:`.app`) with the SPARQL 1.1 Protocol (:mod:`.protocol`),
the JSON API (:mod:`.api`), the query worker pool (:mod:`.pool`) and the explorer (``web/``).

Needs the ``serve`` extra (starlette, hypercorn).
"""

from aipath_graph.server.app import create_app

__all__ = ["create_app"]
