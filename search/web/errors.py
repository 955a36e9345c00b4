"""Every error the app answers, mapped in one place: our exception hierarchy to HTTP."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from corpus import CorpusError
from indexer import IndexerError
from search.errors import SearchError

log = logging.getLogger(__name__)


def register_errors(app: Flask) -> None:
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
