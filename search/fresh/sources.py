"""Sources a person follows: add, list, remove, and which are due."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from corpus.fetch import check_url
from search.errors import ParameterError
from search.fresh.db import StateDB
from search.fresh.errors import SourceExists, SourceNotFound

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY = 1


def parse_every(text: str) -> int:
    """``30m`` → 1800 seconds; s, m, h, d units; a bare number is minutes.

    >>> parse_every("30m"), parse_every("2h"), parse_every("45s"), parse_every("10")
    (1800, 7200, 45, 600)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not match:
        raise ParameterError(f"--every must look like 30m, 2h, 1d or 45s, not {text!r}")
    seconds = int(float(match.group(1)) * UNITS[match.group(2) or "m"])
    if seconds < MIN_EVERY:
        raise ParameterError("--every must be at least 1s")
    return seconds


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    every_seconds: int
    next_due: float = 0.0
    last_run: float | None = None
    last_error: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "every_seconds": self.every_seconds,
                "kind": self.kind, "last_run": _stamp(self.last_run), "next_due": _stamp(self.next_due),
                "last_error": self.last_error}


def _stamp(moment: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(moment)) if moment else None


def default_name(url: str) -> str:
    """The host and path, readable: ``news.example.com/rss``.

    >>> default_name("https://News.example.com/rss/?a=1")
    'news.example.com/rss'
    """
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}"


def add_source(db: StateDB, url: str, name: str | None = None, every: str = "30m") -> Source:
    """Record a source; it need not be reachable now (it is fetched at the next update)."""
    url = check_url(url)
    source = Source(name or default_name(url), url, parse_every(every))
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM sources WHERE name = ?", (source.name,)).fetchone():
            raise SourceExists(f"a source named {source.name!r} exists; remove it first or pick --name")
        conn.execute("INSERT INTO sources (name, url, every_seconds, added_at, next_due) VALUES (?, ?, ?, ?, 0)",
                     (source.name, source.url, source.every_seconds, time.time()))
    return source


def list_sources(db: StateDB) -> list[Source]:
    rows = db.query("SELECT name, url, every_seconds, next_due, last_run, last_error, kind FROM sources "
                    "ORDER BY name")
    return [Source(**dict(row)) for row in rows]


def remove_source(db: StateDB, name: str) -> None:
    """Forget a source; its articles stay in the index."""
    with db.transaction() as conn:
        if conn.execute("DELETE FROM sources WHERE name = ?", (name,)).rowcount == 0:
            raise SourceNotFound(f"no source named {name!r} (see `zhsearch sources list`)")


def due_sources(db: StateDB, now: float, everything: bool = False) -> list[Source]:
    return [s for s in list_sources(db) if everything or s.next_due <= now]
