"""Researcher tools over the exact query: hits over time, keyword in context, full exports.

All three use the query's exact matches only (no partial fill): counts a researcher cites
must mean "articles with these words", nothing looser.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from search.engine.budget import Deadline
from search.engine.results import SearchRequest, iso
from search.engine.snippets import match_spans
from search.errors import ParameterError
from search.research import periods
from search.research.compare import compare

#: Kept here too: the CLI and the OpenAPI document read the intervals from this module.
INTERVALS = periods.INTERVALS
EXPORT_FORMATS = ("csv", "jsonl")
EXPORT_FIELDS = ("id", "published", "title", "source", "category", "url", "content")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def trend(searcher, request: SearchRequest, interval: str = "month", normalize: bool = False) -> dict[str, Any]:
    """Articles per period for one query (every period between the first and last, zeros
    included); :func:`search.research.compare.compare` for several queries or by source."""
    return compare(searcher, [request], interval, normalize)


@dataclass(frozen=True)
class KwicLine:
    id: str
    published: datetime | None
    left: str
    match: str
    right: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "published": iso(self.published), "left": self.left,
                "match": self.match, "right": self.right}


def kwic(searcher, request: SearchRequest, width: int = 20, limit: int = 200,
         deadline: Deadline | None = None) -> Iterator[KwicLine]:
    """One line per occurrence of the query's words: left context | match | right context.

    Stops at ``deadline`` (the search budget) with the lines made so far: the caller reads
    ``deadline.missed`` to say ``timed_out``.
    """
    if not 1 <= width <= 200:
        raise ParameterError("width must be between 1 and 200")
    deadline = deadline if deadline is not None else Deadline(searcher.limits.search_seconds)
    matching = searcher.matching(request, sort=request.sort)
    analyzer = matching.view.searcher.schema["content"].analyzer
    emitted = 0
    for hit in matching.results:
        if deadline.passed():
            return
        stored = hit.fields()
        for text in (stored.get("title", ""), stored.get("content", "")):
            for start, end in match_spans(text, matching.highlights, analyzer):
                yield KwicLine(stored["id"], stored.get("published"), _oneline(text[max(0, start - width):start]),
                               text[start:end], _oneline(text[end:end + width]))
                emitted += 1
                if emitted >= limit:
                    return


def _oneline(text: str) -> str:
    return " ".join(text.split())


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (`=`, `+`, `-`, `@` prefixes).

    >>> safe_cell("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_rows(searcher, request: SearchRequest) -> Iterator[dict[str, Any]]:
    """Every exact match, one dict per article, read lazily from the index."""
    results = searcher.matching(request, sort=request.sort).results
    cap = searcher.limits.export_rows
    if len(results) > cap:
        raise ParameterError(f"the export would hold {len(results):,} articles, more than the limit of {cap:,}; "
                             "narrow the query or the dates")
    for hit in results:
        stored = hit.fields()
        row = {name: stored.get(name, "") for name in EXPORT_FIELDS}
        row["published"] = iso(stored.get("published"))
        row["score"] = round(hit.score, 4) if hit.score is not None else None
        yield row


def export_lines(searcher, request: SearchRequest, fmt: str) -> Iterator[str]:
    """The export as text chunks (CSV with a header, or JSON Lines), for streaming."""
    if fmt not in EXPORT_FORMATS:
        raise ParameterError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
    rows = export_rows(searcher, request)
    if fmt == "jsonl":
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow((*EXPORT_FIELDS, "score"))
    for row in rows:
        writer.writerow([safe_cell(row[name]) for name in EXPORT_FIELDS] + [row["score"]])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()



def by_year(data: dict[str, Any]) -> dict[str, Any]:
    """A monthly (or daily) trend summed into years, without searching again.

    >>> by_year({"interval": "month", "counts": [{"period": "2024-11", "count": 2},
    ...          {"period": "2025-01", "count": 1}]})["counts"]
    [{'period': '2024', 'count': 2}, {'period': '2025', 'count': 1}]
    """
    years: Counter[str] = Counter()
    for row in data["counts"]:
        years[row["period"][:4]] += row["count"]
    first, last = (int(min(years)), int(max(years))) if years else (0, -1)
    return {**data, "interval": "year",
            "counts": [{"period": str(y), "count": years.get(str(y), 0)} for y in range(first, last + 1)]}


def trend_csv(data: dict[str, Any]) -> str:
    """A trend's series as CSV, one row per series and period: query, source, period, count,
    share (empty unless normalised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("query", "source", "period", "count", "share"))
    for series in data["series"]:
        for row in series["counts"]:
            writer.writerow((safe_cell(series["query"]), safe_cell(series.get("source")), row["period"],
                             row["count"], row.get("share", "")))
    return buffer.getvalue()
