"""Compared trends: every period, hand-computed shares, sources, by source, CSV, one shape everywhere."""

import csv
import doctest
import io
import json
from datetime import datetime

import pytest

from corpus import CHINA_TZ, Article
from indexer import IndexStore, build_index
from search.cli import cli
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ParameterError
from search.research import compare as compare_module
from search.research import periods
from search.research.compare import compare
from search.web import create_app


def _day(month: int, day: int = 10) -> datetime:
    return datetime(2024, month, day, 9, tzinfo=CHINA_TZ)


ARTICLES = [  # January: 4 articles, February: none, March: 2, April: 1, one undated
    Article(id="a1", title="光伏装机", published=_day(1), source="甲报"),
    Article(id="a2", title="光伏与风电", published=_day(1, 20), source="乙报"),
    Article(id="a3", title="粮食生产", published=_day(1, 21), source="甲报"),
    Article(id="a4", title="铁路客运", published=_day(1, 22), source="乙报"),
    Article(id="a5", title="风电并网", published=_day(3), source="乙报"),
    Article(id="a6", title="港口吞吐", published=_day(3, 11), source="甲报"),
    Article(id="a7", title="光伏出口", published=_day(4), source="甲报"),
    Article(id="a8", title="光伏电站", source="甲报"),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Searcher:
    path = tmp_path_factory.mktemp("compare-index")
    build_index(IndexStore(path), ARTICLES)
    return Searcher(IndexStore(path))


def test_normalised_trend_equals_hand_computed_shares(small):
    data = compare(small, [SearchRequest(q="光伏"), SearchRequest(q="风电")], "month", normalize=True)
    solar, wind = data["series"]
    assert [r["period"] for r in solar["counts"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [(r["count"], r["share"]) for r in solar["counts"]] == [(2, 0.5), (0, 0.0), (0, 0.0), (1, 1.0)]
    assert [(r["count"], r["share"]) for r in wind["counts"]] == [(1, 0.25), (0, 0.0), (1, 0.5), (0, 0.0)]
    assert (solar["total"], solar["undated"], wind["total"]) == (4, 1, 2)
    assert data["interval"] == "month" and data["normalize"] is True and "counts" not in data


def test_one_query_keeps_todays_shape_and_counts_its_sources(small):
    data = compare(small, [SearchRequest(q="光伏")], "year")
    assert data["query"] == "光伏" and data["total"] == 4 and data["undated"] == 1
    assert data["counts"] == [{"period": "2024", "count": 3}] == data["series"][0]["counts"]
    assert data["sources"] == [{"source": "甲报", "count": 3, "share": 0.75},
                               {"source": "乙报", "count": 1, "share": 0.25}]


def test_by_source_shares_are_of_what_each_source_published(small):
    data = compare(small, [SearchRequest(q="光伏")], "month", normalize=True, by="source")
    assert [s["source"] for s in data["series"]] == ["甲报", "乙报"]
    jia = {r["period"]: r["share"] for r in data["series"][0]["counts"]}
    assert jia["2024-01"] == 0.5 and jia["2024-04"] == 1.0  # 甲报 published a1, a3 in January
    with pytest.raises(ParameterError):
        compare(small, [SearchRequest(q="光伏"), SearchRequest(q="风电")], by="source")


@pytest.mark.parametrize(("interval", "first"), [("year", "2024"), ("week", "2024-W02"), ("day", "2024-01-10")])
def test_every_interval_labels_its_periods(small, interval, first):
    counts = compare(small, [SearchRequest(q="光伏")], interval)["counts"]
    assert counts[0]["period"] == first and sum(c["count"] for c in counts) == 3


def test_too_many_periods_or_series_are_refused(small):
    with pytest.raises(ParameterError):
        periods.span(0, periods.MAX_PERIODS)
    with pytest.raises(ParameterError):
        compare(small, [SearchRequest(q="光伏")] * 9)


def test_api_and_cli_give_the_same_json_and_the_csv(small, runner):
    client = create_app({"index_dir": small.store.path}).test_client()
    api = client.get("/api/trend?q=光伏&q=风电&normalize=1&interval=month").get_json()
    out = runner.invoke(cli, ["trend", "光伏", "风电", "--normalize", "--json", "--index", str(small.store.path)])
    assert out.exit_code == 0 and json.loads(out.stdout) == api
    assert [s["query"] for s in api["series"]] == ["光伏", "风电"]
    res = client.get("/api/trend?q=光伏&q=风电&normalize=1&format=csv")
    assert res.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
    assert {"query": "风电", "source": "", "period": "2024-03", "count": "1", "share": "0.5"} in rows
    assert client.get("/api/trend?q=光伏&q=风电&by=source").status_code == 400
    by_source = client.get("/api/trend?q=光伏&by=source&top=1").get_json()
    assert [s["source"] for s in by_source["series"]] == ["甲报"]


def test_docstring_examples():
    for module in (periods, compare_module):
        assert doctest.testmod(module).failed == 0
    assert doctest.testmod(periods).attempted > 0


def test_page_draws_several_series_with_a_legend_and_lists_sources(small):
    client = create_app({"index_dir": small.store.path}).test_client()
    html = client.get("/?q=光伏&compare=风电&normalize=1").get_data(as_text=True)
    assert html.count('<polyline class="series"') == 2 and 'aria-label="图例"' in html
    assert "光伏：共 4 篇" in html and "风电：共 2 篇" in html and "占当期全部文章的比例" in html
    assert "/api/trend?q=%E5%85%89%E4%BC%8F&amp;q=%E9%A3%8E%E7%94%B5&amp;interval=month&amp;normalize=1&amp;format=csv" in html
    assert "<script" not in html
    table = html[html.index('<section class="sources">'):]
    assert "<td>甲报</td><td>3</td><td>75.0%</td>" in table
    one = client.get("/?q=光伏").get_data(as_text=True)
    assert "<polyline" not in one and one.count("<rect") == 4  # one query: bars, as before


def test_links_on_a_compared_page_keep_every_compared_query(small):
    """Facet and sort links of `?q=光伏&compare=风电&compare=港口` keep both compare values."""
    client = create_app({"index_dir": small.store.path}).test_client()
    html = client.get("/?q=光伏&compare=风电&compare=港口").get_data(as_text=True)
    assert html.count('<polyline class="series"') == 3
    both = "compare=%E9%A3%8E%E7%94%B5&amp;compare=%E6%B8%AF%E5%8F%A3"
    assert both in html, "a link dropped the second compared query"


def test_trend_and_sources_count_an_index_of_several_segments(tmp_path):
    """Two commits make two segments, the second holding only an undated article: it has no
    date column at all, and Whoosh's multi-segment column reader came up short by its size
    (the page answered 500). The columns come from the core's arrays, segment by segment."""
    store = IndexStore(tmp_path / "ix")
    build_index(store, ARTICLES[:7])
    build_index(store, ARTICLES[7:])
    searcher = Searcher(store)
    assert len(searcher.view().searcher.leaf_searchers()) == 2
    data = compare(searcher, [SearchRequest(q="光伏")], "month", True)
    one_segment = compare(Searcher(IndexStore(_single(tmp_path))), [SearchRequest(q="光伏")], "month", True)
    assert data == one_segment
    assert create_app({"index_dir": store.path}).test_client().get("/?q=光伏").status_code == 200


def _single(tmp_path):
    path = tmp_path / "single"
    build_index(IndexStore(path), ARTICLES)
    return path
