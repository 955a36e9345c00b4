"""Attention over time for several queries side by side, optionally as shares of all news.

Each query gets its own series of counts per period over one common range of periods
(every period present, zeros included), so series line up row by row. With ``normalize``
each count also comes as a share of all articles published in that period (under the same
filters, without the query): a month in which twice as much was published does not look
like twice the attention. ``by_source`` splits one query into a series per top source,
normalised by what that source published.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from search.engine.results import SearchRequest
from search.errors import ParameterError
from search.research.columns import Columns, columns
from search.research.periods import check_interval, codes, label, span
from search.research.sources import source_table, top_source_codes

#: Queries compared at once: a chart with more lines than this cannot be read.
MAX_SERIES = 8
BY = ("query", "source")


@dataclass
class Counted:
    """One series before it is laid over the common periods."""

    query: str
    docs: np.ndarray
    cols: Columns
    codes: np.ndarray
    background: np.ndarray | None = None  # period codes of all articles it is a share of
    source: str | None = None

    @property
    def undated(self) -> int:
        return len(self.docs) - len(self.codes)


def compare(searcher, requests: Sequence[SearchRequest], interval: str = "month", normalize: bool = False,
            by: str = "query", top: int = 5) -> dict[str, Any]:
    """``{"interval", "normalize", "series": [...]}``; one query also keeps the one-series keys
    (``query``, ``total``, ``undated``, ``counts``) at the top."""
    check_interval(interval)
    if not 1 <= len(requests) <= MAX_SERIES:
        raise ParameterError(f"give between 1 and {MAX_SERIES} queries to compare")
    if by not in BY:
        raise ParameterError(f"by must be one of {', '.join(BY)}")
    if not 1 <= top <= MAX_SERIES:
        raise ParameterError(f"top must be between 1 and {MAX_SERIES}")
    if by == "source" and len(requests) > 1:
        raise ParameterError("by=source splits one query by source; give one q")
    counted = [_count(searcher, r, interval, normalize) for r in requests]
    series = _by_source(searcher, counted[0], requests[0], interval, normalize, top) if by == "source" else counted
    periods = _periods([*counted, *series])
    data: dict[str, Any] = {"interval": interval, "normalize": normalize, "by": by,
                            "series": [_series(c, periods, interval, normalize) for c in series]}
    if by == "source":
        for row, c in zip(data["series"], series):
            row["source"] = c.source
    if len(requests) == 1:
        one = _series(counted[0], periods, interval, normalize)
        data = {"query": one["query"], "total": one["total"], "undated": one["undated"],
                "counts": one["counts"], "sources": one["sources"], **data}
    return data


def _count(searcher, request: SearchRequest, interval: str, normalize: bool) -> Counted:
    matching = searcher.matching(request, scored=False)
    cols = columns(matching)
    docs = np.asarray(matching.results, dtype=np.int64)
    found = Counted(request.q, docs, cols, _codes(cols, docs, interval))
    if normalize:
        everything = searcher.matching(dataclasses.replace(request, q=""), scored=False)
        found.background = _codes(columns(everything), np.asarray(everything.results, dtype=np.int64), interval)
    return found


def _codes(cols: Columns, docs: np.ndarray, interval: str) -> np.ndarray:
    dated = docs[cols.dated[docs]]
    return codes(cols.days[dated], interval)


def _by_source(searcher, whole: Counted, request: SearchRequest, interval: str, normalize: bool,
               top: int) -> list[Counted]:
    """One series per top source of ``whole``; its shares are of what that source published."""
    cols = whole.cols
    everything = None
    if normalize:
        matching = searcher.matching(dataclasses.replace(request, q=""), scored=False)
        everything = np.asarray(matching.results, dtype=np.int64)
        cols = columns(matching)  # the same version as ``whole`` but for a commit in between
    out = []
    for code in top_source_codes(whole.cols, whole.docs, top):
        docs = whole.docs[whole.cols.sources[whole.docs] == code]
        part = Counted(request.q, docs, whole.cols, _codes(whole.cols, docs, interval),
                       source=whole.cols.source_names[code] or None)
        if everything is not None:
            mine = everything[cols.sources[everything] == cols.source_names.index(whole.cols.source_names[code])]
            part.background = _codes(cols, mine, interval)
        out.append(part)
    return out


def _periods(counted: Sequence[Counted]) -> range:
    present = [c.codes for c in counted if len(c.codes)]
    if not present:
        return range(0)
    return span(int(min(a.min() for a in present)), int(max(a.max() for a in present)))


def _series(c: Counted, periods: range, interval: str, normalize: bool) -> dict[str, Any]:
    counts = _bins(c.codes, periods)
    rows = [{"period": label(code, interval), "count": int(n)} for code, n in zip(periods, counts)]
    if normalize and c.background is not None:
        base = _bins(c.background, periods)
        for row, n, of in zip(rows, counts, base):
            row["share"] = round(float(n) / float(of), 6) if of else 0.0
    return {"query": c.query, "total": len(c.docs), "undated": c.undated, "counts": rows,
            "sources": source_table(c.cols, c.docs)}


def _bins(found: np.ndarray, periods: range) -> np.ndarray:
    if not len(periods):
        return np.zeros(0, dtype=np.int64)
    inside = found[(found >= periods.start) & (found < periods.stop)]  # a background spans more
    return np.bincount(inside - periods.start, minlength=len(periods))
