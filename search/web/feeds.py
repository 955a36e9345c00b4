"""Atom feeds: any search (``/feeds/search.atom?q=…``) and any saved alert (``/feeds/alerts/NAME.atom``).

Both are the newest 50 matching articles, run through the same ``Searcher.search`` as the
page and the API, so a feed reader sees what the search page shows, newest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request

from search.alerts.atom import atom_feed
from search.alerts.store import get_alert
from search.engine.results import SearchRequest
from search.fresh.db import StateDB
from search.web.api import engine
from search.web.params import request_from_args

feeds = Blueprint("feeds", __name__)

FEED_SIZE = 50
ATOM = "application/atom+xml; charset=utf-8"
#: Parameters that change the page shown, not which articles match.
NOT_FILTERS = ("page", "per_page", "sort", "view", "explain")


def feed_url(args: Mapping[str, str]) -> str:
    """The feed of the search in ``args`` (the search page links it)."""
    kept = {k: v for k, v in args.items() if v and k not in NOT_FILTERS}
    return "/feeds/search.atom?" + urlencode(kept)


@feeds.get("/feeds/search.atom")
def search_feed() -> Response:
    req = request_from_args(request.args, engine().limits)
    title = f"zhsearch: {req.q}" if req.q else "zhsearch: newest articles"
    page_url = "/?" + urlencode({k: v for k, v in request.args.items() if v})
    return _atom(req, title, page_url)


@feeds.get("/feeds/alerts/<name>.atom")
def alert_feed(name: str) -> Response:
    with StateDB.beside(engine().store.path) as db:
        alert = get_alert(db, name)
    return _atom(alert.request(), f"zhsearch alert: {alert.name} ({alert.query})", "/?" + urlencode({"q": alert.query}))


def _atom(req: SearchRequest, title: str, page_url: str) -> Response:
    page = engine().search(replace(req, sort="newest", page=1, per_page=FEED_SIZE, explain=False))
    base = request.host_url.rstrip("/")
    body = atom_feed(page, title, request.url, base + page_url, base)
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Content-Type"] = ATOM
    response.cache_control.max_age = int(current_app.extensions["zhsearch.settings"].refresh_seconds) + 60
    return response
