"""Deliveries to webhooks: one JSON POST per queued delivery; a failure stays queued for next time."""

from __future__ import annotations

import json
import logging
import time

from corpus.fetch import Fetcher, FetchError
from search.alerts.matching import AlertReport
from search.fresh.db import StateDB

log = logging.getLogger(__name__)


def deliver_pending(db: StateDB, fetcher: Fetcher, reports: dict[str, AlertReport]) -> None:
    """Send every unsent delivery of an alert with a webhook, oldest first, and record each outcome."""
    rows = db.query("SELECT d.id, d.alert, d.payload, a.webhook FROM deliveries d JOIN alerts a ON a.name = d.alert "
                    "WHERE d.sent_at IS NULL AND a.webhook IS NOT NULL ORDER BY d.id")
    for row in rows:
        report = reports.setdefault(row["alert"], AlertReport(row["alert"]))
        error = _post(fetcher, row["webhook"], json.loads(row["payload"]))
        with db.transaction() as conn:
            if error is None:
                conn.execute("UPDATE deliveries SET sent_at = ?, attempts = attempts + 1, last_error = NULL "
                             "WHERE id = ?", (time.time(), row["id"]))
                report.delivered += len(json.loads(row["payload"])["articles"])
            else:
                conn.execute("UPDATE deliveries SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                             (error, row["id"]))
                report.error = f"webhook: {error} (will retry at the next update)"


def _post(fetcher: Fetcher, url: str, payload: dict) -> str | None:
    try:
        status = fetcher.post_json(url, payload)
    except FetchError as exc:
        return str(exc)
    return None if 200 <= status < 300 else f"HTTP {status} from {url}"
