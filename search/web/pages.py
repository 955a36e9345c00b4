"""The HTML pages for people: the search page (results, chart, timeline tab) and article pages."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from search.engine.results import SearchRequest
from search.errors import DocumentNotFound, SearchError
from search.research.compare import MAX_SERIES, compare
from search.research.terms import terms
from search.research.timeline import timeline
from search.web.api import engine
from search.web.chart import trend_chart
from search.web.feeds import feed_url
from search.web.params import flag_arg, request_from_args

pages = Blueprint("pages", __name__)
#: Distinctive words listed beside the results.
PAGE_TERMS = 12
#: The page folds this many best matches into stories for its word list (the API: 500).
#: Each article's duplicate signature costs about a millisecond the first time it is seen.
PAGE_SAMPLE = 100


@pages.get("/")
def page_search():
    searcher = engine()
    error = page = chart = changes = research = None
    view = "timeline" if request.args.get("view") == "timeline" else "results"
    try:
        req = request_from_args(request.args, searcher.limits)
        with searcher.one_request():  # the hits, the chart, the sources and the words count one match set
            page = searcher.search(req)
            if req.q.strip():
                research = page_research(searcher, req)
                chart = trend_chart(research["trend"])
            if view == "timeline":
                changes = timeline(searcher, req)
    except SearchError as exc:
        error = str(exc)
        req = SearchRequest(q=request.args.get("q", ""))
    status = 400 if error else 200
    return render_template("search.html", req=req, page=page, error=error, chart=chart, view=view,
                           changes=changes, research=research, link=linker(request.args),
                           feed=feed_url(request.args)), status


def page_research(searcher, req: SearchRequest) -> dict[str, Any]:
    """The trend (with any ``compare`` queries, ``normalize``), its sources and the distinctive words.

    Months, or years when months would be too many to draw.
    """
    others = [c.strip() for c in request.args.getlist("compare") if c.strip()][:MAX_SERIES - 1]
    requests = [req, *(dataclasses.replace(req, q=q) for q in others)]
    normalize = flag_arg(request.args, "normalize", False)
    data = compare(searcher, requests, "month", normalize)
    if len(data["series"][0]["counts"]) > 36:
        data = compare(searcher, requests, "year", normalize)
    trend_link = "/api/trend?" + urlencode([("q", r.q) for r in requests] + [("interval", data["interval"])]
                                           + ([("normalize", "1")] if normalize else []))
    return {"trend": data, "sources": data["series"][0]["sources"], "compare": others, "normalize": normalize,
            "trend_link": trend_link, "terms": terms(searcher, req, size=PAGE_TERMS, sample=PAGE_SAMPLE, wait=False)}


@pages.get("/documents/<path:doc_id>")
def page_document(doc_id: str):
    searcher = engine()
    try:
        doc = searcher.document(doc_id)
    except DocumentNotFound as exc:
        return render_template("document.html", doc=None, error=str(exc)), 404
    related, reports = searcher.related(doc_id)
    return render_template("document.html", doc=doc, error=None, related=related, reports=reports)


def linker(args: Mapping[str, str]):
    """Build links that keep the current search and change one or more parameters."""
    # every value of a repeated parameter (compare=Q2&compare=Q3) is kept, not the first;
    # each is encoded once per page, not once per link (a page has about fifty)
    params = {k: [v for v in args.getlist(k) if v] if hasattr(args, "getlist") else [args[k]]
              for k in args if args.get(k)}
    params.pop("page", None)
    encoded = {k: urlencode([(k, v) for v in values]) for k, values in params.items()}

    def link(**changes: Any) -> str:
        parts = dict(encoded)
        for key, value in changes.items():
            if value is None:
                parts.pop(key, None)
            else:
                parts[key] = _pair(key, str(value))
        return "/?" + "&".join(part for part in parts.values() if part)
    return link


@functools.lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    """``key=value`` percent-encoded. A page links about fifty facet values, pages, tabs
    and agreements, mostly the same few hundred across pages; ``quote`` works byte by byte
    in Python (1.5 ms of a page's rendering for Chinese values), so each is encoded once."""
    return urlencode([(key, value)])
