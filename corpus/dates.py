"""Publication dates as sources write them, read into one form: aware, in China time.

News files write dates every which way: ISO 8601 with or without an offset, a plain day,
``2024/3/1 9:05``, ``2024年3月1日``, epoch seconds, RSS's RFC 2822. A value without an
offset is China time (all our sources publish there); one with an offset is converted, so
equal instants compare and sort equal whatever the source wrote.
"""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime
from typing import Any

from corpus.article import CHINA_TZ
from corpus.errors import RecordError

_CN_DATE = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?$")
_LOOSE_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$")
#: Epoch numbers above this are milliseconds (1e11 seconds is the year 5138).
_MILLIS_FROM = 10**11


def parse_published(value: Any) -> datetime | None:
    """A timezone-aware datetime in :data:`CHINA_TZ`, or None when there is no date.

    Raises :class:`RecordError` (reason ``bad-date``) for a non-empty value that is not a
    date, so the loader can skip the record instead of indexing a wrong time.

    >>> parse_published("2024-03-01").isoformat()
    '2024-03-01T00:00:00+08:00'
    >>> parse_published("2024年3月1日 9:30").isoformat()
    '2024-03-01T09:30:00+08:00'
    >>> parse_published("2024-03-01T01:00:00Z").isoformat()
    '2024-03-01T09:00:00+08:00'
    >>> parse_published("  ") is None
    True
    """
    if value is None:
        return None
    try:
        parsed = _to_datetime(value)
        if parsed is None:
            return None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=CHINA_TZ)
        return parsed.astimezone(CHINA_TZ)
    except (ValueError, TypeError, OverflowError, OSError) as exc:
        raise RecordError("bad-date", f"cannot read date {str(value)[:40]!r}") from exc


def _to_datetime(value: Any) -> datetime | None:
    """A possibly naive datetime; ValueError when ``value`` is not a date."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise TypeError("a boolean is not a date")
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    raw = str(value).strip()
    if not raw:
        return None
    if raw.isdigit() and len(raw) in (10, 13):
        return _from_epoch(int(raw))
    return _from_text(raw)


def _from_epoch(number: float) -> datetime:
    seconds = number / 1000 if abs(number) >= _MILLIS_FROM else number
    return datetime.fromtimestamp(seconds, CHINA_TZ)


def _from_text(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    for pattern in (_LOOSE_DATE, _CN_DATE):
        match = pattern.match(raw)
        if match:
            return datetime(*(int(part) if part else 0 for part in match.groups()))
    if any(ch.isalpha() for ch in raw):  # RSS: "Mon, 15 Sep 2025 10:00:05 +0800"
        return email.utils.parsedate_to_datetime(raw)
    raise ValueError(raw)
