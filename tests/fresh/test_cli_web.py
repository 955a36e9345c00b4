"""The commands and the Atom feeds, end to end: CLI in, index and state out, feeds served by the real app."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.web import create_app

from .pages import article, rss

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def followed(tmp_path, site, monkeypatch):
    """An index with one feed followed, an alert saved, and one update run through the CLI."""
    for name, value in {"DELAY": "0", "BACKOFF": "0.01", "TIMEOUT": "1"}.items():
        monkeypatch.setenv(f"ZHSEARCH_FETCH_{name}", value)
    site.page("/rss", rss(site.base, [("/a/1.html", "淘宝调整保证金规则", "摘要一"),
                                      ("/a/2.html", "拼多多发布新协议", "摘要二")]))
    site.page("/a/1.html", article("淘宝调整保证金规则"))
    site.page("/a/2.html", article("拼多多发布新协议", body="拼多多平台发布新版商家服务协议，涉及退款时效。" * 3))
    index = tmp_path / "index"
    run = CliRunner()
    assert run.invoke(cli, ["sources", "add", site.base + "/rss", "--name", "feed", "--index", str(index)]).exit_code == 0
    added = run.invoke(cli, ["alerts", "add", "deposit", "保证金", "--platform", "淘宝", "--index", str(index)])
    assert added.exit_code == 0, added.output
    result = run.invoke(cli, ["update", "--json", "--index", str(index)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["sources"][0]["new"] == 2 and summary["ok"] is True
    assert summary["alerts"] == [{"name": "deposit", "matched": 1, "delivered": 0, "error": None}]
    return index


def test_sources_and_alerts_list_and_remove(followed):
    run = CliRunner()
    listed = json.loads(run.invoke(cli, ["sources", "list", "--json", "--index", str(followed)]).output)
    assert [(s["name"], s["kind"], s["last_error"]) for s in listed] == [("feed", "feed", None)]
    alerts = json.loads(run.invoke(cli, ["alerts", "list", "--json", "--index", str(followed)]).output)
    assert alerts[0]["query"] == "保证金" and alerts[0]["filters"] == {"platform": "淘宝"}
    assert run.invoke(cli, ["sources", "remove", "feed", "--index", str(followed)]).exit_code == 0
    missing = run.invoke(cli, ["sources", "remove", "feed", "--index", str(followed)])
    assert missing.exit_code == 1 and "no source named 'feed'" in missing.output
    assert run.invoke(cli, ["alerts", "remove", "deposit", "--index", str(followed)]).exit_code == 0
    assert json.loads(run.invoke(cli, ["alerts", "list", "--json", "--index", str(followed)]).output) == []


def test_update_exits_1_and_names_the_failing_source(followed, site):
    run = CliRunner()
    run.invoke(cli, ["sources", "add", site.base + "/missing", "--name", "gone", "--index", str(followed)])
    result = run.invoke(cli, ["update", "--index", str(followed)])
    assert result.exit_code == 1
    assert "gone: fetched 0, new 0, updated 0, skipped 0; error: HTTP 404" in result.output


def test_a_bad_url_or_schedule_is_refused():
    run = CliRunner()
    assert run.invoke(cli, ["sources", "add", "file:///etc/passwd"]).exit_code == 1
    assert run.invoke(cli, ["sources", "add", "https://x.example/rss", "--every", "soon"]).exit_code == 2


def test_atom_feeds_of_a_search_and_of_an_alert(followed):
    client = create_app({"index_dir": followed, "refresh_seconds": 0}).test_client()
    res = client.get("/feeds/search.atom?q=协议")
    assert res.status_code == 200 and res.content_type.startswith("application/atom+xml")
    feed = ET.fromstring(res.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["拼多多发布新协议"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id").endswith("/a/2.html")
    assert entry.find(f"{ATOM}link").get("href").endswith("/a/2.html")
    assert entry.findtext(f"{ATOM}updated") == "2024-03-04T17:00:00Z"  # 01:00 China time, as the feed said
    assert "退款" in entry.findtext(f"{ATOM}summary")
    alert = ET.fromstring(client.get("/feeds/alerts/deposit.atom").data)
    assert [e.findtext(f"{ATOM}title") for e in alert.findall(f"{ATOM}entry")] == ["淘宝调整保证金规则"]
    missing = client.get("/feeds/alerts/nothing.atom")
    assert missing.status_code == 404 and "no alert named" in missing.get_data(as_text=True)  # a page, not JSON


def test_the_search_page_links_the_feed_of_its_search(followed):
    client = create_app({"index_dir": followed, "refresh_seconds": 0}).test_client()
    html = client.get("/?q=保证金&platform=淘宝&page=1").get_data(as_text=True)
    href = "/feeds/search.atom?q=%E4%BF%9D%E8%AF%81%E9%87%91&amp;platform=%E6%B7%98%E5%AE%9D"
    assert f'<link rel="alternate" type="application/atom+xml" title="保证金 (Atom)" href="{href}">' in html
    assert f'<a class="feed" href="{href}"' in html
