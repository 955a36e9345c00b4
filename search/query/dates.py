"""Dates as researchers type them: `2024`, `2024-03`, `2024-03-01`, `2024年3月1日`, `2024/3/1`.

A date names a period (a year, a month or a day); a range start takes the period's first
instant and a range end its last, so `--to 2024-03` includes all of March.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time

from search.errors import QueryError

# The date grammar, written once as a regular expression that both Python and JSON Schema
# (ECMA 262) read the same way: ASCII digits only, no look-arounds. It knows the calendar
# (no 2024-02-30, no year 0000, 29 February only in leap years), so the OpenAPI description
# can publish it as the exact set of dates the server accepts.
_Y = "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_Y = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_M = "(?:0?[1-9]|1[0-2])"
_D28 = "(?:0?[1-9]|1[0-9]|2[0-8])"
_D30 = f"(?:{_D28}|29|30)"
_D31 = f"(?:{_D30}|31)"


def _forms(ym: str, md: str, month_end: str, day_end: str) -> list[str]:
    days = f"(?:(?:0?[13578]|1[02]){md}{_D31}|(?:0?[469]|11){md}{_D30}|0?2{md}{_D28})"
    return [f"{_Y}{ym}{_M}{month_end}",
            f"(?:{_Y}{ym}{days}|{_LEAP_Y}{ym}0?2{md}29){day_end}"]


#: ``2024``, ``2024年``, ``2024-03``, ``2024/3``, ``2024年3月``, ``2024-03-01``, ``2024.3.1``, ``2024年3月1日``.
DATE_PATTERN = "^(?:" + "|".join([f"{_Y}年?", *_forms("[-/.]", "[-/.]", "", ""),
                                    *_forms("年", "月", "月?", "[日号]?")]) + ")$"
#: A range end: a date, or ``*`` / nothing for an open end.
BOUND_PATTERN = DATE_PATTERN.replace("^(?:", r"^(?:\*|", 1).replace(")$", ")?$")
_DATE = re.compile(DATE_PATTERN)
_SHAPE = re.compile(r"^[0-9]{1,5}(?:[-/.年][0-9]{1,3}(?:[-/.月][0-9]{1,3}[日号]?)?月?)?年?$")
_HOW = "use 2024, 2024-03, 2024-03-01 or 2024年3月1日"


def parse_period(text: str) -> tuple[datetime, datetime]:
    """First and last instant (naive China time) of the period ``text`` names.

    >>> parse_period("2024-03")
    (datetime.datetime(2024, 3, 1, 0, 0), datetime.datetime(2024, 3, 31, 23, 59, 59, 999999))
    >>> parse_period("2024年3月1日")[0]
    datetime.datetime(2024, 3, 1, 0, 0)
    """
    if not _DATE.match(text):
        if _SHAPE.match(text):
            raise QueryError(f"no such date: {text!r} (years run from 0001 to 9999; {_HOW})")
        raise QueryError(f"not a date: {text!r} ({_HOW})")
    year, *rest = (int(part) for part in re.findall("[0-9]+", text))
    first = date(year, *(rest + [1, 1])[:2])
    last = _last_day(first, not rest, len(rest) == 1)
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
    if text is None or text in ("", "*"):
        return None
    first, last = parse_period(text)
    return last if end else first
