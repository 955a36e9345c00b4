"""Queued articles into the index, through the same ``build_index`` as ``zhsearch index``.

The index commits once; only then are the rows marked indexed and numbered (``seq``, the
order alerts read them in). A run killed between the two re-indexes the same ids next
time: ``build_index`` replaces by id, so nothing is duplicated and nothing is lost.
"""

from __future__ import annotations

from indexer import BuildOptions, BuildReport, IndexStore, build_index
from search.fresh.db import StateDB
from search.fresh.records import from_record


def index_pending(db: StateDB, store: IndexStore, lock_wait: float = 600) -> BuildReport | None:
    """Index every queued article; None when there was nothing to do."""
    rows = db.query("SELECT url, record FROM articles WHERE pending = 1 ORDER BY first_seen, url")
    if not rows:
        return None
    report = build_index(store, (from_record(row["record"]) for row in rows), BuildOptions(lock_wait=lock_wait))
    with db.transaction() as conn:
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
        for offset, row in enumerate(rows, start=1):
            conn.execute("UPDATE articles SET pending = 0, seq = ? WHERE url = ?", (seq + offset, row["url"]))
    return report
