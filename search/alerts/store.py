"""Saved searches: a name, a query, the same filters as ``zhsearch search``, and maybe a webhook."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.fetch import check_url
from search.engine.results import SearchRequest
from search.fresh.db import StateDB
from search.fresh.errors import SourceExists, SourceNotFound

#: SearchRequest fields an alert may set besides the query.
FILTERS = ("date_from", "date_to", "category", "effective_from", "effective_to", "platform", "rule", "kind")


@dataclass(frozen=True)
class Alert:
    name: str
    query: str
    filters: dict[str, str] = field(default_factory=dict)
    webhook: str | None = None
    last_seq: int = 0

    def request(self, **overrides: Any) -> SearchRequest:
        """The search this alert runs: exact matches only, every report listed (no folding)."""
        settings: dict[str, Any] = {"partial": False, "collapse": False, **overrides}
        return SearchRequest(q=self.query, **self.filters, **settings)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_alert(db: StateDB, name: str, query: str, filters: dict[str, str | None],
              webhook: str | None = None) -> Alert:
    """Save an alert; it sees every article indexed from now on (not the ones already there)."""
    kept = {k: v for k, v in filters.items() if v and k in FILTERS}
    alert = Alert(name, query, kept, check_url(webhook) if webhook else None)
    alert.request()  # an unknown filter fails here, not at the next update
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM alerts WHERE name = ?", (name,)).fetchone():
            raise SourceExists(f"an alert named {name!r} exists; remove it first")
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
        conn.execute("INSERT INTO alerts (name, query, filters, webhook, created_at, last_seq) VALUES (?, ?, ?, ?, ?, ?)",
                     (name, query, json.dumps(kept, ensure_ascii=False), alert.webhook, time.time(), seq))
    return Alert(name, query, kept, alert.webhook, seq)


def list_alerts(db: StateDB) -> list[Alert]:
    rows = db.query("SELECT name, query, filters, webhook, last_seq FROM alerts ORDER BY name")
    return [Alert(r["name"], r["query"], json.loads(r["filters"]), r["webhook"], r["last_seq"]) for r in rows]


def get_alert(db: StateDB, name: str) -> Alert:
    for alert in list_alerts(db):
        if alert.name == name:
            return alert
    raise SourceNotFound(f"no alert named {name!r} (see `zhsearch alerts list`)")


def remove_alert(db: StateDB, name: str) -> None:
    """Forget an alert and its undelivered deliveries."""
    with db.transaction() as conn:
        if conn.execute("DELETE FROM alerts WHERE name = ?", (name,)).rowcount == 0:
            raise SourceNotFound(f"no alert named {name!r} (see `zhsearch alerts list`)")
        conn.execute("DELETE FROM deliveries WHERE alert = ? AND sent_at IS NULL", (name,))
