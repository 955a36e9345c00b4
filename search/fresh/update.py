"""``zhsearch update`` as a function: due sources → queued articles → index → alerts → webhooks.

Each stage commits before the next starts, so a run stopped anywhere is finished by the
next one; webhooks run last, so indexing never waits on them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from corpus.fetch import Fetcher, FetchPolicy
from indexer import IndexStore
from search.alerts.delivery import deliver_pending
from search.alerts.matching import AlertReport, run_alerts
from search.engine.searcher import Searcher
from search.fresh.db import StateDB
from search.fresh.fetching import SourceReport, fetch_source
from search.fresh.indexing import index_pending
from search.fresh.sources import due_sources


@dataclass
class UpdateReport:
    sources: list[SourceReport] = field(default_factory=list)
    indexed: int = 0
    updated: int = 0
    alerts: list[AlertReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.error is None for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "sources": [s.to_dict() for s in self.sources], "indexed": self.indexed,
                "updated": self.updated, "alerts": [a.to_dict() for a in self.alerts]}


def run_update(store: IndexStore, policy: FetchPolicy | None = None, everything: bool = False,
               now: float | None = None) -> UpdateReport:
    """Fetch due sources (all with ``everything``), index, run alerts, deliver. Never raises for a source."""
    now = time.time() if now is None else now
    report = UpdateReport()
    with StateDB.beside(store.path) as db, Fetcher(policy) as fetcher:
        for source in due_sources(db, now, everything):
            report.sources.append(fetch_source(db, fetcher, source, now))
        built = index_pending(db, store)
        if built is not None:
            report.indexed, report.updated = built.indexed, built.updated
        searcher = Searcher(store, refresh_seconds=0) if store.exists() else None
        alerts = run_alerts(db, searcher)
        deliver_pending(db, fetcher, alerts)
        report.alerts = list(alerts.values())
    return report


def seconds_to_next(store: IndexStore, now: float | None = None, longest: float = 60.0) -> float:
    """How long ``watch`` may sleep before some source is due (at most ``longest``, to notice new sources)."""
    now = time.time() if now is None else now
    with StateDB.beside(store.path) as db:
        row = db.query("SELECT MIN(next_due) FROM sources")[0][0]
    return longest if row is None else min(max(row - now, 0.0), longest)
