"""What a search returns: one result object that both presenters (CLI, web) render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SORTS = ("relevance", "newest", "oldest", "recent")
#: `sort=recent`: relevance, with an article's score halved for every this many days it is
#: older than the newest candidate (relevance alone stays the default).
RECENCY_HALF_LIFE_DAYS = 180
MAX_PER_PAGE = 100
MAX_DEPTH = 10_000


def iso(value: datetime | None) -> str | None:
    """Timestamps in the API: China local time, to the second, no offset.

    >>> iso(datetime(1, 1, 1)), iso(datetime(2024, 3, 1, 8, 5, 3, 999))
    ('0001-01-01T00:00:00', '2024-03-01T08:05:03')
    """
    # not strftime: its %Y does not pad year 1 to four digits ("1-01-01T00:00:00")
    return value.replace(tzinfo=None, microsecond=0).isoformat() if value is not None else None


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: the same object whatever the CLI or HTTP parameters were."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    date_from: str | None = None
    date_to: str | None = None
    category: str | None = None
    year: str | None = None
    effective_from: str | None = None
    effective_to: str | None = None
    platform: str | None = None
    rule: str | None = None
    kind: str | None = None
    #: After the articles with every word, list those with only some (relevance order only).
    partial: bool = True
    #: Include how the query was normalised, segmented, expanded and parsed.
    explain: bool = False
    #: Fold near-duplicate reports of the same news into the first one.
    collapse: bool = True


@dataclass(frozen=True)
class Report:
    """Another report of the same news, folded into a hit."""

    id: str
    title: str
    published: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "published": iso(self.published)}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    title_html: str
    published: datetime | None
    url: str
    category: str
    source: str
    snippet: str
    score: float | None
    partial: bool = False
    duplicates: tuple[Report, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "title_html": self.title_html,
                "published": iso(self.published), "url": self.url or None,
                "category": self.category or None, "source": self.source or None,
                "snippet": self.snippet,
                "score": round(self.score, 4) if self.score is not None else None,
                "partial": self.partial, "duplicates": [d.id for d in self.duplicates],
                "similar_reports": [d.to_dict() for d in self.duplicates], "facts": self.facts}


@dataclass(frozen=True)
class SearchPage:
    request: SearchRequest
    total: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    explain: dict[str, Any] | None = None
    #: The time budget ran out: ``total`` and the facets count only what was matched by then.
    timed_out: bool = False
    depth: int = MAX_DEPTH
    #: Partial hits placed among the first exact ones: they push exact hits down, so the
    #: page count must make room for them or the last exact hits fall off the last page.
    promoted: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total + self.promoted, self.depth) // self.request.per_page))

    def to_dict(self) -> dict[str, Any]:
        r = self.request
        body = {"query": r.q, "total": self.total, "page": r.page, "per_page": r.per_page,
                "pages": self.pages, "sort": r.sort, "took_ms": round(self.took_ms, 2),
                "timed_out": self.timed_out,
                "filters": {"from": r.date_from, "to": r.date_to, "category": r.category, "year": r.year,
                            "effective_from": r.effective_from, "effective_to": r.effective_to,
                            "platform": r.platform, "rule": r.rule, "kind": r.kind},
                "suggestion": self.suggestion,
                "hits": [h.to_dict() for h in self.hits], "facets": self.facets}
        if self.explain is not None:
            body["explain"] = self.explain
        return body
