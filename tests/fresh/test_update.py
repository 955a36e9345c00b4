"""`zhsearch update` against real HTTP servers on loopback: feeds, listings, failures, alerts."""

from __future__ import annotations

import json

import pytest

from indexer import IndexStore
from search.alerts.store import add_alert
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.fresh.db import StateDB
from search.fresh.sources import add_source
from search.fresh.update import run_update

from .conftest import slow_answer
from .pages import article, listing, rss


def follow(index, url, name):
    with StateDB.beside(index) as db:
        add_source(db, url, name, "30m")


def titles(index, q):
    page = Searcher(IndexStore(index), refresh_seconds=0).search(SearchRequest(q=q, per_page=50, collapse=False))
    return sorted(h.title for h in page.hits)


def test_feed_and_listing_index_each_article_once_with_pages_text(tmp_path, site, policy):
    site.page("/rss", rss(site.base, [("/a/1.html", "淘宝调整保证金规则", "摘要一"),
                                      ("/a/2.html", "拼多多发布新协议", "摘要二")]), content_type="application/rss+xml")
    site.page("/list", listing([("/a/1.html", "淘宝调整保证金规则", "2024-03-05 10:00", "摘要一"),
                                ("/a/3.html", "1688更新买家保障服务", "2024-03-06 09:30", "摘要三")]))
    for n in (1, 2, 3):
        site.page(f"/a/{n}.html", article(f"标题{n}", body=f"正文第{n}篇：" + "商家保证金规则调整。" * 5))
    index = tmp_path / "index"
    follow(index, site.base + "/rss", "feed")
    follow(index, site.base + "/list", "list")
    report = run_update(IndexStore(index), policy)
    by_name = {s.name: s for s in report.sources}
    assert report.ok, report.to_dict()
    assert (by_name["feed"].kind, by_name["feed"].new) == ("feed", 2)
    assert (by_name["list"].kind, by_name["list"].new, by_name["list"].skipped) == ("listing", 1, 1)
    assert report.indexed == 3
    assert titles(index, "保证金") == ["1688更新买家保障服务", "拼多多发布新协议", "淘宝调整保证金规则"]
    doc = Searcher(IndexStore(index)).search(SearchRequest(q="正文第1篇"))
    assert doc.hits[0].url == site.base + "/a/1.html"  # canonical: the feed's utm_source is gone
    assert all("zhsearch/" in h["User-Agent"] for h in site.hits("/a/1.html"))


def test_gbk_pages_are_read_whatever_their_headers_say(tmp_path, site, policy):
    page = listing([("/g/1.html", "淘宝网规则变更公示", "2024-03-07 08:00", "关于《淘宝网市场管理规范》的修改")],
                   charset="gb2312")
    site.page("/gbk-list", page.encode("gbk"), content_type="text/html; charset=utf-8")  # the header lies
    site.page("/g/1.html", article("淘宝网规则变更公示", charset="gbk").encode("gbk"), content_type="text/html")
    index = tmp_path / "index"
    follow(index, site.base + "/gbk-list", "gbk")
    report = run_update(IndexStore(index), policy)
    assert report.ok, report.to_dict()
    assert titles(index, "规则变更") == ["淘宝网规则变更公示"]
    assert titles(index, "保证金") == ["淘宝网规则变更公示"]  # the article body, decoded from GBK


@pytest.mark.parametrize(("setup", "error"), [
    ("malformed", "malformed feed"),
    ("unavailable", "HTTP 503"),
    ("timeout", "timed out"),
    ("loop", "redirects"),
    ("huge", "limit"),
    ("robots", "robots.txt"),
])
def test_a_failing_source_is_named_and_never_stops_the_others(tmp_path, site, policy, setup, error):
    bad = {"malformed": lambda: site.page("/bad", '<?xml version="1.0"?><rss><channel><item><title>断',
                                          content_type="application/rss+xml"),
           "unavailable": lambda: site.page("/bad", "busy", status=503),
           "timeout": lambda: site.routes.__setitem__("/bad", slow_answer(site, 30)),
           "loop": lambda: (site.page("/bad", "", status=302, Location="/bad2"),
                            site.page("/bad2", "", status=302, Location="/bad")),
           "huge": lambda: site.page("/bad", b"<html>" + b"x" * 1_000_000),
           "robots": lambda: site.page("/robots.txt", "User-agent: zhsearch\nDisallow: /bad\n",
                                       content_type="text/plain")}
    bad[setup]()
    site.page("/good", rss(site.base, [("/a/1.html", "淘宝调整保证金规则", "摘要一")]))
    site.page("/a/1.html", article("淘宝调整保证金规则"))
    index = tmp_path / "index"
    follow(index, site.base + "/bad", "bad")
    follow(index, site.base + "/good", "good")
    report = run_update(IndexStore(index), policy)
    by_name = {s.name: s for s in report.sources}
    assert not report.ok
    assert error in by_name["bad"].error
    assert by_name["good"].error is None and by_name["good"].new == 1
    if setup == "unavailable":
        assert len(site.hits("/bad")) == 1 + policy.retries  # retried with backoff, then reported
    with StateDB.beside(index) as db:
        assert error in db.query("SELECT last_error FROM sources WHERE name = 'bad'")[0][0]


