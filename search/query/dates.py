"""Dates as researchers type them: `2024`, `2024-03`, `2024-03-01`, `2024年3月1日`, `2024/3/1`.

A date names a period (a year, a month or a day); a range start takes the period's first
instant and a range end its last, so `--to 2024-03` includes all of March.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

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
        if month is None:
            start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
        elif day is None:
            start = datetime(year, int(month), 1)
            end = start + timedelta(days=calendar.monthrange(year, int(month))[1])
        else:
            start = datetime(year, int(month), int(day))
            end = start + timedelta(days=1)
    except ValueError:
        raise QueryError(f"no such date: {text!r}") from None
    return start, end - timedelta(microseconds=1)


def parse_bound(text: str | None, *, end: bool) -> datetime | None:
    """A range bound: ``None`` or ``*`` is open; otherwise the period's start or end."""
    if text is None or text.strip() in ("", "*"):
        return None
    first, last = parse_period(text)
    return last if end else first
