"""One source, once: read its feed or listing, fetch what is new or changed, queue it for indexing.

Each article is written to the state file in its own transaction as soon as it is fetched,
so a run killed halfway keeps what it got. The source's own ETag is saved only when every
item was handled: a 304 next time must never hide an item this run failed to fetch.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from corpus.fetch import Fetcher, FetchError, Item, Validators, fetch_article, read_source
from search.fresh.db import StateDB
from search.fresh.records import digest, to_record
from search.fresh.sources import Source

log = logging.getLogger(__name__)


@dataclass
class SourceReport:
    name: str
    url: str
    kind: str | None = None
    fetched: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    not_modified: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def fetch_source(db: StateDB, fetcher: Fetcher, source: Source, now: float | None = None) -> SourceReport:
    """Fetch ``source`` and queue its new and changed articles; errors end up in the report."""
    report = SourceReport(source.name, source.url)
    row = db.query("SELECT etag, last_modified FROM sources WHERE name = ?", (source.name,))
    kept = Validators(row[0]["etag"], row[0]["last_modified"]) if row else Validators()
    found = kept
    try:
        fetched = fetcher.get(source.url, kept)
        report.not_modified = fetched.not_modified
        if not fetched.not_modified:
            found = fetched.validators
            report.kind, items = read_source(fetched)
            failures = [err for item in items if (err := _take_item(db, fetcher, source, item, report))]
            if failures:
                report.error = f"{len(failures)} article(s) could not be fetched, e.g. {failures[0]}"
    except FetchError as exc:
        report.error = str(exc)
    _finish(db, source, report, found if report.error is None else kept, now or time.time())
    return report


def _take_item(db: StateDB, fetcher: Fetcher, source: Source, item: Item, report: SourceReport) -> str | None:
    report.fetched += 1
    known = db.query("SELECT i.fingerprint, a.etag, a.last_modified FROM items i LEFT JOIN articles a "
                     "ON a.url = i.article_url WHERE i.url = ?", (item.url,))
    if known and known[0]["fingerprint"] == item.fingerprint:
        report.skipped += 1
        return None
    validators = Validators(known[0]["etag"], known[0]["last_modified"]) if known else None
    try:
        page = fetch_article(fetcher, item, source.name, validators)
    except FetchError as exc:
        log.warning("%s: %s", source.name, exc)
        return str(exc)
    with db.transaction() as conn:
        if page.article is None:  # 304: the page is as it was
            outcome = "skipped"
            conn.execute("UPDATE items SET fingerprint = ? WHERE url = ?", (item.fingerprint, item.url))
        else:
            outcome = _queue(conn, page, source.name)
            conn.execute("INSERT OR REPLACE INTO items (url, fingerprint, article_url) VALUES (?, ?, ?)",
                         (item.url, item.fingerprint, page.article.url))
    setattr(report, outcome, getattr(report, outcome) + 1)
    return None


def _queue(conn, page, source_name: str) -> str:
    article = page.article
    validators = page.validators or Validators()
    old = conn.execute("SELECT digest, pending, is_new FROM articles WHERE url = ?", (article.url,)).fetchone()
    if old is not None and old["digest"] == digest(article):
        return "skipped"
    if old is None:
        conn.execute("INSERT INTO articles (url, id, source, record, digest, etag, last_modified, pending, is_new,"
                     " first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?)",
                     (article.url, article.id, source_name, to_record(article), digest(article),
                      validators.etag, validators.last_modified, time.time()))
        return "new"
    still_new = 1 if old["pending"] and old["is_new"] else 0  # changed before it was ever indexed
    conn.execute("UPDATE articles SET record = ?, digest = ?, etag = ?, last_modified = ?, pending = 1,"
                 " is_new = ? WHERE url = ?", (to_record(article), digest(article), validators.etag,
                                              validators.last_modified, still_new, article.url))
    return "updated"


def _finish(db: StateDB, source: Source, report: SourceReport, validators: Validators, now: float) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE sources SET last_run = ?, next_due = ?, last_error = ?, kind = COALESCE(?, kind),"
                     " etag = ?, last_modified = ? WHERE name = ?",
                     (now, now + source.every_seconds, report.error, report.kind, validators.etag,
                      validators.last_modified, source.name))
