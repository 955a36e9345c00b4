"""JSON arrays of objects (``[{...}, {...}]``, as exports and scrapers write), streamed.

``json.load`` would hold the whole file and every object at once. Instead lines go into
a buffer and :meth:`json.JSONDecoder.raw_decode` takes one element at a time; memory is
bounded by the largest element plus one read-ahead chunk. Each element's line is the line
of its first character.

An element that is not valid JSON ends the file (``bad-json`` at the error's line): past
a syntax error there is no reliable way to find where the next element starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from corpus.encoding import Line
from corpus.errors import RecordError

Item = tuple[int, Any]
#: Characters read ahead per refill (doubled while one element does not fit).
CHUNK_CHARS = 256 * 1024


def looks_like(sample: str) -> bool:
    """The first thing in the file opens an array."""
    return sample.lstrip().startswith("[")


def read(lines: Iterable[Line]) -> Iterator[Item]:
    """``(line, element or RecordError)`` per element of the top-level array."""
    buf = _Buffer(lines)
    decoder = json.JSONDecoder()
    pos = buf.skip(0, " \t\r\n\ufeff")
    if pos is None or buf.text[pos] != "[":
        yield buf.line_at(pos or 0), RecordError("bad-json", "expected a JSON array")
        return
    pos += 1
    want = CHUNK_CHARS
    while (pos := buf.skip(pos, " \t\r\n,")) is not None and buf.text[pos] != "]":
        try:
            value, end = decoder.raw_decode(buf.text, pos)
        except json.JSONDecodeError as exc:
            if buf.eof:
                error = RecordError("bad-json", f"{exc.msg}; rest of the array skipped")
                yield buf.line_at(exc.pos), error
                return
            pos, want = buf.refill(pos, want), want * 2
            continue
        if end == len(buf.text) and not buf.eof:  # a number may go on in the next chunk
            pos, want = buf.refill(pos, want), want * 2
            continue
        first, last = buf.line_at(pos), buf.line_at(end)
        bad = buf.bad_between(first, last)
        if bad is not None:
            yield bad, RecordError("undecodable", "bytes not valid in the file's encoding")
        else:
            yield first, value
        pos, want = end, CHUNK_CHARS
    if pos is None:
        yield buf.line_at(len(buf.text)), RecordError("bad-json", "the array is not closed")


class _Buffer:
    """Text read so far from ``lines``, and which line each position is on.

    ``line_at`` counts newlines from the last position asked, so positions must be asked
    in increasing order; that keeps the counting linear in the file size.
    """

    def __init__(self, lines: Iterable[Line]):
        self._lines = iter(lines)
        self.text = ""
        self.eof = False
        self._bad: list[int] = []
        self._mark, self._mark_line = 0, 1

    def line_at(self, pos: int) -> int:
        self._mark_line += self.text.count("\n", self._mark, pos)
        self._mark = pos
        return self._mark_line

    def bad_between(self, first: int, last: int) -> int | None:
        """The first undecodable line in ``first..last``, if any."""
        return next((number for number in self._bad if first <= number <= last), None)

    def skip(self, pos: int, chars: str) -> int | None:
        """The first position at or after ``pos`` not in ``chars``; None at the end."""
        while True:
            while pos < len(self.text) and self.text[pos] in chars:
                pos += 1
            if pos < len(self.text):
                return pos
            if self.eof:
                return None
            pos = self.refill(pos, CHUNK_CHARS)

    def refill(self, pos: int, chars: int) -> int:
        """Drop the text before ``pos``, read ``chars`` more; the new position of ``pos``."""
        first_line = self.line_at(pos)
        self.text = self.text[pos:]
        self._mark, self._mark_line = 0, first_line
        self._bad = [number for number in self._bad if number >= first_line]
        parts, got = [], 0
        for line in self._lines:
            parts.append(line.text)
            got += len(line.text)
            if not line.ok:
                self._bad.append(line.number)
            if got >= chars:
                break
        else:
            self.eof = True
        self.text += "".join(parts)
        return 0
