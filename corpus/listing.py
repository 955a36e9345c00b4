"""Saved news listing pages, as text: numbered items of title, time and summary.

The seed (and the bundled sample) is such a page::

    电商派                                  <- site name: becomes the source
      • 快速导航 ...                         <- navigation, footer: ignored
        1. 1688治理“买家保障服务”不达标商家   <- title; its line is the record's line
          2023-02-09 10:58:59                <- time
          近期平台发现少量卖家 ...             <- summary (optional)
        • ‹‹  • 1  • 2 ...                   <- pagination: ignored

A numbered line not followed by a time line is reported (``bad-date``): on such a page
numbered lines are items, and losing one silently would hide a broken page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from corpus.encoding import Line
from corpus.errors import RecordError

Item = tuple[int, Any]

TITLE = re.compile(r"^\s*(\d{1,4})\.\s+(\S.*?)\s*$")
TIME = re.compile(
    r"^\s*(\d{4}[-/]\d{1,2}[-/]\d{1,2}"
    r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)\s*$")
NAV = re.compile(r"^\s*[•·‹›«»]")


def looks_like(sample: str) -> bool:
    """True when some numbered line is followed by a time line (blank lines between ok)."""
    rows = [row for row in sample.splitlines() if row.strip()]
    return any(TITLE.match(row) and TIME.match(after) for row, after in pairwise(rows))


def read(lines: Iterable[Line]) -> Iterator[Item]:
    """``(title line, raw record or RecordError)`` per item on the page."""
    site: str | None = None
    item: dict[str, Any] | None = None
    for line in lines:
        row = line.text.strip()
        if not row:
            continue
        if site is None:
            site = "" if TITLE.match(row) else row[:40]
        if item is not None:
            if "date" not in item:
                stamp = TIME.match(row)
                if stamp:
                    item["date"] = stamp.group(1)
                    item["ok"] &= line.ok
                    continue
                yield _no_time(item)
                item = None
            elif TITLE.match(row) or NAV.match(row):
                yield _emit(item)
                item = None
            else:
                item["content"] = row
                item["ok"] &= line.ok
                yield _emit(item)
                item = None
                continue
        title = TITLE.match(row)
        if title:
            item = {"title": title.group(2), "source": site, "line": line.number, "ok": line.ok}
    if item is not None:
        yield _emit(item) if "date" in item else _no_time(item)


def _no_time(item: dict[str, Any]) -> Item:
    return item["line"], RecordError("bad-date", f"no time line after {item['title']!r}")


def _emit(item: dict[str, Any]) -> Item:
    number, ok = item.pop("line"), item.pop("ok")
    if not ok:
        return number, RecordError("undecodable", "bytes not valid in the file's encoding")
    return number, item
