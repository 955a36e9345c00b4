import re
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.errors import QueryError
from search.query.dates import BOUND_PATTERN, DATE_PATTERN, parse_bound, parse_period


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


@pytest.mark.parametrize("text, start, end", [
    # the calendar's last periods: their end used to be computed past 9999-12-31 (OverflowError)
    ("9999", datetime(9999, 1, 1), datetime.max),
    ("9999-12", datetime(9999, 12, 1), datetime.max),
    ("9999-12-31", datetime(9999, 12, 31), datetime.max),
    ("9999年12月31日", datetime(9999, 12, 31), datetime.max),
    ("0001", datetime.min, datetime(1, 12, 31, 23, 59, 59, 999999)),
    ("0001-01-01", datetime.min, datetime(1, 1, 1, 23, 59, 59, 999999)),
])
def test_the_calendars_first_and_last_periods(text, start, end):
    assert parse_period(text) == (start, end)


@pytest.mark.parametrize("text", ["0000", "0000-01-01", "10000", "9999-13", "9999-12-32", "1-01-01"])
def test_dates_outside_the_calendar_are_refused_by_name(text):
    with pytest.raises(QueryError, match=repr(text).replace("[", r"\[")):
        parse_period(text)


def test_open_bounds_at_the_edges():
    assert parse_bound("9999-12-31", end=True) == datetime.max
    assert parse_bound("", end=False) is None and parse_bound("*", end=True) is None
    with pytest.raises(QueryError, match="not a date"):  # as the published pattern says
        parse_bound(" * ", end=False)


def test_the_published_pattern_is_the_parser():
    """DATE_PATTERN is what the OpenAPI description publishes: it must accept exactly what
    parse_period accepts (the property test below tries the neighbourhood of every edge)."""
    assert re.match(DATE_PATTERN, "2024-02-29") and not re.match(DATE_PATTERN, "2023-02-29")
    assert re.match(DATE_PATTERN, "2000年2月29日") and not re.match(DATE_PATTERN, "1900-2-29")
    assert re.match(BOUND_PATTERN, "*") and re.match(BOUND_PATTERN, "") and not re.match(DATE_PATTERN, "*")


DATE_ALPHABET = st.sampled_from("0123456789-/.年月日号 *٢x")
DATE_LIKE = st.one_of(
    st.text(DATE_ALPHABET, max_size=14),
    st.builds("{}{}{}{}{}".format, st.integers(0, 10000).map("{:04d}".format), st.sampled_from(["-", "/", "年", ""]),
              st.integers(0, 13).map(str), st.sampled_from(["-", ".", "月", ""]),
              st.integers(0, 32).map(lambda d: f"{d:02d}")))


@settings(max_examples=600, deadline=None)
@given(text=DATE_LIKE)
def test_pattern_and_parser_agree(text):
    try:
        parse_period(text)
        accepted = True
    except QueryError:
        accepted = False
    assert accepted == bool(re.match(DATE_PATTERN, text)), text
