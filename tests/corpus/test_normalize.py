"""normalize_article and make_id: aliases, cleanup, ids that never change."""

import dataclasses
import hashlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus import CHINA_TZ, Article, RecordError, make_id, normalize_article

BASE = {"title": "标题"}


@pytest.mark.parametrize("field, key", [
    ("title", "title"), ("title", "headline"), ("title", "Title"), ("title", "HEADLINE"),
    ("content", "content"), ("content", "summary"), ("content", "body"), ("content", "text"),
    ("url", "url"), ("url", "link"), ("url", "Link"),
    ("category", "category"), ("category", "cat"), ("category", "channel"),
    ("source", "source"), ("source", "publisher"),
    ("id", "id"), ("id", "_id"), ("id", "doc_id"),
])
def test_field_aliases(field, key):
    raw = {"title": "标题", key: "值"} if field != "title" else {key: "值"}
    assert getattr(normalize_article(raw), field) == "值"


@pytest.mark.parametrize("key", ["published", "date", "time", "pubdate", "datetime", "Date"])
def test_date_aliases(key):
    article = normalize_article({"title": "标题", key: "2024-03-01 08:00:00"})
    assert article.published == datetime(2024, 3, 1, 8, tzinfo=CHINA_TZ)


def test_first_non_empty_alias_wins():
    article = normalize_article({"title": "标题", "content": None, "summary": "  ", "body": "正文"})
    assert article.content == "正文"


@pytest.mark.parametrize("raw, default, expected", [
    ({"source": "dataset", "publisher": "中新网"}, "file", "dataset"),
    ({"source": None, "publisher": "中新网"}, "file", "中新网"),
    ({"publisher": "中新网"}, "file", "中新网"),
    ({"source": "", "publisher": None}, "file", "file"),
    ({}, "file", "file"),
    ({}, "", ""),
])
def test_source_then_publisher_then_file_name(raw, default, expected):
    assert normalize_article(BASE | raw, default_source=default).source == expected


def test_text_is_stripped_but_not_folded():
    article = normalize_article({"title": "  １６８８　ＡＢＣ  \n", "content": None, "category": 7})
    assert (article.title, article.content, article.category) == ("１６８８　ＡＢＣ", "", "7")


@pytest.mark.parametrize("raw", [{}, {"title": ""}, {"title": "   "}, {"title": None},
                                 {"headline": "\n"}, {"content": "只有正文"}])
def test_no_title(raw):
    with pytest.raises(RecordError) as caught:
        normalize_article(raw)
    assert caught.value.reason == "no-title"


@pytest.mark.parametrize("raw", [[1, 2], "标题", 5, None])
def test_not_an_object(raw):
    with pytest.raises(RecordError) as caught:
        normalize_article(raw)
    assert caught.value.reason == "not-an-object"


def test_bad_date_names_the_value():
    with pytest.raises(RecordError) as caught:
        normalize_article({"title": "标题", "date": "下周三"})
    assert (caught.value.reason, caught.value.detail) == ("bad-date", "cannot read date '下周三'")


def sha16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


WHEN = datetime(2023, 2, 9, 10, 58, 59, tzinfo=CHINA_TZ)


@pytest.mark.parametrize("raw_id, url, title, published, expected", [
    ("seed-01", "https://x/1", "t", WHEN, "seed-01"),
    ("  a1 ", "", "t", None, "a1"),
    (42, "", "t", None, "42"),
    ("   ", "https://x/1", "t", None, "u-" + sha16("https://x/1")),
    (None, " https://x/1 ", "other", WHEN, "u-" + sha16("https://x/1")),
    (None, "", "标题", WHEN, "h-" + sha16("标题\x1f2023-02-09T10:58:59+08:00")),
    (None, "", "标题", None, "h-" + sha16("标题\x1f")),
    # pinned values: changing the formula changes every indexed id
    (None, "https://example.com/a", "", None, "u-c4ed1c218d14a0f1"),
    (None, "", "1688治理“买家保障服务”不达标商家", WHEN, "h-57d00d08629d1ba0"),
])
def test_make_id(raw_id, url, title, published, expected):
    assert make_id(raw_id, url, title, published) == expected


def test_same_instant_in_another_zone_gives_the_same_id():
    utc = WHEN.astimezone(UTC)
    assert make_id(None, "", "标题", utc) == make_id(None, "", "标题", WHEN)
    assert make_id(None, "", "标题", WHEN.replace(tzinfo=None)) == make_id(None, "", "标题", WHEN)


def test_ids_are_the_same_in_another_process():
    code = "from corpus import make_id; print(make_id(None, '', '标题', None))"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=root, env={"PYTHONHASHSEED": "123", "PYTHONPATH": str(root)})
    assert out.stdout.strip() == make_id(None, "", "标题", None)


@given(st.one_of(st.none(), st.text(max_size=20)), st.text(max_size=40), st.text(max_size=40),
       st.one_of(st.none(), st.datetimes(timezones=st.just(CHINA_TZ))))
def test_make_id_is_deterministic_and_never_empty(raw_id, url, title, published):
    made = make_id(raw_id, url, title, published)
    assert made == make_id(raw_id, url, title, published)
    assert made.strip() == made != ""


TITLES = st.text(min_size=1, max_size=30).filter(lambda s: s.strip())


@given(st.builds(Article, id=TITLES.map(str.strip), title=TITLES.map(str.strip),
                 content=st.text(max_size=30).map(str.strip),
                 published=st.one_of(st.none(), st.datetimes(timezones=st.just(CHINA_TZ))),
                 url=st.text(max_size=20).map(str.strip), source=st.text(max_size=10).map(str.strip),
                 category=st.text(max_size=10).map(str.strip)))
def test_normalising_an_article_again_changes_nothing(article):
    assert normalize_article(dataclasses.asdict(article)) == article


def test_offsets_are_converted_to_china_time():
    article = normalize_article({"title": "t", "date": datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=-5)))})
    assert article.published.isoformat() == "2024-01-01T13:00:00+08:00"
