"""One reader per file format; each streams ``(line, raw record)`` pairs or :class:`Skip`s.

The format is sniffed from the first bytes: ``[`` opens a JSON array, ``{`` a JSON Lines
file, a numbered item followed by a timestamp a saved listing page, a header row naming a
title column a CSV file.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from corpus.encoding import Source, decode, is_binary, lines
from corpus.errors import Skip
from corpus.normalize import ALIASES

Item = tuple[int, Any] | Skip

_LISTING_TITLE = re.compile(r"^\s*(\d{1,4})\.\s+(\S.*?)\s*$")
_LISTING_TIME = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)\s*$")
_NAV = re.compile(r"^\s*[•·‹›«»]")
_TITLE_NAMES = {name.lower() for name in ALIASES["title"]}
JSON_CHUNK = 1 << 20


def sniff(source: Source) -> str | None:
    """``jsonl``, ``json``, ``listing``, ``csv`` or ``None`` (not a format we read)."""
    if is_binary(source.sample):
        return None
    try:
        head = source.sample.decode(source.encoding, errors="replace").lstrip("\ufeff")
    except LookupError:
        return None
    stripped = head.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return "jsonl"
    rows = head.splitlines()
    for i, row in enumerate(rows[:-1]):
        if _LISTING_TITLE.match(row) and _LISTING_TIME.match(rows[i + 1]):
            return "listing"
    if rows and _looks_like_csv_header(rows[0]):
        return "csv"
    return None


def _looks_like_csv_header(row: str) -> bool:
    for delimiter in (",", "\t", ";"):
        names = {c.strip().strip('"').lower() for c in row.split(delimiter)}
        if names & _TITLE_NAMES and (len(names) > 1 or delimiter == ","):
            return True
    return False


def _text_lines(source: Source) -> Iterator[tuple[int, str] | Skip]:
    for number, raw in lines(source):
        try:
            yield number, decode(raw, source.encoding, number)
        except UnicodeDecodeError as exc:
            yield Skip(str(source.path), number, "undecodable", f"bytes not valid {source.encoding} at {exc.start}")


def read_jsonl(source: Source) -> Iterator[Item]:
    for item in _text_lines(source):
        if isinstance(item, Skip):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError as exc:
            yield Skip(str(source.path), number, "bad-json", exc.msg if hasattr(exc, "msg") else str(exc))


def read_json_array(source: Source) -> Iterator[Item]:
    """Stream the objects of a top-level JSON array without loading the whole file."""
    decoder = json.JSONDecoder()
    reader = _chunks(source)
    buf, pos, line, eof = "", 0, 1, False
    buf, eof = next(reader, ("", True))
    pos = buf.find("[") + 1
    line += buf.count("\n", 0, pos)
    while True:
        while pos < len(buf) and buf[pos] in " \t\r\n,":
            line += buf[pos] == "\n"
            pos += 1
        if pos < len(buf) and buf[pos] == "]":
            return
        try:
            obj, end = decoder.raw_decode(buf, pos)
        except ValueError as exc:
            if not eof:
                more, eof = next(reader, ("", True))
                buf, pos = buf[pos:] + more, 0
                continue
            if pos < len(buf):
                yield Skip(str(source.path), line, "bad-json", f"{getattr(exc, 'msg', exc)}; rest of the file skipped")
            return
        yield line, obj
        line += buf.count("\n", pos, end)
        pos = end


def _chunks(source: Source) -> Iterator[tuple[str, bool]]:
    import codecs

    decoder = codecs.getincrementaldecoder(source.encoding)(errors="replace")
    while True:
        data = source.stream.read(JSON_CHUNK)
        text = decoder.decode(data, final=not data)
        yield text.lstrip("\ufeff"), not data
        if not data:
            return


def read_csv(source: Source) -> Iterator[Item]:
    good: list[tuple[int, str]] = []

    def decoded():
        for item in _text_lines(source):
            if isinstance(item, Skip):
                skipped.append(item)
                continue
            good.append(item)
            yield item[1]

    skipped: list[Skip] = []
    rows = decoded()
    first = next(rows, None)
    if first is None:
        return
    dialect = "excel-tab" if first.count("\t") > first.count(",") else "excel"
    header = next(csv.reader([first], dialect))
    names = [h.strip().lower() for h in header]
    reader = csv.reader(_chain(first, rows), dialect)
    next(reader)
    for row in reader:
        yield from skipped
        skipped.clear()
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield Skip(str(source.path), number, "bad-row", f"{len(row)} columns, the header has {len(names)}")
            continue
        yield number, dict(zip(names, row))
    yield from skipped


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_listing(source: Source) -> Iterator[Item]:
    """Numbered items of a saved listing page: title, ``YYYY-MM-DD HH:MM:SS``, summary.

    A page starts with the site's name (`电商派`); it becomes each article's source.
    """
    pending: dict[str, Any] | None = None
    site = None
    for item in _text_lines(source):
        if isinstance(item, Skip):
            yield item
            continue
        number, line = item
        if site is None and line.strip():
            site = "" if _LISTING_TITLE.match(line) else line.strip()[:40]
        title = _LISTING_TITLE.match(line)
        if pending is not None:
            if "date" not in pending:
                stamp = _LISTING_TIME.match(line)
                if stamp:
                    pending["date"] = stamp.group(1)
                    continue
                if not line.strip():
                    continue
                yield Skip(str(source.path), pending["_line"], "bad-date", f"no time line after {pending['title']!r}")
                pending = None
            elif not title and line.strip() and not _NAV.match(line):
                pending["content"] = line.strip()
                yield _emit(pending)
                pending = None
                continue
            elif title or _NAV.match(line):
                yield _emit(pending)
                pending = None
        if title:
            pending = {"title": title.group(2), "_line": number, "source": site}
    if pending is not None and "date" in pending:
        yield _emit(pending)


def _emit(pending: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    number = pending.pop("_line")
    return number, pending


READERS = {"jsonl": read_jsonl, "json": read_json_array, "csv": read_csv, "listing": read_listing}
