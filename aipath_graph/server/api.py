"""The JSON API of the server, for the web explorer and for scripts.

Every answer is JSON (the plan map is HTML); every error is one envelope,
``{"ok": false, "error": "…", "status": 404, "type": "UnknownTermError"}``,
with ``suggestions`` or ``candidates`` when a name was unknown or ambiguous.
Names may be slugs, Chinese or English labels or alt labels, as on the
command line. The JSON of ``/api/plan``, ``/api/path`` and ``/api/next`` is
the JSON of ``aipath plan|path|next --format json`` (made by the same code).

=========================  ====================================================
``GET /api``               this list
``GET /api/search``        ``q``, ``lang``, ``limit``: nodes whose names match
``GET /api/node/{term}``   everything about a node (``aipath show``)
``GET /api/prerequisites/{term}``  ``tree``, ``direct``, ``lang``
``GET /api/dependents/{term}``     ``direct``, ``lang``
``GET|POST /api/plan``     ``to``, ``have``, ``hours_per_week``, ``include_optional``,
                           ``no_implied``, ``lang``
``GET /api/path``          ``from``, ``to``, ``by``, ``include_optional``
``GET /api/next``          ``have``, ``to``, ``limit``
``GET /api/queries``       the named queries; ``/api/queries/{name}?param=…`` runs one
``GET /api/map``           an offline HTML map of a plan (``to``, ``have``) or of a node
                           (``focus``, ``depth``)
=========================  ====================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import networkx as nx
from rdflib import Graph
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from aipath_graph.errors import TermError, UsageError
from aipath_graph.resolve import Resolver, normalize

__all__ = ["ApiState", "api_routes", "search"]

LANGS = ("en", "zh")
_MAX_TERMS = 50


@dataclass
class ApiState:
    """The graph and what the API derives from it once (per language where it differs)."""

    graph: Graph
    resolver: Resolver
    _prereq: dict[str, nx.DiGraph] = field(default_factory=dict)
    _relations: dict[str, nx.DiGraph] = field(default_factory=dict)
    _names: list[tuple[str, str, str]] | None = None

    @classmethod
    def build(cls, graph: Graph) -> ApiState:
        """Index ``graph`` (resolver, both prerequisite graphs, search names)."""
        state = cls(graph, Resolver(graph))
        for lang in LANGS:
            state.prereq(lang)
        state.names()
        return state

    def prereq(self, lang: str) -> nx.DiGraph:
        """The prerequisite graph with reasons in ``lang``."""
        if lang not in self._prereq:
            from aipath_graph.project import prerequisite_graph

            self._prereq[lang] = prerequisite_graph(self.graph, lang=lang)
        return self._prereq[lang]

    def relations(self, lang: str) -> nx.DiGraph:
        """The relation graph (for maps), built on first use."""
        if lang not in self._relations:
            from aipath_graph.project import relation_graph

            self._relations[lang] = relation_graph(self.graph, lang=lang)
        return self._relations[lang]

    def names(self) -> list[tuple[str, str, str]]:
        """Every (normalized name, node id, original name) a search can match."""
        if self._names is None:
            from rdflib import SKOS, Literal

            G = self.prereq("en")
            out = []
            for n, d in G.nodes(data=True):
                if d.get("type") in ("Unknown", "AnyOf"):
                    continue
                out.append((normalize(str(n)), str(n), str(n)))
                for text in (d.get("label") or {}).values():
                    out.append((normalize(text), str(n), text))
                iri = d.get("iri")
                if iri:
                    from rdflib import URIRef

                    for alt in self.graph.objects(URIRef(iri), SKOS.altLabel):
                        if isinstance(alt, Literal):
                            out.append((normalize(str(alt)), str(n), str(alt)))
            self._names = out
        return self._names


# ---------------------------------------------------------------- helpers


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    if lang not in LANGS:
        raise UsageError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def _terms(values: Iterable[str]) -> list[str]:
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if len(out) > _MAX_TERMS:
        raise UsageError(f"at most {_MAX_TERMS} names in one request")
    return out


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise UsageError(f"{name} must be true or false, not {value!r}")


def _number(params: Mapping[str, str], name: str, *, integer: bool = False) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number, not {raw!r}") from None
    if not value > 0 or value > 1e6:
        raise UsageError(f"{name} must be a positive number, not {raw!r}")
    return value


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Response(
        body.encode("utf-8"), status_code=status, media_type="application/json; charset=utf-8"
    )


class _View:
    """What ``cli.plan.plan_record`` reads from a CLI session: ``G``, ``label``, ``app.lang``."""

    def __init__(self, G: nx.DiGraph, lang: str) -> None:
        from aipath_graph.cli.plan import _Session

        self.G = G
        self.app = SimpleNamespace(lang=lang)
        self._session = _Session

    def label(self, n: Any) -> str:
        return self._session.label(self, n)  # type: ignore[arg-type]


def _state(request: Request) -> ApiState:
    return request.app.state.api


def _resolve_node(state: ApiState, term: str, G: nx.DiGraph) -> str:
    node = state.resolver.slug(term)
    if node not in G:
        raise UsageError(f"{term!r} ({node}) has no place in the prerequisite graph")
    return node


def _known(state: ApiState, terms: list[str]) -> tuple[list[str], list[str]]:
    known, warnings = [], []
    for term in terms:
        try:
            known.append(state.resolver.slug(term))
        except TermError as exc:
            warnings.append(f"ignoring known item: {exc}")
    return known, warnings


async def _params(request: Request) -> dict[str, list[str]]:
    """Query parameters, plus a JSON object body on POST (lists or strings)."""
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    if request.method == "POST":
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise UsageError("the request body is not JSON") from None
        if not isinstance(body, dict):
            raise UsageError("the request body must be a JSON object")
        for k, v in body.items():
            items = v if isinstance(v, list) else [v]
            params.setdefault(str(k), []).extend(
                str(x).lower() if isinstance(x, bool) else str(x) for x in items
            )
    return params


def _first(params: dict[str, list[str]]) -> dict[str, str]:
    return {k: v[0] for k, v in params.items() if v}


# ---------------------------------------------------------------- search and nodes


def search(state: ApiState, text: str, *, lang: str = "en", limit: int = 20) -> list[dict]:
    """Nodes whose slug, labels or alt labels match ``text``: exact, then prefix, then part.

    Examples
    --------
    >>> from aipath_graph.graph import load_graph
    >>> hits = search(ApiState.build(load_graph()), "微调")
    >>> hits[0]["id"]
    'fine-tuning'
    """
    key = normalize(text)
    if not key:
        return []
    best: dict[str, tuple[int, int, str]] = {}
    for name, node, original in state.names():
        if name == key:
            rank = 0
        elif name.startswith(key):
            rank = 1
        elif key in name:
            rank = 2
        else:
            continue
        score = (rank, len(name), original)
        if node not in best or score < best[node]:
            best[node] = score
    G = state.prereq(lang)
    order = sorted(best, key=lambda n: (*best[n][:2], n))[:limit]
    return [
        {
            "id": n,
            "label": _View(G, lang).label(n),
            "labels": dict(G.nodes[n].get("label") or {}),
            "type": G.nodes[n].get("type"),
            "effort_hours": float(G.nodes[n].get("effort") or 0.0),
            "matched": best[n][2],
        }
        for n in order
    ]


def _search(request: Request) -> Response:
    params = request.query_params
    limit = int(_number(params, "limit", integer=True) or 20)
    text = params.get("q", "")
    hits = search(_state(request), text, lang=_lang(request), limit=min(limit, 200))
    return _json({"query": text, "results": hits})


def _node(request: Request) -> Response:
    from aipath_graph.show import describe

    state = _state(request)
    node = state.resolver.resolve(request.path_params["term"])
    return _json(describe(state.graph, node, lang=_lang(request)))


async def _related(request: Request, name: str) -> Response:
    state = _state(request)
    params = request.query_params
    term = request.path_params["term"]
    lang = _lang(request)
    if name == "prerequisites" and _flag(params, "tree"):
        from aipath_graph.show import prerequisite_tree

        node = state.resolver.resolve(term)
        tree = await run_in_threadpool(prerequisite_tree, state.graph, node, lang=lang)
        return _json(tree)
    state.resolver.resolve(term)  # a clear error before any query runs
    rows = await request.app.state.pool.run(("rows", name, term, lang, _flag(params, "direct")))
    return _json(rows)


async def _prerequisites(request: Request) -> Response:
    return await _related(request, "prerequisites")


async def _dependents(request: Request) -> Response:
    return await _related(request, "dependents")


# ---------------------------------------------------------------- plans


def plan_json(state: ApiState, params: dict[str, list[str]]) -> dict[str, Any]:
    """The JSON of ``aipath plan --format json`` for these request parameters."""
    from aipath_graph.cli.plan import plan_record
    from aipath_graph.plan import plan

    flat = _first(params)
    lang = flat.get("lang", "en")
    if lang not in LANGS:
        raise UsageError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    G = state.prereq(lang)
    terms = _terms(params.get("to", []))
    if not terms:
        raise UsageError("say what to learn: to=TERM")
    targets = [_resolve_node(state, t, G) for t in terms]
    known, warnings = _known(state, _terms(params.get("have", [])))
    hpw = _number(flat, "hours_per_week")
    p = plan(
        G,
        targets,
        known=known,
        include_optional=_flag(flat, "include_optional"),
        assume_prerequisites=not _flag(flat, "no_implied"),
    )
    record = plan_record(_View(G, lang), p, hpw)
    warnings += [f"{n!r} is not in the prerequisite graph; ignored" for n in p.ignored]
    if warnings:
        record["warnings"] = warnings
    return record


async def _plan(request: Request) -> Response:
    params = await _params(request)
    return _json(await run_in_threadpool(plan_json, _state(request), params))


def _path_json(state: ApiState, flat: dict[str, str]) -> dict[str, Any]:
    from aipath_graph.plan import path

    lang = flat.get("lang", "en")
    G = state.prereq(lang if lang in LANGS else "en")
    if not flat.get("from") or not flat.get("to"):
        raise UsageError("give both from=TERM and to=TERM")
    a, b = _resolve_node(state, flat["from"], G), _resolve_node(state, flat["to"], G)
    by = flat.get("by", "effort")
    p = path(G, a, b, by=by, include_optional=_flag(flat, "include_optional"))
    view = _View(G, lang)
    return {
        "from": a,
        "to": b,
        "by": by,
        "effort_hours": p.effort,
        "hops": p.hops,
        "nodes": [
            {
                "id": n,
                "label": view.label(n),
                "type": G.nodes[n].get("type"),
                "effort_hours": float(G.nodes[n].get("effort", 0.0)),
            }
            for n in p.nodes
        ],
    }


async def _path(request: Request) -> Response:
    flat = _first(await _params(request))
    return _json(await run_in_threadpool(_path_json, _state(request), flat))


def _next_json(state: ApiState, params: dict[str, list[str]]) -> list[dict[str, Any]]:
    from aipath_graph.plan import frontier, plan

    flat = _first(params)
    lang = flat.get("lang", "en")
    G = state.prereq(lang if lang in LANGS else "en")
    known, _ = _known(state, _terms(params.get("have", [])))
    implied = not _flag(flat, "no_implied")
    terms = _terms(params.get("to", []))
    within = None
    if terms:
        within = plan(
            G,
            [_resolve_node(state, t, G) for t in terms],
            known=known,
            assume_prerequisites=implied,
        ).ids
    limit = int(_number(flat, "limit", integer=True) or 10)
    items = frontier(G, known, within=within, assume_prerequisites=implied)[:limit]
    view = _View(G, lang)
    return [
        {
            "id": i.id,
            "label": view.label(i.id),
            "type": i.type,
            "effort_hours": i.effort,
            "stage": i.stage,
            "unlocks": list(i.unlocks),
        }
        for i in items
    ]


async def _next(request: Request) -> Response:
    params = await _params(request)
    return _json(await run_in_threadpool(_next_json, _state(request), params))


# ---------------------------------------------------------------- queries and maps


def _queries(request: Request) -> Response:
    from aipath_graph.cli.query import _list_queries

    return _json(json.loads(_list_queries("json")))


async def _named(request: Request) -> Response:
    from aipath_graph.sparql.query import get_named_query

    name = request.path_params["name"]
    get_named_query(name)  # unknown name: 404 before any worker is used
    params = tuple(sorted((k, v) for k, v in request.query_params.items() if k != "lang"))
    result = await request.app.state.pool.run(("named", name, params, _lang(request)))
    return _json(result)


_MAP_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


def map_html(state: ApiState, params: dict[str, list[str]]) -> str:
    """An offline HTML map: of a plan (``to``, ``have``) or around nodes (``focus``)."""
    from aipath_graph.render import render_html, select_subgraph

    flat = _first(params)
    lang = flat.get("lang", "en")
    if lang not in LANGS:
        raise UsageError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    R = state.relations(lang)
    plan = None
    if params.get("to"):
        plan = plan_json(state, params)
        from aipath_graph.subgraph import with_groups

        ids = {s["id"] for s in plan["steps"]} | {t["id"] for t in plan["targets"]}
        sub = R.subgraph(with_groups(R, ids))
    else:
        focus = [state.resolver.slug(t) for t in _terms(params.get("focus", []))]
        depth = _number(flat, "depth", integer=True)
        sub = select_subgraph(R, focus=focus, depth=int(depth) if depth else None)
    hours = plan.get("hours_per_week") if plan else None
    return render_html(sub, lang=lang, plan=plan, hours_per_week=hours or 10.0)  # type: ignore[arg-type]


async def _map(request: Request) -> Response:
    params = await _params(request)
    page = await run_in_threadpool(map_html, _state(request), params)
    return HTMLResponse(page, headers={"Content-Security-Policy": _MAP_CSP})


def _index(request: Request) -> Response:
    return _json(
        {
            "endpoints": [
                line.strip() for line in (__doc__ or "").splitlines() if line.startswith("``")
            ]
        }
    )


def api_routes() -> list[Route]:
    """The routes of the JSON API (mounted under ``/api``)."""
    return [
        Route("/", _index),
        Route("/search", _search),
        Route("/node/{term:path}", _node),
        Route("/prerequisites/{term:path}", _prerequisites),
        Route("/dependents/{term:path}", _dependents),
        Route("/plan", _plan, methods=["GET", "POST"]),
        Route("/path", _path, methods=["GET", "POST"]),
        Route("/next", _next, methods=["GET", "POST"]),
        Route("/queries", _queries),
        Route("/queries/{name}", _named),
        Route("/map", _map, methods=["GET", "POST"]),
    ]


def error_body(
    message: str, status: int, kind: str, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The one error envelope of the API.

    Examples
    --------
    >>> error_body("unknown term 'x'", 404, "UnknownTermError", {"suggestions": []})
    {'ok': False, 'error': "unknown term 'x'", 'status': 404, 'type': 'UnknownTermError', 'suggestions': []}
    """
    return {"ok": False, "error": message, "status": status, "type": kind, **(extra or {})}


def error_response(
    message: str, status: int, kind: str, extra: Mapping[str, Any] | None = None
) -> Response:
    """The envelope as a JSON response."""
    return JSONResponse(error_body(message, status, kind, extra), status_code=status)
