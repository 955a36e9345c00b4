"""The app factory: settings, one :class:`Searcher`, the blueprints and the error mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response

from indexer import IndexStore
from search.config import AppConfig, ensure_index
from search.engine.searcher import Searcher
from search.query.synonyms import Synonyms
from search.web.api import api
from search.web.errors import register_errors
from search.web.feeds import feeds
from search.web.pages import pages

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
    ensure_index(store, explicit=not settings.build_sample_if_missing)
    app.extensions["zhsearch"] = Searcher(
        store, refresh_seconds=settings.refresh_seconds, synonyms=Synonyms.load(settings.synonyms),
        query_userdicts=settings.query_userdicts, limits=settings.limits, cache_pages=settings.cache_pages,
        postings_mb=settings.postings_mb)
    app.extensions["zhsearch.settings"] = settings
    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(feeds)
    register_errors(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
