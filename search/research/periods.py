"""Periods of a trend (year, month, ISO week, day) as integer codes, computed over arrays.

A trend counts thousands of articles per request; turning each date into a label in Python
would cost more than the search. Dates become integer period codes in one numpy pass, the
counting is a ``bincount``, and only the few hundred periods shown are ever labelled.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from search.errors import ParameterError

INTERVALS = ("year", "month", "week", "day")
#: A daily trend over 50 years is 18,000 rows; more than this is a mistake, not a question.
MAX_PERIODS = 20_000
_EPOCH = date(1970, 1, 1)


def check_interval(interval: str) -> str:
    if interval not in INTERVALS:
        raise ParameterError(f"interval must be one of {', '.join(INTERVALS)}")
    return interval


def codes(days: np.ndarray, interval: str) -> np.ndarray:
    """Period codes of days since 1970-01-01 (int64): years, months, Monday weeks or days.

    >>> codes(np.array([0, 31, 365]), "month").tolist()
    [0, 1, 12]
    >>> codes(np.array([-3, 3, 4]), "week").tolist()  # 1969-12-29 and 1970-01-04 share a week
    [0, 0, 1]
    """
    if interval == "day":
        return days.astype(np.int64)
    if interval == "week":
        return (days.astype(np.int64) + 3) // 7  # 1970-01-01 was a Thursday; weeks start on Monday
    unit = "Y" if interval == "year" else "M"
    return days.astype("datetime64[D]").astype(f"datetime64[{unit}]").astype(np.int64)


def label(code: int, interval: str) -> str:
    """The label of one period code: ``2024``, ``2024-03``, ``2024-W09``, ``2024-03-01``.

    >>> [label(c, i) for c, i in [(54, "year"), (650, "month"), (0, "week"), (19783, "day")]]
    ['2024', '2024-03', '1970-W01', '2024-03-01']
    """
    if interval == "year":
        return str(1970 + code)
    if interval == "month":
        return f"{1970 + code // 12}-{code % 12 + 1:02d}"
    if interval == "week":
        year, week, _ = (_EPOCH + timedelta(days=code * 7 - 3)).isocalendar()
        return f"{year}-W{week:02d}"
    return (_EPOCH + timedelta(days=code)).isoformat()


def span(first: int, last: int) -> range:
    """Every period code from the first to the last, so gaps show as zeros."""
    if last - first + 1 > MAX_PERIODS:
        raise ParameterError(f"{last - first + 1:,} periods is too many (at most {MAX_PERIODS:,}): "
                             "choose a longer interval or narrow the dates")
    return range(first, last + 1)
