"""A progress line for long indexing runs: articles/s, MB/s and ETA, on stderr."""

from __future__ import annotations

import sys
import time
from typing import Self, TextIO


class Progress:
    """Redraws one status line on a terminal; prints a line every ``log_every`` s otherwise.

    Byte counts drive the ETA (files are streamed, so article totals are unknown up front).
    """

    def __init__(self, total_bytes: int, enabled: bool = True, stream: TextIO | None = None,
                 interval: float = 0.2, log_every: float = 15.0):
        self.total = max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self.interval = interval if self.tty else log_every
        self.articles = 0
        self.bytes = 0
        self.label = "indexing"
        self.started = self.last = time.monotonic()
        #: Postings written and to write, once the commit has started (its own phase).
        self.written, self.to_write = 0, 0
        self.commit_started: float | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self.tty:
            self._draw(final=True)
            self.stream.write("\n")
            self.stream.flush()

    def advance_bytes(self, count: int) -> None:
        self.bytes += count

    def count(self, _article=None) -> None:
        self.articles += 1
        now = time.monotonic()
        if self.enabled and now - self.last >= self.interval:
            self.last = now
            self._draw()

    def phase(self, label: str) -> None:
        """Name the step now running (``committing``: workers finish, segments are written)."""
        self.label = label
        if self.enabled:
            self.bytes = self.total
            self._draw()

    def commit(self, done: int, total: int) -> None:
        """The commit's own progress: postings written out of all the run's postings."""
        if self.commit_started is None:
            self.commit_started = time.monotonic()
        self.written, self.to_write = done, total
        now = time.monotonic()
        if self.enabled and now - self.last >= self.interval:
            self.last = now
            self._draw()

    def line(self, final: bool = False) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        if self.to_write and not final:
            return self._commit_line(elapsed)
        share = 1.0 if final else min(self.bytes / self.total, 1.0)
        rate = self.articles / elapsed
        mbps = self.bytes / elapsed / 1e6
        eta = (elapsed / share - elapsed) if 0 < share < 1 else 0.0
        bar = "█" * int(share * 24)
        if self.label != "indexing" and not final:
            return f"{self.label}… {self.articles:,} articles read in {_clock(elapsed)}"
        return (f"indexing {share:4.0%} |{bar:<24}| {self.articles:,} articles  {rate:,.0f}/s  "
                f"{mbps:.2f} MB/s  {'ETA ' + _clock(eta) if not final else 'took ' + _clock(elapsed)}")

    def _commit_line(self, elapsed: float) -> str:
        share = min(self.written / self.to_write, 1.0)
        spent = time.monotonic() - (self.commit_started or time.monotonic())
        eta = spent / share - spent if 0 < share < 1 else 0.0
        bar = "█" * int(share * 24)
        return (f"committing {share:4.0%} |{bar:<24}| {self.written:,} of {self.to_write:,} postings written  "
                f"{self.articles:,} articles  ETA {_clock(eta)} (total {_clock(elapsed)})")

    def _draw(self, final: bool = False) -> None:
        text = self.line(final)
        self.stream.write(("\r\x1b[K" + text) if self.tty else text + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
