"""The JSON API of the server, for the web explorer and for scripts.

Every answer is JSON (the plan map is HTML); every error is one envelope,
``{"ok": false, "error": "…", "status": 404, "type": "UnknownTermError"}``,
with ``suggestions`` or ``candidates`` when a name was unknown or ambiguous.
Names may be slugs, Chinese or English labels or alt labels, as on the
command line. The JSON of ``/api/plan``, ``/api/path`` and ``/api/next`` is
the JSON of ``aipath plan|path|next --format json`` (made by the same code).

=========================  ====================================================
``GET /api``               this list
``GET /api/search``        ``q``, ``lang``, ``limit``, ``type``: nodes a goal in plain words means
``GET /api/node/{term}``   everything about a node (``aipath show``)
``GET /api/prerequisites/{term}``  ``tree``, ``direct``, ``lang``
``GET /api/dependents/{term}``     ``direct``, ``lang``
``GET|POST /api/plan``     ``to``, ``have``, ``hours_per_week``, ``include_optional``,
                           ``no_implied``, ``lang``
``GET /api/path``          ``from``, ``to``, ``by``, ``include_optional``
``GET /api/next``          ``have``, ``to``, ``limit``
``GET /api/queries``       the named queries; ``/api/queries/{name}?param=…`` runs one
``GET /api/words``         ``lang``: the frame text of every view (headings, types, relations)
``GET /api/map``           an offline HTML map of a plan (``to``, ``have``) or of a node
                           (``focus``, ``depth``)
=========================  ====================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from aipath_graph.answers import (
    Session,
    next_record,
    path_record,
    plan_record,
    queries_record,
    show_record,
    split_terms,
    tree_record,
)
from aipath_graph.answers.records import MAX_TERMS
from aipath_graph.errors import UsageError
from aipath_graph.i18n import DEFAULT_LANG, check_lang
from aipath_graph.text import printable

__all__ = ["api_routes", "error_body", "error_response", "search"]


# ---------------------------------------------------------------- helpers


def _lang(request: Request) -> str:
    return check_lang(request.query_params.get("lang", DEFAULT_LANG))


def _terms(values: list[str]) -> list[str]:
    return split_terms(values, limit=MAX_TERMS)


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise UsageError(key="bad_flag", name=name, value=value)


def _number(
    params: Mapping[str, str], name: str, *, integer: bool = False, high: float = 1e6
) -> float | None:
    raw = params.get(name, "").strip()
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    if not raw:
        return None
    try:
        value = int(raw) if integer and len(raw) <= 40 else float(raw)
    except ValueError:
        raise UsageError(key="bad_number", name=name, value=shown) from None
    if not 1e-3 <= value <= high or (integer and value != int(value)):
        raise UsageError(key="bad_range", name=name, low=1 if integer else 0.001, high=f"{high:g}")
    return value


def _json(data: Any, status: int = 200) -> Response:
    body = printable(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"
    return Response(
        body.encode("utf-8"), status_code=status, media_type="application/json; charset=utf-8"
    )


def _session(request: Request) -> Session:
    return request.app.state.session


async def _params(request: Request) -> dict[str, list[str]]:
    """Query parameters, plus a JSON object body on POST (lists or strings)."""
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    if request.method == "POST":
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise UsageError(key="body_not_json") from None
        except RecursionError:
            raise UsageError(key="body_too_deep") from None
        if not isinstance(body, dict):
            raise UsageError(key="body_not_object")
        for k, v in body.items():
            items = v if isinstance(v, list) else [v]
            params.setdefault(str(k), []).extend(
                str(x).lower() if isinstance(x, bool) else str(x) for x in items
            )
    return params


def _first(params: dict[str, list[str]]) -> dict[str, str]:
    return {k: v[0] for k, v in params.items() if v}


# ---------------------------------------------------------------- search and nodes


def search(
    session: Session,
    text: str,
    *,
    lang: str = "en",
    limit: int = 20,
    types: Iterable[str] = (),
) -> list[dict]:
    """The nodes ``text`` most likely means, best first: :meth:`SearchIndex.search` records
    with each node's effort, and ``matched``, the name or words that matched.

    It reads the resolver's name index (the one index of names).

    Examples
    --------
    >>> from aipath_graph.graph import load_graph
    >>> hits = search(Session.over(load_graph()), "微调")
    >>> hits[0]["id"], hits[0]["matched"]
    ('fine-tuning', '微调')
    """
    G = session.prereq(lang)
    out = []
    found = session.search_index().search(text, lang=lang, limit=limit, types=set(types) or None)
    for hit in found:
        record = hit.to_dict()
        first = hit.why[0] if hit.why else None
        record["matched"] = first and (first.text or " ".join(first.terms))
        record["effort_hours"] = float(G.nodes[hit.id].get("effort") or 0.0) if hit.id in G else 0.0
        out.append(record)
    return out


def _search(request: Request) -> Response:
    params = request.query_params
    limit = int(_number(params, "limit", integer=True) or 20)
    text = params.get("q", "")
    types = _terms(params.getlist("type"))
    from aipath_graph.search import SEARCHABLE_TYPES

    known = {t.casefold() for t in SEARCHABLE_TYPES}
    for name in types:
        if name.casefold() not in known:
            raise UsageError(key="bad_type", types=", ".join(SEARCHABLE_TYPES), value=name)
    hits = search(_session(request), text, lang=_lang(request), limit=min(limit, 200), types=types)
    return _json({"query": text, "results": hits})


def _node(request: Request) -> Response:
    record = show_record(_session(request), request.path_params["term"], lang=_lang(request))
    return _json(record)


async def _related(request: Request, name: str) -> Response:
    session = _session(request)
    params = request.query_params
    term = request.path_params["term"]
    lang = _lang(request)
    if name == "prerequisites" and _flag(params, "tree"):
        tree = await run_in_threadpool(tree_record, session, term, lang=lang)
        return _json(tree)
    session.resolve(term, lang)  # a clear error before any query runs
    rows = await request.app.state.pool.run(("rows", name, term, lang, _flag(params, "direct")))
    return _json(rows)


async def _prerequisites(request: Request) -> Response:
    return await _related(request, "prerequisites")


async def _dependents(request: Request) -> Response:
    return await _related(request, "dependents")


# ---------------------------------------------------------------- plans


def plan_json(session: Session, params: dict[str, list[str]]) -> dict[str, Any]:
    """The JSON of ``aipath plan --format json`` for these request parameters."""
    flat = _first(params)
    lang = check_lang(flat.get("lang", DEFAULT_LANG))
    terms = _terms(params.get("to", []))
    if not terms:
        raise UsageError(key="say_what_to_learn_api")
    return plan_record(
        session,
        terms,
        have=_terms(params.get("have", [])),
        lang=lang,
        hours_per_week=_number(flat, "hours_per_week", high=168),
        include_optional=_flag(flat, "include_optional"),
        implied=not _flag(flat, "no_implied"),
    )


async def _plan(request: Request) -> Response:
    params = await _params(request)
    return _json(await run_in_threadpool(plan_json, _session(request), params))


def _path_json(session: Session, flat: dict[str, str]) -> dict[str, Any]:
    lang = check_lang(flat.get("lang", DEFAULT_LANG))
    if not flat.get("from") or not flat.get("to"):
        raise UsageError(key="need_from_to")
    by = flat.get("by", "effort")
    return path_record(
        session,
        flat["from"],
        flat["to"],
        by=by,
        include_optional=_flag(flat, "include_optional"),
        lang=lang,
    )


async def _path(request: Request) -> Response:
    flat = _first(await _params(request))
    return _json(await run_in_threadpool(_path_json, _session(request), flat))


def _next_json(session: Session, params: dict[str, list[str]]) -> list[dict[str, Any]]:
    flat = _first(params)
    record = next_record(
        session,
        have=_terms(params.get("have", [])),
        to=_terms(params.get("to", [])),
        limit=int(_number(flat, "limit", integer=True) or 10),
        implied=not _flag(flat, "no_implied"),
        lang=check_lang(flat.get("lang", DEFAULT_LANG)),
    )
    return record["items"]


async def _next(request: Request) -> Response:
    params = await _params(request)
    return _json(await run_in_threadpool(_next_json, _session(request), params))


# ---------------------------------------------------------------- queries and maps


def _words(request: Request) -> Response:
    from aipath_graph.i18n import words

    return _json(words(_lang(request)))


def _queries(request: Request) -> Response:
    return _json(queries_record())


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


def map_html(session: Session, params: dict[str, list[str]]) -> str:
    """An offline HTML map: of a plan (``to``, ``have``) or around nodes (``focus``)."""
    from aipath_graph.render import render_html, select_subgraph

    flat = _first(params)
    lang = check_lang(flat.get("lang", DEFAULT_LANG))
    R = session.relations(lang)
    plan = None
    if params.get("to"):
        plan = plan_json(session, params)
        from aipath_graph.subgraph import with_groups

        ids = {s["id"] for s in plan["steps"]} | {t["id"] for t in plan["targets"]}
        sub = R.subgraph(with_groups(R, ids))
    else:
        focus = [session.resolve(t, lang) for t in _terms(params.get("focus", []))]
        depth = _number(flat, "depth", integer=True)
        sub = select_subgraph(R, focus=focus, depth=int(depth) if depth else None)
    hours = plan.get("hours_per_week") if plan else None
    return render_html(sub, lang=lang, plan=plan, hours_per_week=hours or 10.0)  # type: ignore[arg-type]


async def _map(request: Request) -> Response:
    params = await _params(request)
    page = await run_in_threadpool(map_html, _session(request), params)
    return HTMLResponse(page, headers={"Content-Security-Policy": _MAP_CSP})


def endpoints() -> list[dict[str, str]]:
    """The endpoints of the API as listed in this module's docstring: method, path, what.

    >>> [e["path"] for e in endpoints()][:3]
    ['/api', '/api/search', '/api/node/{term}']
    """
    out: list[dict[str, str]] = []
    for line in (__doc__ or "").splitlines():
        if line.startswith(("``GET", "``POST")):
            route, _, what = line[2:].partition("``")
            method, _, path = route.partition(" ")
            out.append({"method": method, "path": path, "what": what.strip()})
        elif line.startswith(" ") and out and line.strip() and not line.strip().startswith("="):
            out[-1]["what"] = (out[-1]["what"] + " " + line.strip()).strip()
    return [{**e, "what": e["what"].replace("``", "")} for e in out]


def _index(request: Request) -> Response:
    return _json({"ok": True, "endpoints": endpoints()})


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
        Route("/words", _words),
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
