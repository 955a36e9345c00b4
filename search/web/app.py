"""The Flask app: a JSON API and a search page, both thin views over :class:`Searcher`."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, render_template, request, stream_with_context
from werkzeug.exceptions import HTTPException

from corpus import CorpusError
from indexer import IndexerError, IndexStore
from search.research import tools as research
from search.config import AppConfig, ensure_index
from search.errors import DocumentNotFound, ParameterError, SearchError
from search.limits import Limits
from search.web.openapi import openapi
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.query.synonyms import Synonyms
from search.research.timeline import timeline
from search.web.writes import add_documents, check_token

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """App factory: defaults, then ``ZHSEARCH_*`` environment, then ``config``."""
    settings = AppConfig.from_sources(config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = int(settings.max_request_mb * 1_000_000)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    store = IndexStore(settings.index_dir)
    if settings.build_sample_if_missing:
        ensure_index(store)
    searcher = Searcher(store, refresh_seconds=settings.refresh_seconds,
                        synonyms=Synonyms.load(settings.synonyms),
                        query_userdicts=settings.query_userdicts, limits=settings.limits,
                        cache_pages=settings.cache_pages)
    app.extensions["zhsearch"] = searcher
    _register_api(app, searcher)
    _register_writes(app, store, settings)
    _register_pages(app, searcher)
    _register_errors(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def request_from_args(args: Mapping[str, str], limits: Limits = Limits()) -> SearchRequest:
    """A :class:`SearchRequest` from query-string parameters, rejecting malformed numbers."""
    return SearchRequest(
        q=args.get("q", ""), page=_int(args, "page", 1), per_page=_int(args, "per_page", min(10, limits.per_page)),
        sort=args.get("sort") or "relevance", date_from=args.get("from") or None,
        date_to=args.get("to") or None, category=args.get("category") or None,
        year=args.get("year") or None, effective_from=args.get("effective_from") or None,
        effective_to=args.get("effective_to") or None, platform=args.get("platform") or None,
        rule=args.get("rule") or None, kind=args.get("kind") or None, partial=_flag(args, "partial", True),
        explain=_flag(args, "explain", False), collapse=_flag(args, "collapse", True),
    )


def _flag(args: Mapping[str, str], name: str, default: bool) -> bool:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ParameterError(f"{name} must be 1 or 0, got {raw[:20]!r}")


def _int(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ParameterError(f"{name} must be a whole number, got {raw[:40]!r}") from None


def _register_api(app: Flask, searcher: Searcher) -> None:
    @app.get("/api/search")
    def api_search():
        req = request_from_args(request.args, searcher.limits)
        fmt = request.args.get("format", "json")
        if fmt != "json" or _flag(request.args, "all", False):
            return _export(searcher, req, fmt if fmt != "json" else "jsonl")
        return jsonify(searcher.search(req).to_dict())

    @app.get("/api/trend")
    def api_trend():
        return jsonify(research.trend(searcher, request_from_args(request.args, searcher.limits),
                                      request.args.get("interval") or "month"))

    @app.get("/api/timeline")
    def api_timeline():
        return jsonify(timeline(searcher, request_from_args(request.args, searcher.limits), on=request.args.get("on") or None))

    @app.get("/api/kwic")
    def api_kwic():
        width, limit = _int(request.args, "width", 20), _int(request.args, "limit", 200)
        if not 1 <= limit <= searcher.limits.kwic_lines:
            raise ParameterError(f"limit must be between 1 and {searcher.limits.kwic_lines}")
        lines = research.kwic(searcher, request_from_args(request.args, searcher.limits), width=width, limit=limit)
        return jsonify({"query": request.args.get("q", ""), "lines": [line.to_dict() for line in lines]})

    @app.get("/api/documents/<path:doc_id>")
    def api_document(doc_id: str):
        return jsonify(searcher.document(doc_id))

    @app.get("/api/documents/<path:doc_id>/similar")
    def api_similar(doc_id: str):
        limit = _int(request.args, "limit", 5)
        if not 1 <= limit <= 50:
            raise ParameterError("limit must be between 1 and 50")
        return jsonify({"id": doc_id, "similar": [h.to_dict() for h in searcher.similar(doc_id, limit)],
                        "same_news": [r.to_dict() for r in searcher.reports(doc_id)]})

    @app.get("/api/openapi.json")
    def api_openapi():
        return jsonify(openapi(searcher.limits))

    @app.get("/api/stats")
    def api_stats():
        return jsonify(searcher.stats())

    @app.get("/healthz")
    def healthz():
        searcher.searcher()
        return jsonify({"status": "ok"})


def _register_writes(app: Flask, store: IndexStore, settings: AppConfig) -> None:
    @app.post("/api/documents")
    def api_add_documents():
        check_token(settings.api_token, request.headers.get("Authorization"))
        payload = request.get_json(silent=True)
        if payload is None:
            raise ParameterError("the body must be JSON: one article object, a list, or {\"articles\": [...]}")
        result = add_documents(store, payload)
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


def _register_pages(app: Flask, searcher: Searcher) -> None:
    @app.get("/")
    def page_search():
        error = page = chart = changes = None
        view = "timeline" if request.args.get("view") == "timeline" else "results"
        try:
            req = request_from_args(request.args, searcher.limits)
            page = searcher.search(req)
            if req.q.strip():
                chart = trend_chart(research.trend(searcher, req, "month"))
            if view == "timeline":
                changes = timeline(searcher, req)
        except SearchError as exc:
            error = str(exc)
            req = SearchRequest(q=request.args.get("q", ""))
        status = 400 if error else 200
        return render_template("search.html", req=req, page=page, error=error, chart=chart, view=view,
                               changes=changes, link=_linker(request.args)), status

    @app.get("/documents/<path:doc_id>")
    def page_document(doc_id: str):
        try:
            doc = searcher.document(doc_id)
        except DocumentNotFound as exc:
            return render_template("document.html", doc=None, error=str(exc)), 404
        return render_template("document.html", doc=doc, error=None, related=searcher.similar(doc_id),
                               reports=searcher.reports(doc_id))


def trend_chart(data: dict[str, Any]) -> dict[str, Any] | None:
    """Bars for the page's inline SVG chart: months, or years when months would be too many."""
    if len(data["counts"]) > 36:
        data = research.by_year(data)
    counts = data["counts"]
    if not counts:
        return None
    top = max(c["count"] for c in counts) or 1
    width, height = 600, 110
    step = min(width / len(counts), 48)
    bars = [{"x": round(i * step, 1), "w": max(round(step - 1, 1), 1), "h": round(c["count"] / top * height, 1),
             "y": round(height - c["count"] / top * height, 1), "period": c["period"], "count": c["count"]}
            for i, c in enumerate(counts)]
    return {"bars": bars, "width": max(round(step * len(counts)), 140), "height": height, "interval": data["interval"],
            "first": counts[0]["period"], "last": counts[-1]["period"], "top": top}


def _linker(args: Mapping[str, str]):
    """Build links that keep the current search and change one or more parameters."""
    def link(**changes: Any) -> str:
        params = {k: v for k, v in args.items() if v}
        params.pop("page", None)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "/?" + urlencode(params)
    return link


def _register_errors(app: Flask) -> None:
    def error(status: int, code: str, message: str):
        return jsonify({"error": {"code": code, "message": message}}), status

    @app.errorhandler(SearchError)
    def _search_error(exc: SearchError):
        body, status = error(exc.http_status, exc.code, str(exc))
        headers = {"WWW-Authenticate": 'Bearer realm="zhsearch"'} if status == 401 else {}
        return body, status, headers

    @app.errorhandler(IndexerError)
    def _index_error(exc: IndexerError):
        log.error("index problem: %s", exc)
        return error(exc.http_status, "index_unavailable", str(exc))

    @app.errorhandler(CorpusError)
    def _corpus_error(exc: CorpusError):
        return error(getattr(exc, "http_status", 400), "bad_input", str(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return error(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # the one place a bug is caught: log it, tell nothing
        log.exception("unexpected error")
        return error(500, "internal", "internal error; it has been logged")
