"""CSV (or tab-separated) files whose first row names the columns, one of them a title.

Quoted fields may span lines; a record's line is the line it starts on. Rows whose
column count differs from the header's are reported (``bad-row``), not guessed at.
Column names go through the same aliases as JSON keys (``headline``, ``pubdate`` ...).
Fields longer than :func:`csv.field_size_limit` (128 KiB by default; this module does not
change that process-wide setting) are reported as ``bad-row``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from corpus.encoding import Line
from corpus.errors import RecordError
from corpus.normalize import ALIASES

Item = tuple[int, Any]
_TITLE_NAMES = frozenset(ALIASES["title"])


def delimiter_of(header: str) -> str | None:
    """``,``, ``\\t`` or ``;`` when splitting ``header`` by it names a title column.

    >>> delimiter_of("id\\ttitle\\tdate"), delimiter_of('"Title",date'), delimiter_of("标题")
    ('\\t', ',', None)
    """
    for delimiter in sorted(",\t;", key=header.count, reverse=True):
        names = {cell.strip().strip('"').strip().lower() for cell in header.split(delimiter)}
        if names & _TITLE_NAMES:
            return delimiter
    return None


def looks_like(sample: str) -> bool:
    """The first non-blank line is a header row with a title column."""
    header = next((row for row in sample.splitlines() if row.strip()), "")
    return delimiter_of(header.lstrip("\ufeff")) is not None


def read(lines: Iterable[Line]) -> Iterator[Item]:
    """``(first line, {column: cell} or RecordError)`` per data row."""
    feed = _Feed(lines)
    texts = feed.texts()
    header_line = next((line for line in texts if line.strip()), None)
    if header_line is None:
        return
    delimiter = delimiter_of(header_line.lstrip("\ufeff")) or ","
    rows = csv.reader(_chain(header_line, texts), delimiter=delimiter)
    names = [name.strip().lstrip("\ufeff").lower() for name in next(rows)]
    end = feed.last
    while True:
        start = end + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            end = feed.last
            yield start, RecordError("bad-row", str(exc))
            continue
        end = feed.last
        if not any(cell.strip() for cell in row):
            continue
        bad = feed.bad_between(start, end)
        if bad is not None:
            yield bad, RecordError("undecodable", "bytes not valid in the file's encoding")
        elif len(row) != len(names):
            yield start, RecordError("bad-row", f"{len(row)} columns, the header has {len(names)}")
        else:
            yield start, {name: cell for name, cell in zip(names, row, strict=True) if name}


class _Feed:
    """Lines as the csv module wants them (plain strings), remembering their numbers."""

    def __init__(self, lines: Iterable[Line]):
        self._lines = lines
        self.last = 0
        self._bad: list[int] = []

    def texts(self) -> Iterator[str]:
        for line in self._lines:
            self.last = line.number
            if not line.ok:
                self._bad.append(line.number)
            yield line.text

    def bad_between(self, first: int, last: int) -> int | None:
        found = next((number for number in self._bad if first <= number <= last), None)
        self._bad = [number for number in self._bad if number > last]
        return found


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
