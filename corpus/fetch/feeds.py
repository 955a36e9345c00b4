"""RSS and Atom feeds, read with feedparser (lenient with the many broken feeds in the wild)."""

from __future__ import annotations

import logging
import time

import feedparser

from corpus.fetch.errors import NotASource
from corpus.fetch.items import Item
from corpus.fetch.urls import canonical_url

log = logging.getLogger(__name__)


def looks_like_feed(text: str) -> bool:
    """An XML document whose root is rss, feed or rdf.

    >>> looks_like_feed('<?xml version="1.0"?>\\n<rss version="2.0">'), looks_like_feed("<html>")
    (True, False)
    """
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip()
    while head.startswith(("<!--", "<?")):
        head = head[head.find(">") + 1:].lstrip()
    return head.startswith(("<rss", "<feed", "<rdf:rdf"))


def read_feed(text: str, base: str) -> list[Item]:
    """The feed's entries; :class:`NotASource` when it is too broken to give any."""
    parsed = feedparser.parse(text, response_headers={"content-location": base, "content-type": "application/xml"})
    items = []
    for entry in parsed.entries:
        link, title = entry.get("link"), (entry.get("title") or "").strip()
        if not link or not title:
            continue
        items.append(Item(canonical_url(link, base), title, _published(entry), _summary(entry)))
    if parsed.bozo and not items:
        raise NotASource(f"malformed feed at {base}: {parsed.get('bozo_exception', 'unreadable')}")
    if parsed.bozo:
        log.warning("feed at %s is not well-formed (%s); read what could be", base, parsed.bozo_exception)
    return items


def _published(entry) -> str:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:  # feedparser gives UTC
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)
    return entry.get("published") or entry.get("updated") or ""


def _summary(entry) -> str:
    from lxml import html as lxml_html

    raw = entry.get("summary") or ""
    if "<" not in raw:
        return raw.strip()
    return lxml_html.fromstring(f"<div>{raw}</div>").text_content().strip()
