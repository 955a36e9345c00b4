"""What can go wrong while reading a corpus, and how a skipped record is reported."""

from __future__ import annotations

from dataclasses import dataclass


class CorpusError(Exception):
    """Base class: the input as a whole cannot be read (a missing path, say)."""

    http_status = 400
    exit_code = 1


class RecordError(CorpusError):
    """One record is unusable; the reader skips it and goes on."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Skip:
    """A record left out, with where it was and why: ``path:line: reason: detail``."""

    path: str
    line: int
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}: {self.detail}"
