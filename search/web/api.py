"""The JSON API (``/api/...`` and ``/healthz``): thin views over the engine and research tools."""

from __future__ import annotations

import dataclasses
import itertools
import os

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from search.engine.budget import Deadline
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ParameterError
from search.research import tools as research
from search.research.compare import compare
from search.research.terms import SAMPLE, terms
from search.research.timeline import timeline
from search.web.openapi import openapi
from search.web.params import flag_arg, int_arg, request_from_args
from search.web.writes import add_documents, check_token

api = Blueprint("api", __name__)


def engine() -> Searcher:
    """The app's one :class:`Searcher` (made by the app factory)."""
    return current_app.extensions["zhsearch"]


def _request() -> SearchRequest:
    return request_from_args(request.args, engine().limits)


@api.get("/api/search")
def api_search():
    req = _request()
    fmt = request.args.get("format", "json")
    export_all = flag_arg(request.args, "all", False)  # checked even when format alone exports
    if fmt != "json" or export_all:
        return _export(engine(), req, fmt if fmt != "json" else "jsonl")
    return jsonify(engine().search(req).to_dict())


@api.get("/api/trend")
def api_trend():
    """One query (today's shape and ``series``), several ``q`` compared, or ``by=source``."""
    base = _request()
    queries = request.args.getlist("q") or [""]
    data = compare(engine(), [dataclasses.replace(base, q=q) for q in queries],
                   request.args.get("interval") or "month", flag_arg(request.args, "normalize", False),
                   by=request.args.get("by") or "query", top=int_arg(request.args, "top", 5))
    if request.args.get("format", "json") == "csv":
        response = Response("\ufeff" + research.trend_csv(data), mimetype="text/csv")
        response.headers["Content-Disposition"] = "attachment; filename=zhsearch-trend.csv"
        return response
    if request.args.get("format", "json") != "json":
        raise ParameterError("format must be json or csv")
    return jsonify(data)


@api.get("/api/terms")
def api_terms():
    """Distinctive words of the matches, against the whole index."""
    data = terms(engine(), _request(), size=int_arg(request.args, "size", 30),
                 heuristic=request.args.get("heuristic") or "jlh", sample=int_arg(request.args, "sample", SAMPLE),
                 background=request.args.get("background") or "index")
    return jsonify(data)


@api.get("/api/timeline")
def api_timeline():
    return jsonify(timeline(engine(), _request(), on=request.args.get("on") or None))


@api.get("/api/kwic")
def api_kwic():
    width, limit = int_arg(request.args, "width", 20), int_arg(request.args, "limit", 200)
    if not 1 <= limit <= engine().limits.kwic_lines:
        raise ParameterError(f"limit must be between 1 and {engine().limits.kwic_lines}")
    deadline = Deadline(engine().limits.search_seconds)
    lines = [line.to_dict() for line in research.kwic(engine(), _request(), width=width, limit=limit,
                                                      deadline=deadline)]
    return jsonify({"query": request.args.get("q", ""), "lines": lines, "timed_out": deadline.missed})


@api.get("/api/documents/<path:doc_id>")
def api_document(doc_id: str):
    return jsonify(engine().document(doc_id))


@api.get("/api/documents/<path:doc_id>/similar")
def api_similar(doc_id: str):
    limit = int_arg(request.args, "limit", 5)
    if not 1 <= limit <= 50:
        raise ParameterError("limit must be between 1 and 50")
    similar, same = engine().related(doc_id, limit)
    return jsonify({"id": doc_id, "similar": [h.to_dict() for h in similar],
                    "same_news": [r.to_dict() for r in same]})


@api.get("/api/openapi.json")
def api_openapi():
    return jsonify(openapi(engine().limits))


@api.get("/api/stats")
def api_stats():
    return jsonify(engine().stats())


@api.get("/healthz")
def healthz():
    engine().view()
    return jsonify({"status": "ok", "pid": os.getpid()})  # which server process answered


@api.post("/api/documents")
def api_add_documents():
    settings = current_app.extensions["zhsearch.settings"]
    check_token(settings.api_token, request.headers.get("Authorization"))
    payload = request.get_json(silent=True)
    if payload is None:
        raise ParameterError("the body must be JSON: one article object, a list, or {\"articles\": [...]}")
    result = add_documents(engine().store, payload)
    result["visible_within_seconds"] = settings.refresh_seconds
    return jsonify(result), 201


def _export(searcher: Searcher, req: SearchRequest, fmt: str) -> Response:
    """Stream every exact match; the first chunk is made before answering, so errors are 400s."""
    chunks = research.export_lines(searcher, req, fmt)
    first = next(chunks, "")
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    body = stream_with_context(itertools.chain([("\ufeff" if fmt == "csv" else "") + first], chunks))
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=zhsearch-export.{fmt}"
    return response
