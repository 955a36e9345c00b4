"""One feed or listing item to an :class:`Article`: fetch its page, extract, fall back to the item."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.article import Article
from corpus.errors import RecordError
from corpus.fetch.decode import decode_page
from corpus.fetch.errors import BadURL, Disallowed, FetchError, HTTPStatus
from corpus.fetch.extract import extract_page
from corpus.fetch.http import Fetcher, Validators
from corpus.fetch.items import Item
from corpus.fetch.urls import canonical_url
from corpus.normalize import normalize_article


@dataclass(frozen=True)
class Page:
    """An article as fetched: ``article`` None when the page has not changed (304)."""

    article: Article | None
    validators: Validators | None = None
    #: True when the page could not give a body and the item's summary stands in.
    from_summary: bool = False


def fetch_article(fetcher: Fetcher, item: Item, source: str, validators: Validators | None = None) -> Page:
    """The article behind ``item``. Transient failures (5xx, timeouts) raise, so it is tried again later;
    a page we may not or cannot read (robots.txt, 404, no text) leaves the item's own text to stand in."""
    try:
        fetched = fetcher.get(item.url, validators)
    except (Disallowed, HTTPStatus) as exc:
        if getattr(exc, "transient", False):
            raise
        return Page(build_article(item, source), from_summary=True)
    if fetched.not_modified:
        return Page(None, fetched.validators)
    page = extract_page(decode_page(fetched.body, fetched.content_type), fetched.url)
    url = item.url
    if page.canonical:
        try:
            url = canonical_url(page.canonical, fetched.url)
        except BadURL:
            pass
    body = page.body if len(page.body) >= len(item.summary) else item.summary
    article = build_article(Item(url, item.title or page.title, item.published or page.published, body), source)
    return Page(article, fetched.validators, from_summary=body == item.summary)


def build_article(item: Item, source: str) -> Article:
    """Through the same normaliser as files (ids from the URL); an unreadable time is dropped, not fatal."""
    raw = {"title": item.title, "content": item.summary, "published": item.published, "url": item.url,
           "source": source}
    try:
        return normalize_article(raw)
    except RecordError as exc:
        if exc.reason != "bad-date":
            raise FetchError(f"{item.url}: {exc}") from None
        return normalize_article(raw | {"published": None})
