"""Where following state lives: one SQLite file beside the index, every change a transaction.

SQLite survives a killed process (the journal rolls a half-done transaction back), needs no
server and ships with Python. The file is ``fresh.sqlite`` inside the index directory, so
the index and what was fetched into it move together.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Self

FILE_NAME = "fresh.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, url TEXT NOT NULL, every_seconds INTEGER NOT NULL,
    added_at REAL NOT NULL, next_due REAL NOT NULL DEFAULT 0, last_run REAL, last_error TEXT,
    kind TEXT, etag TEXT, last_modified TEXT);
CREATE TABLE IF NOT EXISTS items (
    url TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, article_url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL, record TEXT NOT NULL,
    digest TEXT NOT NULL, etag TEXT, last_modified TEXT,
    pending INTEGER NOT NULL, is_new INTEGER NOT NULL, seq INTEGER, first_seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS articles_pending ON articles (pending);
CREATE INDEX IF NOT EXISTS articles_seq ON articles (seq);
CREATE TABLE IF NOT EXISTS alerts (
    name TEXT PRIMARY KEY, query TEXT NOT NULL, filters TEXT NOT NULL, webhook TEXT,
    created_at REAL NOT NULL, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, alert TEXT NOT NULL, payload TEXT NOT NULL,
    created_at REAL NOT NULL, sent_at REAL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE TABLE IF NOT EXISTS delivered (
    alert TEXT NOT NULL, article_id TEXT NOT NULL, delivery INTEGER NOT NULL,
    PRIMARY KEY (alert, article_id));
"""


def state_path(index_dir: Path) -> Path:
    return Path(index_dir) / FILE_NAME


class StateDB:
    """A connection to the state file; ``with db.transaction():`` groups writes."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")  # a committed transaction survives power loss
        self.conn.executescript(SCHEMA)

    @classmethod
    def beside(cls, index_dir: Path) -> StateDB:
        return cls(state_path(index_dir))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (then re-raised)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
