"""The search page in a real browser (Debian's Chromium driven by Playwright) against a real
waitress server started with `zhsearch serve`: what a person sees, types, clicks and reads.

Skips when playwright or Chromium is missing (local dev); .ci/run installs both.
Set ZHSEARCH_SCREENSHOTS=1 to refresh docs/screenshots/*.png."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does this)",
                allow_module_level=True)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Debian's Chromium, never a browser downloaded by `playwright install`. Root needs --no-sandbox;
# the rest keep a headless run off the network and quiet.
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def server(tmp_path_factory, serve):
    """`zhsearch serve` on a free loopback port; the empty index dir makes it build the sample first."""
    tmp = tmp_path_factory.mktemp("browser")
    with serve(tmp / "index", tmp / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, **options):
    """A fresh context whose pages record every JS dialog (and dismiss it, so nothing hangs)."""
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    return context, page


@pytest.fixture
def page(browser):
    context, page = _open(browser, viewport=DESKTOP)
    yield page
    dialogs = page.dialogs
    context.close()
    assert dialogs == [], "the page has no JavaScript, yet a dialog opened"


@pytest.fixture
def phone(browser):
    context, page = _open(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    dialogs = page.dialogs
    context.close()
    assert dialogs == []


def shot(page, name: str) -> None:
    """Only with ZHSEARCH_SCREENSHOTS=1, so ordinary and CI runs leave the tree clean."""
    if os.environ.get("ZHSEARCH_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def active(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id || document.activeElement.tagName : ''")


def hit_times(page) -> list[str]:
    return page.locator("li.hit > .meta time").all_inner_texts()


def year_facet(page, year: str):
    section = page.locator("aside.facets section").filter(has=page.locator("h2", has_text="年份"))
    return section.get_by_role("link", name=year, exact=True)


def test_type_a_query_with_the_keyboard_and_see_highlighted_results(server, page):
    page.goto(server + "/")
    assert active(page) == "q", "the search box has focus on load (autofocus)"
    page.mouse.click(2, 2)  # click the blank page corner: focus leaves the box, Tab starts at the top
    assert active(page) == "BODY"
    for _ in range(10):  # Tab from the top of the page to the search box, as a keyboard user would
        page.keyboard.press("Tab")
        if active(page) == "q":
            break
    assert active(page) == "q", "Tab never reached the search box"
    page.keyboard.type("晚发必赔")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    assert page.input_value("#q") == "晚发必赔"
    assert page.title().startswith("晚发必赔")
    assert "找到约 2 条结果" in page.locator("p.summary").inner_text()

    # By default the two reports of the same news are one hit, the other one folded under it.
    hits = page.locator("li.hit")
    assert hits.count() == 1
    assert hits.locator("a.title mark").all_inner_texts() == ["晚发必赔"]
    assert hit_times(page)[0].startswith("2024-")
    fold = hits.locator("details.dups")
    assert fold.locator("summary").inner_text() == "另有 1 篇相似报道"
    fold.locator("summary").click()
    dup = fold.locator("li")
    assert dup.locator("a").is_visible() and "晚发必赔" in dup.locator("a").inner_text()
    assert dup.locator("time").inner_text().startswith("2024-")
    assert page.locator("figure.trend svg rect").count() == 1, "one bar: both reports are from February 2024"
    fold.locator("summary").click()
    shot(page, "search-results.png")

    # Unfolded, both articles are hits of their own, each with 晚发必赔 highlighted.
    page.goto(page.url + "&collapse=0")
    assert hits.count() == 2
    for i in range(2):
        assert "晚发必赔" in hits.nth(i).locator("mark").all_inner_texts()
    times = hit_times(page)
    assert len(times) == 2 and all(t.startswith("2024-") for t in times), times


def test_click_a_year_facet(server, page):
    page.goto(server + "/?q=1688")
    assert "找到约 20 条结果" in page.locator("p.summary").inner_text()
    assert page.locator("a.chip").count() == 0
    link = year_facet(page, "2022")
    assert link.locator("xpath=..").locator(".count").inner_text() == "4"
    link.click()
    page.wait_for_url(re.compile(r"year=2022"))
    assert "找到约 4 条结果" in page.locator("p.summary").inner_text()
    times = hit_times(page)
    assert len(times) == 4 and all(t.startswith("2022-") for t in times), times
    assert page.locator("li.hit").count() == 4
    chip = page.locator("p.summary a.chip")
    assert chip.inner_text() == "2022年 ✕"
    assert year_facet(page, "2022").get_attribute("aria-current") == "true"
    chip.click()  # the chip takes the filter off again
    page.wait_for_url(lambda url: "year=" not in url)
    assert "找到约 20 条结果" in page.locator("p.summary").inner_text()


def test_open_an_article_by_its_title(server, page):
    page.goto(server + "/?q=分销通")
    title = page.locator("li.hit a.title").first
    text = title.inner_text()
    doc_id = title.get_attribute("href").rsplit("/", 1)[1]
    title.click()
    page.wait_for_url(re.compile(r"/documents/"))
    assert page.locator("article.doc h1").inner_text() == text
    assert page.title() == f"{text} - zhsearch"
    doc = page.request.get(f"{server}/api/documents/{doc_id}").json()
    assert doc["title"] == text
    paragraphs = [p.strip() for p in doc["content"].split("\n") if p.strip()]
    shown = page.locator("article.doc > p").all_inner_texts()
    assert paragraphs and all(p in shown for p in paragraphs), "the article's full text is on the page"
    assert "12月18日消息" in shown[0]
    assert page.locator("section.related li").count() >= 1
    shot(page, "article.png")


def test_next_page_numbers_hits_from_11(server, page):
    page.goto(server + "/?q=1688")
    assert page.locator("ol.results").evaluate("ol => ol.start") == 1
    first_page = page.locator("li.hit a.title").all_inner_texts()
    assert len(first_page) == 10
    pager = page.locator("nav.pager")
    assert "第 1 / 2 页" in pager.inner_text()
    assert pager.locator("a[rel=prev]").count() == 0
    pager.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    results = page.locator("ol.results")
    assert results.evaluate("ol => ol.start") == 11
    assert results.evaluate("ol => getComputedStyle(ol.querySelector('li.hit')).listStyleType") == "decimal"
    second_page = page.locator("li.hit a.title").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert "第 2 / 2 页" in page.locator("nav.pager").inner_text()
    assert page.locator("nav.pager a[rel=next]").count() == 0
    assert page.locator("nav.pager a[rel=prev]").count() == 1


HOSTILE = ["<script>alert(1)</script>", '<script>alert("xss")</script>',
           "<img src=x onerror=alert(1)>", '"><svg onload=alert(document.domain)>']


@pytest.mark.parametrize("query", HOSTILE)
def test_a_hostile_query_is_text_not_markup(server, page, query):
    page.goto(server + "/")
    page.locator("#q").click()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    page.wait_for_load_state("load")
    assert page.dialogs == []
    injected = page.evaluate("""() => ({
        scripts: document.scripts.length,
        imgs: document.images.length,
        svgs: [...document.querySelectorAll('svg')].filter(s => !s.closest('figure.trend')).length,
        handlers: [...document.querySelectorAll('*')].filter(e => e.hasAttribute('onerror') || e.hasAttribute('onload')).length,
    })""")
    assert injected == {"scripts": 0, "imgs": 0, "svgs": 0, "handlers": 0}
    assert page.input_value("#q") == query
    assert page.title() == f"{query} - zhsearch"
    if page.locator("li.hit").count() == 0:
        assert f"没有找到与“{query}”相关的文章" in page.locator("ol.results").inner_text()


def test_search_box_results_and_facets_are_reachable_with_tab(server, page):
    page.goto(server + "/?q=1688")
    page.evaluate("window.__tabbed = new Set()")
    page.mouse.click(2, 2)  # blank page corner: Tab starts from the top
    order = []
    for _ in range(150):
        page.keyboard.press("Tab")
        here = page.evaluate("""() => { const e = document.activeElement;
            if (!e || e === document.body) return null;
            window.__tabbed.add(e);
            const where = e.closest('aside.facets') ? 'facets' : e.closest('li.hit') ? 'hit' : '';
            return [e.tagName.toLowerCase(), e.id, e.className, where].join('|'); }""")
        if here is None or (order and here == order[0]):
            break  # focus left the document or came round again
        order.append(here)
    missed = page.evaluate("""() => [...document.querySelectorAll('#q, li.hit a.title, aside.facets a, nav.pager a')]
        .filter(e => !window.__tabbed.has(e)).map(e => e.outerHTML.slice(0, 80))""")
    assert missed == []
    assert order[0].startswith("a|"), "the brand link comes first"
    assert sum(1 for o in order if o.startswith("a||title|hit")) == 10
    assert any(o.endswith("|facets") for o in order)
    q, first_title = order.index("input|q||"), next(i for i, o in enumerate(order) if "|title|" in o)
    first_facet = next(i for i, o in enumerate(order) if o.endswith("|facets"))
    assert q < first_title < first_facet, "tab order follows reading order: box, results, facets"
    outline = page.locator("aside.facets a").first
    outline.focus()
    assert outline.evaluate("a => getComputedStyle(a).outlineStyle") != "none", "focused links show a ring"


def test_phone_layout_has_no_sideways_scroll(server, phone):
    for url in ["/", "/?q=1688", "/?q=1688&view=timeline", "/?q=分销通"]:
        phone.goto(server + url)
        widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (url, widths)
    phone.goto(server + "/?q=1688")
    assert phone.locator("li.hit").count() == 10
    # on a narrow screen the results come first and the filters follow them
    facets, results = (phone.locator(sel).bounding_box() for sel in ("aside.facets", "ol.results"))
    assert results["y"] < facets["y"] and results["y"] < 844
    shot(phone, "mobile.png")
    phone.locator("li.hit a.title").first.click()
    phone.wait_for_url(re.compile(r"/documents/"))
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def test_timeline_tab(server, page):
    page.goto(server + "/?q=安心购")
    page.locator("nav.tabs a", has_text="时间线").click()
    page.wait_for_url(re.compile(r"view=timeline"))
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "时间线"
    days = page.locator("ol.timeline time").all_inner_texts()
    assert [d for d in days if d in ("2023-03-20", "2023-08-24", "2024-03-01")] == ["2023-03-20", "2023-08-24", "2024-03-01"]
    assert days == sorted(days)
    shot(page, "timeline.png")


def test_compare_two_queries_read_their_words_and_sources_then_refine(server, page):
    """Which got more attention, when, in which words, and who reported it: all on the page."""
    page.goto(server + "/?q=1688")
    assert page.locator("figure.trend rect").count() == 4, "one query: bars by year"
    page.locator("form.compare input[name=compare]").fill("晚发必赔")
    page.locator("form.compare input[name=normalize]").check()
    page.locator("form.compare button").click()
    page.wait_for_url(re.compile(r"compare="))
    lines = page.locator("figure.trend polyline.series")
    assert lines.count() == 2  # 1688 is in every article: a flat line at 100 %, drawn across the chart
    assert all(lines.nth(i).bounding_box()["width"] > 100 for i in range(2))
    assert page.locator("ul.legend li").all_inner_texts() == ["1688 20", "晚发必赔 2"]
    assert "占当期全部文章的比例" in page.locator("figure.trend figcaption").inner_text()
    csv_link = page.get_by_role("link", name="下载 CSV")
    assert "format=csv" in csv_link.get_attribute("href") and "normalize=1" in csv_link.get_attribute("href")
    sources = page.locator("section.sources tbody tr").all_inner_texts()
    assert sources and sources[0].split("\t") == ["电商派", "20", "100.0%"]
    shot(page, "compare.png")

    words = page.locator("section.terms li a")
    # the term table is built in the background after the server opens the index; the page
    # says so meanwhile. Generous: a loaded machine, though the sample takes milliseconds.
    deadline = time.monotonic() + 60
    while words.count() < 3 and "特征词统计中" in page.locator("section.terms").inner_text():
        assert time.monotonic() < deadline, "the distinctive words never appeared"
        page.reload()
    assert words.count() >= 3, "distinctive words of 1688 on the sample"
    word = words.first.inner_text()
    words.first.click()
    page.wait_for_url(re.compile(r"/\?q="))
    assert page.input_value("#q") == f"1688 {word}"
    assert "找到约" in page.locator("p.summary").inner_text()
