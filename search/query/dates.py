"""Dates as researchers type them: `2024`, `2024-03`, `2024-03-01`, `2024年3月1日`, `2024/3/1`.

A date names a period (a year, a month or a day); a range start takes the period's first
instant and a range end its last, so `--to 2024-03` includes all of March.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time

from search.errors import QueryError

_DATE = re.compile(
    r"^\s*(?P<y>\d{4})(?:\s*(?:[-/.年])\s*(?P<m>\d{1,2})(?:\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?)?\s*月?)?\s*年?\s*$"
)


def parse_period(text: str) -> tuple[datetime, datetime]:
    """First and last instant (naive China time) of the period ``text`` names.

    >>> parse_period("2024-03")
    (datetime.datetime(2024, 3, 1, 0, 0), datetime.datetime(2024, 3, 31, 23, 59, 59, 999999))
    >>> parse_period("2024年3月1日")[0]
    datetime.datetime(2024, 3, 1, 0, 0)
    """
    match = _DATE.match(text)
    if not match:
        raise QueryError(f"not a date: {text!r} (use 2024, 2024-03, 2024-03-01 or 2024年3月1日)")
    year, month, day = int(match["y"]), match["m"], match["d"]
    try:
        first = date(year, int(month or 1), int(day or 1))
        last = _last_day(first, month is None, day is None)
    except ValueError:
        raise QueryError(f"no such date: {text!r} (years run from 0001 to 9999)") from None
    return datetime.combine(first, time.min), datetime.combine(last, time.max)


def _last_day(first: date, whole_year: bool, whole_month: bool) -> date:
    """The period's last day, computed inside it: adding a period to its start and stepping
    back overflows ``date`` in December 9999, the last period the calendar has.

    >>> _last_day(date(9999, 12, 1), False, True)
    datetime.date(9999, 12, 31)
    """
    if whole_year:
        return date(first.year, 12, 31)
    if whole_month:
        return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return first


def parse_bound(text: str | None, *, end: bool) -> datetime | None:
    """A range bound: ``None`` or ``*`` is open; otherwise the period's start or end."""
    if text is None or text.strip() in ("", "*"):
        return None
    first, last = parse_period(text)
    return last if end else first
