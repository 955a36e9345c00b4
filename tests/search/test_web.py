import pytest

from indexer.errors import IndexNotFound
from search.web import create_app

HIT_KEYS = {"id", "title", "title_html", "published", "url", "category", "source", "snippet", "score", "partial", "duplicates", "similar_reports", "facts"}


def test_search_api_shape(client):
    res = client.get("/api/search?q=晚发必赔&per_page=5")
    assert res.status_code == 200 and res.mimetype == "application/json"
    body = res.get_json()
    assert {"query", "total", "page", "per_page", "took_ms", "hits", "facets"} <= set(body)
    assert body["query"] == "晚发必赔" and body["total"] == 2 and body["per_page"] == 5
    assert set(body["hits"][0]) == HIT_KEYS
    assert body["hits"][0]["published"] in ("2024-02-23T17:29:30", "2024-02-24T15:16:06"), "one of the two reports"
    assert set(body["facets"]) == {"year", "category", "source", "platform", "rule", "kind"}
    assert "<mark>晚发必赔</mark>" in body["hits"][0]["title_html"]


def test_search_api_filters_and_sort(client):
    body = client.get("/api/search?q=1688&sort=oldest&from=2022&to=2022&collapse=0").get_json()
    assert body["total"] == 4
    assert [h["published"][:4] for h in body["hits"]] == ["2022"] * 4
    assert body["hits"][0]["published"] == "2022-04-13T10:51:21"


@pytest.mark.parametrize("query, code", [
    ("q=(淘宝", "bad_query"),
    ("q=foo:bar", "bad_query"),
    ("q=x&page=abc", "bad_parameter"),
    ("q=x&per_page=-1", "bad_parameter"),
    ("q=x&per_page=100000", "bad_parameter"),
    ("q=x&sort=random", "bad_parameter"),
    ("q=x&from=not-a-date", "bad_parameter"),  # a parameter, like from > to; the query is fine
    ("q=published:[2024-05 TO 2024-01]", "bad_query"),
])
def test_bad_parameters_are_400_json(client, query, code):
    res = client.get("/api/search?" + query)
    assert res.status_code == 400
    error = res.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_documents(client):
    hit = client.get("/api/search?q=分销通").get_json()["hits"][0]
    doc = client.get(f"/api/documents/{hit['id']}").get_json()
    assert doc["title"] == "1688“分销通”保障服务将升级"
    assert doc["content"].startswith("12月18日消息")
    missing = client.get("/api/documents/no-such-id")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/documents/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_stats_and_health(client):
    assert client.get("/healthz").get_json()["status"] == "ok"
    stats = client.get("/api/stats").get_json()
    assert stats["articles"] == 20 and stats["index"]["size_bytes"] > 0


def test_unknown_routes_and_methods_are_json(client):
    res = client.get("/api/nothing")
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
    res = client.post("/api/search")
    assert res.status_code == 405 and "error" in res.get_json()


def test_page_lists_results_like_the_listing(client):
    res = client.get("/?q=晚发必赔&collapse=0")
    html = res.get_data(as_text=True)
    assert res.status_code == 200
    assert html.count('class="hit"') == 2
    assert "<mark>晚发必赔</mark>" in html
    assert "2024-02-24 15:16:06" in html
    assert 'href="/?q=%E6%99%9A%E5%8F%91%E5%BF%85%E8%B5%94&amp;collapse=0&amp;year=2024"' in html


def test_page_facet_links_filter(client):
    html = client.get("/?q=1688&year=2022&collapse=0").get_data(as_text=True)
    assert html.count('class="hit"') == 4
    assert "2022年 ✕" in html


def test_page_pagination(client):
    html = client.get("/?q=1688&per_page=10").get_data(as_text=True)
    assert "第 1 / 2 页" in html and 'rel="next"' in html


