"""A source's page, whatever it is: a feed or a listing, recognised from the content."""

from __future__ import annotations

from corpus.fetch.decode import decode_page
from corpus.fetch.errors import NotASource
from corpus.fetch.feeds import looks_like_feed, read_feed
from corpus.fetch.http import Fetched
from corpus.fetch.items import Item
from corpus.fetch.listing import read_listing


def read_source(fetched: Fetched) -> tuple[str, list[Item]]:
    """``("feed" | "listing", items)``; :class:`NotASource` when it is neither."""
    text = decode_page(fetched.body, fetched.content_type)
    if looks_like_feed(text):
        return "feed", read_feed(text, fetched.url)
    if "<" not in text:
        raise NotASource(f"{fetched.url} is neither a feed nor an HTML page")
    items = read_listing(text, fetched.url)
    if not items:
        raise NotASource(f"{fetched.url} is neither a feed nor a listing page (no dated, linked items)")
    return "listing", items
