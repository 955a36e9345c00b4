"""What changed, when: rule changes matching a query, in order of the day they take effect.

Each entry is one change: its effective date (the publication date when the article
states none), kind, agreement and the articles reporting it; several reports of the same
news (near-duplicates, or the same agreement changing on the same day) merge into one
entry listing every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from search.engine.budget import Deadline
from search.engine.duplicates import Signature, same_news
from search.engine.results import SearchRequest, iso
from search.engine.snippets import match_spans
from search.errors import ParameterError, QueryError
from search.query.dates import parse_bound

MAX_ARTICLES = 2000


@dataclass
class Entry:
    day: date
    dated_by: str  # "effective" or "published"
    facts: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)

    def key(self) -> tuple[str, tuple[str, ...]] | None:
        rules = tuple(self.facts.get("rules", ()))
        return (self.day.isoformat(), rules) if rules and self.dated_by == "effective" else None

    def to_dict(self) -> dict[str, Any]:
        first = self.sources[0]
        return {"date": self.day.isoformat(), "dated_by": self.dated_by,
                "effective": self.facts.get("effective", []), "announced": self.facts.get("announced", []),
                "kinds": self.facts.get("kinds", []), "rules": self.facts.get("rules", []),
                "platforms": self.facts.get("platforms", []), "programmes": self.facts.get("programmes", []),
                "title": first["title"], "id": first["id"], "sources": self.sources}


def timeline(searcher, request: SearchRequest, on: str | None = None) -> dict[str, Any]:
    """Changes matching ``request`` (its q, rule and platform filters), oldest first.

    With a query, an entry must have it in the title of one of its reports.

    With ``on``, only what is in force or takes effect on that day: per agreement (or
    programme), the latest change effective on or before it.
    """
    day = _day(on)  # before any matching: a bad day is a quick 400, not a slow one
    deadline = Deadline(searcher.limits.search_seconds)
    matching = searcher.matching(request, limit=MAX_ARTICLES)
    results = matching.results
    entries: list[Entry] = []
    weigh = searcher.term_weigher(matching.view)  # the same duplicate rule as search results
    for hit in results:
        if deadline.passed():  # out of time: the changes read so far, said so
            break
        entry = _entry(hit.fields())
        if entry is not None:
            _merge(entries, entry, weigh)
    if request.q.strip():
        # a digest that mentions the query in passing is not a change to it
        analyzer = matching.view.searcher.schema["title"].analyzer
        entries = [e for e in entries
                   if any(match_spans(src["title"], matching.highlights, analyzer) for src in e.sources)]
    entries.sort(key=lambda e: (e.day, e.sources[0]["published"] or ""))
    if day is not None:
        entries = _in_force(entries, day)
    return {"query": request.q, "on": on, "articles": len(results),
            "entries": [e.to_dict() for e in entries], "timed_out": deadline.missed}


def _day(on: str | None) -> date | None:
    """The last day of the period ``on`` names (None: no day asked), or a ParameterError."""
    try:
        last = parse_bound(on, end=True)
    except QueryError as exc:
        raise ParameterError(f"on: {exc}") from None
    return None if last is None else last.date()


def _entry(stored: dict[str, Any]) -> Entry | None:
    facts = stored.get("facts") or {}
    published: datetime | None = stored.get("published")
    if facts.get("effective"):
        day, dated_by = date.fromisoformat(facts["effective"][0]), "effective"
    elif published is not None and (facts.get("kinds") or facts.get("rules")):
        day, dated_by = published.date(), "published"
    else:
        return None
    source = {"id": stored["id"], "title": stored.get("title", ""), "published": iso(published),
              "url": stored.get("url") or None}
    return Entry(day, dated_by, facts, [source], [Signature.of(stored)])


def _merge(entries: list[Entry], new: Entry, weigh) -> None:
    for entry in entries:
        same_key = new.key() is not None and new.key() == entry.key()
        if same_key or any(same_news(a, b, weigh) for a in entry.signatures for b in new.signatures):
            entry.sources += new.sources
            entry.signatures += new.signatures
            if new.dated_by == "effective" and entry.dated_by != "effective":
                entry.day, entry.dated_by, entry.facts = new.day, new.dated_by, new.facts
            return
    entries.append(new)


def _in_force(entries: list[Entry], day: date) -> list[Entry]:
    latest: dict[tuple[str, ...], Entry] = {}
    for entry in entries:
        if entry.dated_by != "effective" or entry.day > day:
            continue
        subject = tuple(entry.facts.get("rules") or entry.facts.get("programmes") or [entry.sources[0]["id"]])
        latest[subject] = entry
    return sorted(latest.values(), key=lambda e: e.day)
