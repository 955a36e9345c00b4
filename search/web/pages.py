"""The HTML pages for people: the search page (results, chart, timeline tab) and article pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from search.engine.results import SearchRequest
from search.errors import DocumentNotFound, SearchError
from search.research import tools as research
from search.research.timeline import timeline
from search.web.api import engine
from search.web.feeds import feed_url
from search.web.params import request_from_args

pages = Blueprint("pages", __name__)


@pages.get("/")
def page_search():
    searcher = engine()
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
                           changes=changes, link=linker(request.args),
                           feed=feed_url(request.args)), status


@pages.get("/documents/<path:doc_id>")
def page_document(doc_id: str):
    searcher = engine()
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
    return {"bars": bars, "width": max(round(step * len(counts)), 140), "height": height,
            "interval": data["interval"], "first": counts[0]["period"], "last": counts[-1]["period"], "top": top}


def linker(args: Mapping[str, str]):
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
