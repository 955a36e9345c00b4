"""After an update: which newly indexed articles each alert's query matches.

Matching goes through the search core's public entry point, ``Searcher.search``, so an
alert finds exactly what the same search on the page would. The core has no "these ids
only" filter, so the alert's search is paged (newest first) and kept to the new ids; it
stops as soon as every new article has been seen.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from search.alerts.store import Alert, list_alerts
from search.engine.results import MAX_PER_PAGE
from search.engine.searcher import Searcher
from search.fresh.db import StateDB

#: At most this many result pages are read per alert and update (100 hits each).
MAX_PAGES = 100


@dataclass
class AlertReport:
    name: str
    matched: int = 0
    delivered: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def run_alerts(db: StateDB, searcher: Searcher | None) -> dict[str, AlertReport]:
    """Queue one delivery per alert that has new matches, and move every alert past what it saw."""
    reports = {}
    for alert in list_alerts(db):
        reports[alert.name] = report = AlertReport(alert.name)
        rows = db.query("SELECT id, seq FROM articles WHERE seq > ? AND is_new = 1", (alert.last_seq,))
        top = db.query("SELECT COALESCE(MAX(seq), 0) FROM articles WHERE pending = 0")[0][0]
        hits = _matches(searcher, alert, {row["id"] for row in rows}) if rows and searcher else []
        report.matched = len(hits)
        _queue(db, alert, hits, top)
    return reports


def _matches(searcher: Searcher, alert: Alert, wanted: set[str]) -> list[dict]:
    found: dict[str, dict] = {}
    per_page = min(MAX_PER_PAGE, searcher.limits.per_page)
    for page in range(1, MAX_PAGES + 1):
        result = searcher.search(alert.request(sort="newest", per_page=per_page, page=page))
        for hit in result.hits:
            if hit.id in wanted and hit.id not in found:
                found[hit.id] = {"id": hit.id, "title": hit.title, "published": hit.to_dict()["published"],
                                 "url": hit.url or None, "snippet": hit.snippet, "facts": hit.facts}
        if len(found) == len(wanted) or page >= result.pages:
            break
    return list(found.values())


def _queue(db: StateDB, alert: Alert, hits: list[dict], top: int) -> None:
    with db.transaction() as conn:
        fresh = [h for h in hits if not conn.execute(
            "SELECT 1 FROM delivered WHERE alert = ? AND article_id = ?", (alert.name, h["id"])).fetchone()]
        if fresh:
            payload = {"alert": alert.name, "query": alert.query, "articles": fresh}
            cur = conn.execute("INSERT INTO deliveries (alert, payload, created_at) VALUES (?, ?, ?)",
                               (alert.name, json.dumps(payload, ensure_ascii=False), time.time()))
            conn.executemany("INSERT INTO delivered (alert, article_id, delivery) VALUES (?, ?, ?)",
                             [(alert.name, h["id"], cur.lastrowid) for h in fresh])
        conn.execute("UPDATE alerts SET last_seq = MAX(last_seq, ?) WHERE name = ?", (top, alert.name))
