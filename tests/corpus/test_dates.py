"""parse_published: every way sources write a date, into aware China time."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus import CHINA_TZ, RecordError, parse_published


@pytest.mark.parametrize("value, expected", [
    ("2024-03-01T09:00:00+08:00", datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    ("2024-03-01T01:00:00Z", datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    ("2024-03-01T01:00:00+00:00", datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    ("2024-03-01T09:00:00+0800", datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    ("2024-02-29T23:30:00-05:00", datetime(2024, 3, 1, 12, 30, tzinfo=CHINA_TZ)),
    ("2024-03-01T09:00:00.250+08:00", datetime(2024, 3, 1, 9, 0, 0, 250000, tzinfo=CHINA_TZ)),
    ("2024-03-01 09:30:05", datetime(2024, 3, 1, 9, 30, 5, tzinfo=CHINA_TZ)),
    ("2024-03-01T09:30:05", datetime(2024, 3, 1, 9, 30, 5, tzinfo=CHINA_TZ)),
    ("2024-03-01", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    ("  2024-03-01 \n", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    ("2024-3-1", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    ("2024/03/01", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    ("2024/3/1 9:05", datetime(2024, 3, 1, 9, 5, tzinfo=CHINA_TZ)),
    ("2024.03.01 09:05:07", datetime(2024, 3, 1, 9, 5, 7, tzinfo=CHINA_TZ)),
    ("2024年3月1日", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    ("2024年03月01日 09:30", datetime(2024, 3, 1, 9, 30, tzinfo=CHINA_TZ)),
    ("2024年3月1日9时30分15秒", datetime(2024, 3, 1, 9, 30, 15, tzinfo=CHINA_TZ)),
    ("Mon, 15 Sep 2025 10:00:05 +0800", datetime(2025, 9, 15, 10, 0, 5, tzinfo=CHINA_TZ)),
    ("Mon, 15 Sep 2025 02:00:05 GMT", datetime(2025, 9, 15, 10, 0, 5, tzinfo=CHINA_TZ)),
    (1700000000, datetime(2023, 11, 15, 6, 13, 20, tzinfo=CHINA_TZ)),
    (1700000000.5, datetime(2023, 11, 15, 6, 13, 20, 500000, tzinfo=CHINA_TZ)),
    (1700000000000, datetime(2023, 11, 15, 6, 13, 20, tzinfo=CHINA_TZ)),
    ("1700000000", datetime(2023, 11, 15, 6, 13, 20, tzinfo=CHINA_TZ)),
    (datetime(2024, 3, 1, 9), datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    (datetime(2024, 3, 1, 1, tzinfo=UTC), datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    (date(2024, 3, 1), datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    (None, None), ("", None), ("   ", None),
])
def test_parse_published(value, expected):
    parsed = parse_published(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is CHINA_TZ and parsed.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("value", [
    "明天", "yesterday", "2024-13-01", "2024-02-30", "2024年13月1日", "20240", "12:30",
    True, [2024, 3, 1], {"y": 2024}, float("nan"), float("inf"), 10**20,
])
def test_unreadable_dates_are_bad_date(value):
    with pytest.raises(RecordError) as caught:
        parse_published(value)
    assert caught.value.reason == "bad-date"
    assert isinstance(caught.value, ValueError)


OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)), OFFSETS)
def test_aware_isoformat_round_trips_to_the_same_instant(moment, zone):
    aware = moment.replace(tzinfo=zone)
    parsed = parse_published(aware.isoformat())
    assert parsed == aware
    assert parsed.tzinfo is CHINA_TZ


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)))
def test_naive_times_are_china_time_and_parsing_is_idempotent(moment):
    parsed = parse_published(moment.isoformat(sep=" "))
    assert parsed == moment.replace(tzinfo=CHINA_TZ)
    assert parse_published(parsed) == parsed == parse_published(parsed.isoformat())
