"""Trend, keyword in context and exports: exact matches only, counted and streamed."""

import csv
import io
import json

import pytest

from corpus import CHINA_TZ, Article
from indexer import IndexStore, build_index
from search.cli import cli
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ParameterError
from search.research import tools as research


def test_trend_counts_every_period_with_gaps_as_zero(searcher):
    data = research.trend(searcher, SearchRequest(q="1688"), "year")
    assert data["counts"] == [{"period": "2021", "count": 1}, {"period": "2022", "count": 4},
                              {"period": "2023", "count": 7}, {"period": "2024", "count": 8}]
    months = research.trend(searcher, SearchRequest(q="晚发必赔"), "month")["counts"]
    assert months == [{"period": "2024-02", "count": 2}]
    assert len(research.trend(searcher, SearchRequest(q="1688"), "month")["counts"]) == 44
    with pytest.raises(ParameterError):
        research.trend(searcher, SearchRequest(q="1688"), "fortnight")


def test_trend_counts_only_what_the_filters_allow(searcher):
    year = research.trend(searcher, SearchRequest(q="1688", date_from="2023", date_to="2023"), "year")
    assert year["counts"] == [{"period": "2023", "count": 7}] and year["total"] == 7
    again = research.trend(searcher, SearchRequest(q="1688", date_from="2023", date_to="2023"), "year")
    assert again == year  # the second time from the kept filter
    nothing = research.trend(searcher, SearchRequest(q="1688", category="不存在"), "year")
    assert nothing["total"] == 0 and nothing["counts"] == []


def test_trend_counts_undated_articles_apart(tmp_path):
    store = IndexStore(tmp_path / "ix")
    from datetime import datetime
    build_index(store, [Article(id="a", title="光伏产能", published=datetime(2024, 5, 1, tzinfo=CHINA_TZ)),
                        Article(id="b", title="光伏出海")])
    data = research.trend(Searcher(store), SearchRequest(q="光伏"), "month")
    assert data["total"] == 2 and data["undated"] == 1 and data["counts"] == [{"period": "2024-05", "count": 1}]


def test_kwic_lines_show_context_around_each_occurrence(searcher):
    lines = list(research.kwic(searcher, SearchRequest(q="晚发必赔"), width=6))
    assert len(lines) >= 4
    assert all(line.match == "晚发必赔" for line in lines)
    assert any(line.left.endswith("不再提供") for line in lines)
    assert all(len(line.left) <= 6 and len(line.right) <= 6 for line in lines)


def test_export_streams_every_exact_match_as_safe_csv(tmp_path):
    store = IndexStore(tmp_path / "ix")
    articles = [Article(id=f"e{i}", title=f"拼多多规则{i}", content="=cmd|'/c calc'!A1" if i == 0 else "正文")
                for i in range(250)]
    build_index(store, articles)
    text = "".join(research.export_lines(Searcher(store), SearchRequest(q="拼多多"), "csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 250
    assert {r["id"] for r in rows} == {f"e{i}" for i in range(250)}
    assert next(r for r in rows if r["id"] == "e0")["content"].startswith("'=")
    lines = list(research.export_lines(Searcher(store), SearchRequest(q="拼多多"), "jsonl"))
    assert len(lines) == 250 and json.loads(lines[0])["title"].startswith("拼多多规则")


def test_api_trend_kwic_and_export(client):
    trend = client.get("/api/trend?q=1688&interval=year").get_json()
    assert sum(c["count"] for c in trend["counts"]) == 20
    kwic = client.get("/api/kwic?q=分销通&width=5").get_json()
    assert kwic["lines"] and kwic["lines"][0]["match"] == "分销通"
    res = client.get("/api/search?q=1688&format=csv&all=1")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    body = res.get_data(as_text=True)
    assert body.startswith("\ufeffid,published,title")
    assert len(list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))) == 21
    jsonl = client.get("/api/search?q=1688&format=jsonl").get_data(as_text=True).splitlines()
    assert len(jsonl) == 20
    assert client.get("/api/search?q=1688&format=xml").status_code == 400
    assert client.get("/api/trend?q=1688&interval=fortnight").status_code == 400


def test_cli_trend_kwic_export(runner, sample_index):
    idx = ["--index", str(sample_index)]
    out = runner.invoke(cli, ["trend", "1688", "--interval", "year", *idx]).stdout
    assert "2024       8 " in out and "█" in out
    out = runner.invoke(cli, ["kwic", "分销通", "--width", "4", *idx]).stdout
    assert "| 分销通 |" in out
    out = runner.invoke(cli, ["search", "1688", "--all", "--format", "jsonl", *idx]).stdout
    assert len(out.splitlines()) == 20
