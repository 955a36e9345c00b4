"""The search page in a real browser (Debian's Chromium driven by Playwright) against a real
waitress server: what a person sees, clicks and reads. Set ZHSEARCH_SCREENSHOTS=1 to refresh
docs/screenshots."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "zhsearch")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "search"]
    index = tmp_path_factory.mktemp("browser") / "index"
    proc = subprocess.Popen(cmd + ["serve", "--index", str(index), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def shot(page, name: str) -> None:
    if os.environ.get("ZHSEARCH_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_type_a_query_and_see_highlighted_results(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    box = page.locator("#q")
    box.click()
    box.fill("晚发必赔")
    box.press("Enter")
    page.wait_for_url("**/?q=*")
    hits = page.locator("li.hit")
    assert hits.count() == 1, "the two reports of the same news are one hit"
    assert page.locator("li.hit mark").first.inner_text() == "晚发必赔"
    assert "2024-02-24" in hits.first.locator(".meta time").inner_text()
    assert "另有 1 篇相似报道" in hits.first.inner_text()
    assert page.locator("figure.trend svg rect").count() == 1
    shot(page, "search-results.png")


def test_click_a_facet(server, page):
    page.goto(server + "/?q=1688&collapse=0")
    page.locator("aside.facets a", has_text="2022").click()
    page.wait_for_url("**year=2022*")
    times = page.locator("li.hit time").all_inner_texts()
    assert len(times) == 4 and all(t.startswith("2022") for t in times)
    assert "2022年 ✕" in page.locator(".summary").inner_text()


def test_open_the_timeline_tab(server, page):
    page.goto(server + "/?q=安心购")
    page.locator("nav.tabs a", has_text="时间线").click()
    page.wait_for_url("**view=timeline*")
    days = page.locator("ol.timeline time").all_inner_texts()
    effective = [d for d in days if d in ("2023-03-20", "2023-08-24", "2024-03-01")]
    assert effective == ["2023-03-20", "2023-08-24", "2024-03-01"]
    assert days == sorted(days)
    shot(page, "timeline.png")


def test_open_an_article(server, page):
    page.goto(server + "/?q=分销通")
    title = page.locator("li.hit a.title").first
    text = title.inner_text()
    title.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text() == text
    assert "12月18日消息" in page.locator("article.doc").inner_text()
    assert page.locator("section.related li").count() >= 1
    shot(page, "article.png")


def test_paging(server, page):
    page.goto(server + "/?q=1688&collapse=0")
    page.locator("a[rel=next]").click()
    page.wait_for_url("**page=2*")
    assert page.locator("ol.results").get_attribute("start") == "11"


def test_hostile_query_runs_no_script(server, page):
    page.goto(server + "/")
    page.fill("#q", "<script>alert(1)</script>")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert page.dialogs == []
    assert page.input_value("#q") == "<script>alert(1)</script>"


def test_everything_is_reachable_by_keyboard(server, page):
    page.goto(server + "/?q=1688")
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("(() => { const e = document.activeElement;"
                                  " return e.id || e.className || e.closest('aside,nav,ol')?.className || e.tagName })()"))
    assert {"q", "title", "facets"} <= reached


def test_phone_layout_has_no_sideways_scroll(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto(server + "/?q=1688")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "mobile.png")
    context.close()
