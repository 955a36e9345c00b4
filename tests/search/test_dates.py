from datetime import datetime

import pytest

from search.errors import QueryError
from search.query.dates import parse_bound, parse_period


@pytest.mark.parametrize("text, start, end", [
    ("2024", datetime(2024, 1, 1), datetime(2024, 12, 31, 23, 59, 59, 999999)),
    ("2024-02", datetime(2024, 2, 1), datetime(2024, 2, 29, 23, 59, 59, 999999)),
    ("2024-03-01", datetime(2024, 3, 1), datetime(2024, 3, 1, 23, 59, 59, 999999)),
    ("2024/3/1", datetime(2024, 3, 1), datetime(2024, 3, 1, 23, 59, 59, 999999)),
    ("2024年3月", datetime(2024, 3, 1), datetime(2024, 3, 31, 23, 59, 59, 999999)),
    ("2024年3月1日", datetime(2024, 3, 1), datetime(2024, 3, 1, 23, 59, 59, 999999)),
])
def test_periods(text, start, end):
    assert parse_period(text) == (start, end)


@pytest.mark.parametrize("text", ["yesterday", "2024-13", "2024-02-30", "20240301x"])
def test_bad_dates(text):
    with pytest.raises(QueryError):
        parse_period(text)


def test_open_bounds():
    assert parse_bound("*", end=True) is None
    assert parse_bound(None, end=False) is None
