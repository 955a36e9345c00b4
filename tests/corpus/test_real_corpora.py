"""The real corpora in ../shared/corpora load as they are (a prefix of each, to stay fast)."""

import itertools
from datetime import time, timedelta

import pytest

from corpus import read_articles, sample_path

pytestmark = pytest.mark.slow

from tests.conftest import CORPORA

PREFIX = 200


def head(name: str, count: int = PREFIX):
    path = CORPORA / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    skips = []
    stream = read_articles([path], on_skip=skips.append)
    articles = list(itertools.islice(stream, count))
    stream.close()
    return articles, skips


@pytest.mark.parametrize("name, dated, bodies, linked, categorised", [
    ("dsb_1688_seed.jsonl", True, True, False, True),
    ("finance_rss.jsonl", True, True, True, False),
    ("cctv_xwlb.jsonl.gz", True, True, True, False),
    ("toutiao_hot_titles.jsonl.gz", True, False, True, True),
    ("thucnews_titles.jsonl", False, False, False, True),
    ("tnews_titles.jsonl", False, False, False, True),
])
def test_a_prefix_of_each_corpus_loads_without_skips(name, dated, bodies, linked, categorised):
    articles, skips = head(name)
    assert skips == []
    assert len(articles) == (20 if name.startswith("dsb") else PREFIX)
    assert all(a.title and a.id and a.source for a in articles)
    assert len({a.id for a in articles}) == len(articles)
    assert any(a.published for a in articles) == dated
    assert any(a.content for a in articles) == bodies
    assert any(a.url for a in articles) == linked
    assert any(a.category for a in articles) == categorised
    assert all(a.published.utcoffset() == timedelta(hours=8) for a in articles if a.published)


def test_finance_rss_has_dated_articles_with_content_and_keeps_the_dataset_as_source():
    articles, _ = head("finance_rss.jsonl")
    with_body = [a for a in articles if a.content and a.published]
    assert len(with_body) > PREFIX * 0.8
    assert articles[0].title == "2025年8月份规模以上工业增加值增长5.2%"
    assert articles[0].published.isoformat() == "2025-09-15T10:00:05+08:00"
    assert {a.source for a in articles} == {"financialreport-rss"}


def test_toutiao_has_day_only_dates_and_no_content():
    articles, _ = head("toutiao_hot_titles.jsonl.gz")
    assert all(a.published.time() == time(0, 0) for a in articles)
    assert all(a.content == "" for a in articles)
    assert articles[0].published.isoformat() == "2024-04-09T00:00:00+08:00"
    assert articles[0].id == "toutiao-hot-7355357512276967461"


def test_the_seed_as_json_lines_matches_the_bundled_listing_page():
    seed, _ = head("dsb_1688_seed.jsonl")
    assert [a.id for a in seed] == [f"seed-{i:02d}" for i in range(1, 21)]
    listing = list(read_articles([sample_path()]))
    assert [(a.title, a.published, a.content) for a in seed] == [
        (a.title, a.published, a.content) for a in listing]
