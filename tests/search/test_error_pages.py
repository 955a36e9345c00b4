"""People get pages, programs get JSON: every non-API error is a page in the site's style.

Before, a mistyped URL or an error on a page route answered with the API's JSON error body.
"""

from __future__ import annotations

import shutil

import pytest

from search.web import create_app

LEAKS = ("Traceback", "RuntimeError", "secret-detail", "File \"", "werkzeug")


def assert_error_page(res, status: int, *texts: str) -> str:
    html = res.get_data(as_text=True)
    assert res.status_code == status, html[:300]
    assert res.mimetype == "text/html"
    assert html.startswith("<!doctype html>") and 'class="searchbox"' in html and 'name="q"' in html
    assert '<link rel="stylesheet" href="/static/zhsearch.css">' in html, "the site's own style"
    for text in texts:
        assert text in html, (text, html[-600:])
    for leak in LEAKS:
        assert leak not in html, leak
    return html


@pytest.mark.parametrize("path", ["/no/such/page", "/documents", "/static/no-such.css", "/api"])
def test_a_mistyped_url_is_a_page(client, path):
    html = assert_error_page(client.get(path + "?q=安心购"), 404, "找不到这个页面", f"没有这个页面：{path}", "HTTP 404")
    assert 'value="安心购"' in html, "the search box keeps what was being searched"


def test_api_paths_keep_json(client):
    res = client.get("/api/no/such/thing")
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
    res = client.get("/api/search?from=0000")
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "bad_parameter"


def test_a_wrong_method_is_a_page_with_allow(client):
    res = client.post("/")
    assert_error_page(res, 405, "不支持这种请求方式", "/ 不接受 POST 请求", "HTTP 405")
    assert "GET" in res.headers["Allow"]


@pytest.mark.parametrize("method, path", [("TRACE", "/healthz"), ("DELETE", "/api/search"), ("PUT", "/api/documents")])
def test_a_wrong_method_on_the_api_is_json_with_allow(client, method, path):
    res = client.open(path, method=method)
    assert res.status_code == 405 and res.get_json()["error"]["code"] == "method_not_allowed"
    allowed = {m.strip() for m in res.headers["Allow"].split(",")}
    assert allowed & {"GET", "POST"} and method not in allowed


@pytest.mark.parametrize("query, text", [("q=foo:bar", "unknown field"), ("q=x&from=0000", "from: no such date"),
                                         ("q=x&per_page=0", "per_page must be")])
def test_a_bad_search_on_the_page_is_a_400_page(client, query, text):
    html = assert_error_page(client.get("/?" + query), 400, text)
    assert 'class="error"' in html


def test_a_missing_article_is_a_404_page(client):
    assert_error_page(client.get("/documents/no-such-id"), 404, "no article with id")


@pytest.fixture
def booby_trapped(sample_index):
    """The real app with one route each side that fails as a bug would."""
    app = create_app({"index_dir": sample_index})

    def boom():
        raise RuntimeError("secret-detail of a bug")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/boom", "api_boom", boom)
    return app.test_client()


def test_a_bug_on_a_page_is_a_500_page_without_the_trace(booby_trapped, caplog):
    assert_error_page(booby_trapped.get("/boom"), 500, "服务器出错了", "已记下", "HTTP 500")
    assert "secret-detail" in caplog.text, "the bug is logged for us, not shown to them"
    res = booby_trapped.get("/api/boom")
    assert res.status_code == 500 and res.get_json() == {
        "error": {"code": "internal", "message": "internal error; it has been logged"}}


def test_an_unavailable_index_is_a_503_page(index_dir):
    app = create_app({"index_dir": index_dir, "refresh_seconds": 0})
    client = app.test_client()
    assert client.get("/?q=1688").status_code == 200
    # the page started the term table's build, which saves files beside the segments
    assert app.extensions["zhsearch"].tables.wait(30)
    shutil.rmtree(index_dir)
    html = assert_error_page(client.get("/?q=1688"), 503, "暂时无法服务", "索引暂时不可用", "HTTP 503")
    assert str(index_dir) not in html, "no server paths on a page for people"
    res = client.get("/api/search?q=1688")
    assert res.status_code == 503 and res.get_json()["error"]["code"] == "index_unavailable"
