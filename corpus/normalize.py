"""From a raw record, under any of the field names people use, to a frozen :class:`Article`.

Readers hand over whatever the file holds (a JSON object, a CSV row, a listing item);
this module is the one place that decides what counts as a title, a date or an id, so all
formats agree.

Field names are matched case-insensitively, first non-empty alias wins:

* ``title`` | ``headline``; ``content`` | ``summary`` | ``body`` | ``text``
* ``published`` | ``date`` | ``time`` | ``pubdate`` | ``datetime``
* ``url`` | ``link``; ``category`` | ``cat`` | ``channel``; ``id`` | ``_id`` | ``doc_id``
* ``source`` | ``publisher``: the dataset's own ``source`` wins (it names the collection,
  as ids and the ``source`` filter expect); a news site's ``publisher`` stands in when
  there is no source, and the file's name (``default_source``) when there is neither.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from corpus.article import CHINA_TZ, Article
from corpus.dates import parse_published
from corpus.errors import RecordError

__all__ = ["ALIASES", "make_id", "normalize_article", "parse_published", "pick", "text"]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "doc_id"),
    "title": ("title", "headline"),
    "content": ("content", "summary", "body", "text"),
    "published": ("published", "date", "time", "pubdate", "datetime"),
    "url": ("url", "link"),
    "source": ("source", "publisher"),
    "category": ("category", "cat", "channel"),
}


#: Longest title + text indexed as one article. Real news runs to tens of thousands of
#: characters; a record a hundred times that is a concatenated dump, and would take
#: minutes to segment while telling a searcher nothing about where a match is.
MAX_ARTICLE_CHARS = 1_000_000


def pick(raw: Mapping[str, Any], field: str) -> Any:
    """The first non-empty value among the names ``field`` goes by (keys lower-cased).

    >>> pick({"Headline": "标题", "title": ""}, "title")
    '标题'
    """
    lowered = {str(key).strip().lower(): value for key, value in raw.items()}
    for name in ALIASES[field]:
        value = lowered.get(name)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def text(value: Any) -> str:
    """Surrounding whitespace off, None as "". No other folding: the indexer folds.

    >>> text("  标题 \\n"), text(None), text(42)
    ('标题', '', '42')
    """
    if value is None:
        return ""
    return str(value).strip()


def make_id(raw_id: Any, url: str, title: str, published: datetime | None) -> str:
    """The record's own id, else a stable hash of its URL, else of title and time.

    Hashes are SHA-1 (never ``hash()``, which changes per process), so re-indexing the
    same file updates articles instead of duplicating them.

    >>> make_id(" 42 ", "https://x/1", "t", None)
    '42'
    >>> make_id(None, "https://x/1", "t", None) == make_id("", "https://x/1", "other", None)
    True
    >>> make_id(None, "", "标题", None).startswith("h-")
    True
    """
    own = text(raw_id)
    if own:
        return own
    url = text(url)
    if url:
        return "u-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    stamp = _china_time(published).isoformat() if published else ""
    return "h-" + hashlib.sha1(f"{text(title)}\x1f{stamp}".encode()).hexdigest()[:16]


def _china_time(moment: datetime) -> datetime:
    """The same instant always hashes the same, whatever zone it came in."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


def normalize_article(raw: Mapping[str, Any], *, default_source: str = "") -> Article:
    """An :class:`Article` from a raw record; :class:`RecordError` if it cannot be one.

    Reasons: ``not-an-object`` (not a mapping), ``no-title``, ``bad-date``.

    >>> normalize_article({"headline": " 标题 ", "date": "2024-03-01"}).published.day
    1
    """
    if not isinstance(raw, Mapping):
        raise RecordError("not-an-object", f"expected an object, got {type(raw).__name__}")
    title = text(pick(raw, "title"))
    if not title:
        raise RecordError("no-title", "the record has no title")
    content = text(pick(raw, "content"))
    if len(title) + len(content) > MAX_ARTICLE_CHARS:
        raise RecordError("too-large", f"{len(title) + len(content):,} characters; an article may have "
                                       f"{MAX_ARTICLE_CHARS:,} (split it, or it is a dump of many)")
    published = parse_published(pick(raw, "published"))
    url = text(pick(raw, "url"))
    return Article(
        id=make_id(pick(raw, "id"), url, title, published),
        title=title,
        content=content,
        published=published,
        url=url,
        source=text(pick(raw, "source")) or default_source,
        category=text(pick(raw, "category")),
    )