def test_new_item_between_updates_is_new_and_alerted_once(tmp_path, site, policy):
    items = [("/a/1.html", "淘宝调整保证金规则", "摘要一")]
    site.page("/rss", rss(site.base, items), ETag='"v1"')
    site.page("/a/1.html", article("淘宝调整保证金规则"))
    site.page("/hook", "ok")
    index = tmp_path / "index"
    follow(index, site.base + "/rss", "feed")
    with StateDB.beside(index) as db:
        add_alert(db, "deposit", "保证金", {}, site.base + "/hook")
    first = run_update(IndexStore(index), policy, everything=True)
    assert first.sources[0].new == 1

    second = run_update(IndexStore(index), policy, everything=True)
    assert second.sources[0].not_modified  # the ETag came back: a 304, nothing re-read
    assert site.hits("/rss")[-1].get("If-None-Match") == '"v1"'

    items.append(("/a/2.html", "拼多多保证金新规", "摘要二"))
    site.page("/rss", rss(site.base, items), ETag='"v2"')
    site.page("/a/2.html", article("拼多多保证金新规"))
    third = run_update(IndexStore(index), policy, everything=True)
    assert (third.sources[0].new, third.sources[0].skipped) == (1, 1)
    posts = [json.loads(body) for method, path, _h, body in site.requests if method == "POST"]
    assert [[a["title"] for a in p["articles"]] for p in posts] == [["淘宝调整保证金规则"], ["拼多多保证金新规"]]
    assert posts[0]["alert"] == "deposit" and posts[0]["query"] == "保证金"
    assert set(posts[0]["articles"][0]) == {"id", "title", "published", "url", "snippet", "facts"}


def test_a_webhook_that_fails_once_gets_the_delivery_at_the_next_update(tmp_path, site, policy):
    site.page("/rss", rss(site.base, [("/a/1.html", "淘宝调整保证金规则", "摘要一")]))
    site.page("/a/1.html", article("淘宝调整保证金规则"))
    site.page("/hook", "down", status=500)
    index = tmp_path / "index"
    follow(index, site.base + "/rss", "feed")
    with StateDB.beside(index) as db:
        add_alert(db, "deposit", "保证金", {}, site.base + "/hook")
    first = run_update(IndexStore(index), policy)
    assert first.alerts[0].error and "HTTP 500" in first.alerts[0].error
    assert first.indexed == 1  # indexing did not wait on the webhook

    site.page("/hook", "ok")
    second = run_update(IndexStore(index), policy)
    assert second.alerts[0].delivered == 1 and second.alerts[0].error is None
    third = run_update(IndexStore(index), policy, everything=True)
    assert third.alerts[0].delivered == 0
    posts = [json.loads(b) for m, p, _h, b in site.requests if m == "POST"]
    assert len(posts) == 2 and posts[0] == posts[1]  # the same delivery, retried; never sent a third time
    with StateDB.beside(index) as db:
        row = db.query("SELECT attempts, sent_at FROM deliveries")[0]
    assert row["attempts"] == 2 and row["sent_at"] is not None


def test_a_page_without_text_lets_the_summary_stand_in(tmp_path, site, policy):
    site.page("/rss", rss(site.base, [("/gone.html", "淘宝下线旧版保证金规则", "旧版规则下线摘要")]))
    index = tmp_path / "index"
    follow(index, site.base + "/rss", "feed")
    report = run_update(IndexStore(index), policy)
    assert report.ok and report.indexed == 1
    assert titles(index, "旧版规则下线摘要") == ["淘宝下线旧版保证金规则"]