def test_page_escapes_the_query_and_shows_errors(client):
    html = client.get('/?q=<script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    res = client.get("/?q=(")
    assert res.status_code == 400 and 'role="alert"' in res.get_data(as_text=True)


def test_page_has_strict_security_headers(client):
    res = client.get("/")
    assert "default-src 'none'" in res.headers["Content-Security-Policy"]
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert "http" not in res.get_data(as_text=True).split("<body>")[0].replace("http-equiv", "")


def test_document_page(client):
    hit = client.get("/api/search?q=分销通").get_json()["hits"][0]
    html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert "1688“分销通”保障服务将升级" in html
    assert client.get("/documents/nope").status_code == 404


def test_app_builds_the_sample_when_the_default_index_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHSEARCH_INDEX", str(tmp_path / "fresh"))
    app = create_app()
    assert app.test_client().get("/api/stats").get_json()["articles"] == 20


def test_app_refuses_a_named_index_that_does_not_exist(tmp_path):
    with pytest.raises(IndexNotFound, match="no index at .*typo"):
        create_app({"index_dir": tmp_path / "typo"})
    assert not (tmp_path / "typo").exists(), "nothing was built in the mistyped place"


def test_collapsed_duplicates_in_api_and_page(client):
    body = client.get("/api/search?q=晚发必赔").get_json()
    assert len(body["hits"]) == 1 and len(body["hits"][0]["duplicates"]) == 1
    hit, other = body["hits"][0], body["hits"][0]["similar_reports"][0]
    assert "晚发必赔" in other["title"] and other["title"] != hit["title"], "the other report, folded under the hit"
    assert "另有 1 篇相似报道" in client.get("/?q=晚发必赔").get_data(as_text=True)


def test_page_trend_chart_and_timeline_tab(client):
    html = client.get("/?q=1688").get_data(as_text=True)
    assert "<svg" in html and html.count("<rect") == 4 and "2021：1 篇" in html, "44 months: drawn by year"
    months = client.get("/?q=晚发必赔").get_data(as_text=True)
    assert months.count("<rect") == 1 and "2024-02：2 篇" in months
    assert 'aria-current="page">结果' in html
    tl = client.get("/?q=安心购&view=timeline").get_data(as_text=True)
    assert tl.index("2023-03-20") < tl.index("2023-08-24") < tl.index("2024-03-01")
    assert "2 篇报道" in tl and 'class="hit' not in tl


def test_page_shows_fact_badges_and_fact_facets(client):
    html = client.get("/?q=破损包赔").get_data(as_text=True)
    assert "2024-03-29 生效" in html
    html = client.get("/?q=晚发必赔").get_data(as_text=True)
    assert "《现货安心购商家服务协议》" in html and "规则/协议" in html and "变更类型" in html


def test_article_page_shows_facts_and_other_reports_of_the_same_news(client):
    hit = client.get("/api/search?q=退货包运费机制&collapse=0").get_json()["hits"][0]
    assert hit["title"] == "1688调整退货包运费机制 且不再提供晚发必赔补偿"
    html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert "2024-03-01" in html and "《现货安心购商家服务协议》" in html
    assert "同一新闻的其他报道" in html and "1688调整《现货“安心购”商家服务协议》" in html
    body = client.get(f"/api/documents/{hit['id']}/similar").get_json()
    assert [r["title"] for r in body["same_news"]] == ["1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿"]
    assert hit["id"] not in {s["id"] for s in body["similar"]}
    assert client.get(f"/api/documents/{hit['id']}").get_json()["facts"]["effective"] == ["2024-03-01"]


def test_app_config_reads_the_environment_then_the_caller(tmp_path):
    from search.config import AppConfig

    env = {"ZHSEARCH_INDEX": str(tmp_path / "env-index"), "ZHSEARCH_REFRESH_SECONDS": "5"}
    assert AppConfig.from_sources(env=env) == AppConfig(index_dir=tmp_path / "env-index", refresh_seconds=5.0)
    mine = AppConfig.from_sources({"index_dir": tmp_path / "mine", "refresh_seconds": 0.5}, env=env)
    assert (mine.index_dir, mine.refresh_seconds) == (tmp_path / "mine", 0.5)


def test_the_page_counts_one_match_set_for_its_hits_chart_sources_and_words(sample_index):
    """Issue 13: the chart, the sources and the word list count the matches the search
    found, with no second evaluation, even with every result cache off."""
    app = create_app({"index_dir": sample_index, "cache_pages": 0})
    searcher = app.extensions["zhsearch"]
    client = app.test_client()
    client.get("/?q=%E8%A7%84%E5%88%99")  # 规则: warm up (the word table's background of the whole index)
    before = searcher.evaluations
    res = client.get("/?q=%E5%8F%91%E8%B4%A7")  # 发货
    assert res.status_code == 200 and "<svg" in res.get_data(as_text=True)
    assert searcher.evaluations - before == 1
    client.get("/?q=%E5%8F%91%E8%B4%A7")
    assert searcher.evaluations - before == 2, "a later request evaluates afresh (no cache is on)"
