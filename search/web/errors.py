"""Every error the app answers, mapped in one place: our exception hierarchy to HTTP.

The API (``/api/...`` and ``/healthz``) answers the JSON error shape its description
documents; every other route is for people, who get a page in the site's style with the
search box, never a JSON body and never a stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from corpus import CorpusError
from indexer import IndexerError
from search.errors import SearchError

log = logging.getLogger(__name__)

#: Paths answered in JSON; everything else is a page for people.
API_PREFIXES = ("/api/", "/healthz")
#: What a person is told, by status (the message below it says what to do).
PAGE_TITLES = {400: "请求有误", 401: "需要授权", 403: "没有权限", 404: "找不到这个页面",
               405: "不支持这种请求方式", 413: "请求太大", 500: "服务器出错了", 503: "暂时无法服务"}
INTERNAL_MESSAGE = "internal error; it has been logged"
PEOPLE_INTERNAL_MESSAGE = "出错了，我们已记下这个问题，请稍后再试。"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIXES)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   for_people: str | None = None) -> tuple[Response | str, int, dict[str, str]]:
    """The JSON error shape on the API, a page in the site's style everywhere else
    (saying ``for_people`` when given: werkzeug's own descriptions are for developers)."""
    if is_api_request():
        return jsonify({"error": {"code": code, "message": message}}), status, headers or {}
    page = render_template("error.html", status=status, title=PAGE_TITLES.get(status, "出错了"),
                           message=for_people or message, req={"q": request.args.get("q", "")})
    return page, status, headers or {}


def _http_message(status: int) -> str | None:
    """What a person is told for werkzeug's own errors (routing, methods, sizes)."""
    return {404: f"没有这个页面：{request.path}",
            405: f"{request.path} 不接受 {request.method} 请求。",
            413: "提交的内容太大。", 500: PEOPLE_INTERNAL_MESSAGE}.get(status)


def register_errors(app: Flask) -> None:
    @app.errorhandler(SearchError)
    def _search_error(exc: SearchError):
        headers = {"WWW-Authenticate": 'Bearer realm="zhsearch"'} if exc.http_status == 401 else {}
        return error_response(exc.http_status, exc.code, str(exc), headers)

    @app.errorhandler(IndexerError)
    def _index_error(exc: IndexerError):
        log.error("index problem: %s", exc)
        people = "索引暂时不可用，请稍后再试。" if exc.http_status == 503 else PEOPLE_INTERNAL_MESSAGE
        return error_response(exc.http_status, "index_unavailable", str(exc), for_people=people)

    @app.errorhandler(CorpusError)
    def _corpus_error(exc: CorpusError):
        return error_response(getattr(exc, "http_status", 400), "bad_input", str(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        # keep werkzeug's own headers (a 405's Allow names the methods the route takes)
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        code = (exc.name or "error").lower().replace(" ", "_")
        status = exc.code or 500
        return error_response(status, code, exc.description or "", headers, _http_message(status))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # the one place a bug is caught: log it, tell nothing
        log.exception("unexpected error")
        return error_response(500, "internal", INTERNAL_MESSAGE, for_people=PEOPLE_INTERNAL_MESSAGE)
